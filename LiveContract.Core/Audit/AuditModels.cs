namespace LiveContract.Core.Audit;

/// <summary>
/// One event of a contract's audit trail as people and the export see it: every stored field
/// (<see cref="Data"/> exactly as hashed, so anyone can recompute <see cref="Hash"/> with
/// <see cref="AuditTrail.ComputeHash"/>), the actor's display name and a sentence saying what happened.
/// </summary>
public sealed record AuditEntry(
    long Id,
    string Stream,
    long Sequence,
    string Type,
    DateTimeOffset At,
    string? ActorId,
    string? ActorRole,
    string ActorName,
    string? IpAddress,
    string Description,
    string Data,
    string PreviousHash,
    string Hash);

/// <summary>A contract's audit trail, oldest event first.</summary>
public sealed record ContractAuditTrail(Guid ContractId, string Reference, string Title, IReadOnlyList<AuditEntry> Events);

/// <summary>
/// The downloadable audit trail of a contract: every event with every field, and the result of
/// recomputing the chain over exactly those events. Times are UTC.
/// </summary>
public sealed record AuditExport(
    Guid ContractId,
    string Reference,
    string Title,
    string Stream,
    DateTimeOffset ExportedAt,
    string HashAlgorithm,
    ChainCheck Chain,
    IReadOnlyList<AuditEntry> Events)
{
    /// <summary>How <see cref="AuditEntry.Hash"/> is computed, for whoever checks the file without LiveContract.</summary>
    public const string HashDescription =
        "SHA-256, lower-case hex, over the UTF-8 label \"LiveContract audit event v1\" followed by Stream, Sequence (decimal), "
        + "Type, At (UTC in .NET's round-trip format, e.g. 2026-11-23T13:02:03.1230000Z), ActorId, ActorRole, IpAddress, Data and "
        + "PreviousHash, each encoded as one byte "
        + "0 (null) or 1 (present) and, when present, its UTF-8 length as 4 bytes big-endian and its UTF-8 bytes. "
        + "PreviousHash is the Hash of the event before in the stream, empty for the first.";
}
