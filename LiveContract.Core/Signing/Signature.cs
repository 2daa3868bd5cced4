namespace LiveContract.Core.Signing;

/// <summary>Who signs a contract: the customer always; the advisor when the contract asks for a countersignature.</summary>
public enum SignerRole
{
    Customer,
    Advisor,
}

/// <summary>
/// One signer's signature of a contract: what they signed (the documents' hashes pinned at Review),
/// how (typed full name and drawn image, after agreeing to the consent text whose hash is kept),
/// when and from where. One per signer and contract (unique index); never changed or deleted
/// (database triggers).
/// </summary>
public sealed class Signature
{
    public Guid Id { get; set; }

    public Guid ContractId { get; set; }

    /// <summary>The live session it was given in.</summary>
    public Guid? LiveSessionId { get; set; }

    public SignerRole Role { get; set; }

    /// <summary>The customer's id (for <see cref="SignerRole.Customer"/>) or the advisor's user id.</summary>
    public string SignerId { get; set; } = "";

    /// <summary>The full name the signer typed.</summary>
    public string FullName { get; set; } = "";

    public string SignerEmail { get; set; } = "";

    /// <summary>The drawn signature, a PNG image.</summary>
    public byte[] Image { get; set; } = [];

    /// <summary>SHA-256 (lower-case hex) of the consent text the signer agreed to.</summary>
    public string ConsentSha256 { get; set; } = "";

    /// <summary>The signed documents as JSON <c>[{"documentId","fileName","sha256"}]</c>, in contract order.</summary>
    public string DocumentHashes { get; set; } = "[]";

    /// <summary>
    /// SHA-256 (lower-case hex) over every field value of the contract when this signature was
    /// given (see <c>FieldValuesHash</c>); null for signatures given before fields existed.
    /// </summary>
    public string? FieldValuesSha256 { get; set; }

    public DateTimeOffset SignedAt { get; set; }

    /// <summary>For the customer: which identity check they passed, as the certificate says it ("Identity checked by a code sent to c***@example.com, 14:02 UTC"); null for the advisor.</summary>
    public string? IdentityCheck { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}
