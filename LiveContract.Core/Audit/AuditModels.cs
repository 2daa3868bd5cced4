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

/// <summary>
/// A contract's audit trail, oldest event first: every event, or (<see cref="AuditService.GetTimelineAsync"/>
/// with a limit) only the newest; <see cref="Total"/> counts them all.
/// </summary>
public sealed record ContractAuditTrail(Guid ContractId, string Reference, string Title, IReadOnlyList<AuditEntry> Events)
{
    /// <summary>How many events the contract's trail has in all.</summary>
    public long Total { get; init; } = Events.Count;

    /// <summary>Whether older events than those in <see cref="Events"/> exist.</summary>
    public bool HasOlder => Total > Events.Count;
}

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

/// <summary>
/// A page of the system stream, newest first. <see cref="Type"/> is an exact event type
/// (<c>user.signed_in</c>) or, ending with a dot, a family (<c>user.</c>); <see cref="Search"/>
/// finds text in the events' data, such as an email address.
/// </summary>
public sealed record SystemAuditQuery(int Page = 1, int PageSize = 50, string? Type = null, string? Search = null)
{
    public const int MaxPageSize = 200;
}

/// <summary>A broken stream in <see cref="ChainsReport"/>: the contract it belongs to (none for the system stream), the events before the break, its first broken event and why.</summary>
public sealed record StreamVerification(
    string Stream,
    Guid? ContractId,
    string? ContractReference,
    long Events,
    long BrokenSequence,
    string Problem);

/// <summary>
/// Every chain recomputed in one scan: the totals, and only the broken streams (the system stream
/// first, then contracts by reference; at most <see cref="AuditService.MaxBrokenStreamsReported"/>,
/// while <see cref="Broken"/> counts them all), since listing a hundred thousand intact streams
/// says no more than <see cref="AllIntact"/>.
/// </summary>
public sealed record ChainsReport(DateTimeOffset CheckedAt, int Streams, long Events, int Broken, IReadOnlyList<StreamVerification> BrokenStreams)
{
    public bool AllIntact => Broken == 0;
}

/// <summary>How far <see cref="AuditService.VerifyAllAsync"/> is: events checked out of those there were when it started.</summary>
public sealed record ChainsProgress(long EventsChecked, long EventsTotal, int StreamsChecked);
