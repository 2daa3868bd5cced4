namespace LiveContract.Core.LiveSessions;

/// <summary>What the administration's session lists can be sorted by.</summary>
public enum SessionSort
{
    StartedAt,
    EndedAt,
    Contract,
    Advisor,
    Customer,
}

/// <summary>A page of an administration session list (pages from 1; at most <see cref="MaxPageSize"/> rows).</summary>
public sealed record SessionListQuery(int Page = 1, int PageSize = 20, SessionSort Sort = SessionSort.StartedAt, bool Descending = true)
{
    public const int MaxPageSize = 100;

    /// <summary>The page and page size, brought into range.</summary>
    internal (int Page, int Size) Bounds() => (Math.Max(1, Page), Math.Clamp(PageSize, 1, MaxPageSize));
}

/// <summary>
/// An active session as the administration lists it. <see cref="Participants"/> and
/// <see cref="LastActivityAt"/> come from this server's coordinator: empty and null when the
/// session is not open on this server (nobody is connected to it here).
/// </summary>
public sealed record ActiveSessionRow(
    Guid SessionId,
    Guid ContractId,
    string ContractReference,
    string ContractTitle,
    string AdvisorName,
    string CustomerName,
    DateTimeOffset StartedAt,
    IReadOnlyList<ParticipantPresence> Participants,
    DateTimeOffset? LastActivityAt);

/// <summary>
/// A finished session as the administration lists it: <see cref="Status"/> says whether it
/// completed (its contract was signed, at <see cref="EndedAt"/>; nobody ended it) or was ended;
/// <see cref="EndedBy"/> is the name of who ended it, when known.
/// </summary>
public sealed record EndedSessionRow(
    Guid SessionId,
    Guid ContractId,
    string ContractReference,
    string ContractTitle,
    string AdvisorName,
    string CustomerName,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? EndedBy,
    LiveSessionStatus Status = LiveSessionStatus.Ended);
