namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Everything the certificate of completion at the end of a sealed PDF states: the contract, its
/// parties, each signature, each document as reviewed, every field with its value, the session's
/// timeline from the audit trail, the audit chain's head and where to verify the file; its labels in
/// <see cref="Language"/> (the contract's), its times in UTC.
/// </summary>
public sealed record CertificateOfCompletion(
    Guid ContractId,
    string Reference,
    string Title,
    CertificateParty Customer,
    CertificateParty Advisor,
    DateTimeOffset? SignedAt,
    DateTimeOffset SealedAt,
    IReadOnlyList<CertificateSignature> Signatures,
    IReadOnlyList<CertificateDocument> Documents,
    IReadOnlyList<CertificateField> Fields,
    IReadOnlyList<CertificateEvent> Timeline,
    CertificateAuditChain AuditChain,
    string VerificationUrl,
    string SealCertificateSubject,
    string SealCertificateThumbprint,
    string Language = Localization.Languages.Default);

/// <summary>A party to the contract.</summary>
public sealed record CertificateParty(string Name, string Email);

/// <summary>
/// One signature as the certificate shows it, with the drawn image (PNG) and the SHA-256 over the
/// field values it covers (null for a signature given before fields existed), and the identity
/// check the signer passed (null for the advisor, and for signatures older than the check).
/// </summary>
public sealed record CertificateSignature(
    string Role,
    string FullName,
    string Email,
    DateTimeOffset SignedAt,
    string? IpAddress,
    string? UserAgent,
    string ConsentSha256,
    byte[] Image,
    string? FieldValuesSha256 = null,
    string? IdentityCheck = null);

/// <summary>A document as reviewed and signed: its name, page count and SHA-256.</summary>
public sealed record CertificateDocument(string FileName, int Pages, string Sha256);

/// <summary>
/// A field as the certificate lists it: the document's file name, the page (from 1), the label, the
/// party who fills it in, the value as written ("—" when empty; "Signed by …" for a signature
/// spot), and who set it and when (null when no one did).
/// </summary>
public sealed record CertificateField(string Document, int Page, string Label, string Party, string Value, string? SetBy, DateTimeOffset? SetAt);

/// <summary>One line of the timeline: when, and what happened.</summary>
public sealed record CertificateEvent(DateTimeOffset At, string Summary);

/// <summary>The contract's audit chain when the certificate was made: how many events, the last hash, and the first problem if it does not verify.</summary>
public sealed record CertificateAuditChain(long Events, string HeadHash, string? Problem);
