using LiveContract.Core.Contracts;

namespace LiveContract.Core.Signing;

/// <summary>What a signer submits: the typed full name, the drawn signature (PNG), the hash of the consent text they agreed to, and where they sign from.</summary>
public sealed record SignRequest(string FullName, byte[] SignaturePng, string ConsentSha256, string? IpAddress, string? UserAgent);

/// <summary>A recorded signature as the parties and the API see it (no image).</summary>
public sealed record SignatureInfo(
    Guid Id,
    SignerRole Role,
    string FullName,
    DateTimeOffset SignedAt,
    string? IpAddress,
    string? UserAgent,
    string ConsentSha256);

/// <summary>
/// Where a contract stands with signing, as seen by one caller: who must sign, who has, whether the
/// caller may sign now (and why not), and the sealed PDF once there is one.
/// </summary>
public sealed record SigningState(
    Guid ContractId,
    ContractStatus Status,
    IReadOnlyList<SignerRole> RequiredSigners,
    IReadOnlyList<SignatureInfo> Signatures,
    SignerRole? CallerRole,
    string? WhyCallerCannotSign,
    Guid? SealedDocumentId)
{
    /// <summary>
    /// The labels of the caller's required fields that are not filled in properly yet, in reading
    /// order (signature spots count as done: signing fills them); signing is refused until this is
    /// empty. Read when the state was; a live view recomputes it from the session's values with
    /// <see cref="Fields.FieldValueRules.Missing"/>.
    /// </summary>
    public IReadOnlyList<string> MissingFields { get; init; } = [];

    /// <summary>Why the Signed contract has no sealed PDF and will not get one by itself (a document over the expansion limits); null otherwise. Only on the contract page's state.</summary>
    public string? SealingProblem { get; init; }

    public bool CallerCanSign => CallerRole is not null && WhyCallerCannotSign is null;

    public bool HasSigned(SignerRole role) => Signatures.Any(s => s.Role == role);
}

/// <summary>The answer to a signature: the signature recorded (or already there, for a repeat), and whether it made the contract Signed.</summary>
public sealed record SignResult(SignatureInfo Signature, bool ContractSigned, SigningState State);
