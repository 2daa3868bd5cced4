using LiveContract.Core.Common;
using LiveContract.Core.Contracts;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Where a live session stands. Stored as its name (a string column), so a new status needs no
/// migration; at most one session per contract is <see cref="Active"/>.
/// </summary>
public enum LiveSessionStatus
{
    /// <summary>Open: the customer's link joins it.</summary>
    Active,

    /// <summary>Ended by its advisor or an admin (or when the contract was handed over): nobody can be in it any more.</summary>
    Ended,

    /// <summary>
    /// Its work is done: the contract became Signed (in the same transaction). Nobody joins it any
    /// more, but whoever is in it stays, with the signed contract and its download, until they leave
    /// (see <see cref="LiveSessionService.OpenForAsync"/>). Ending it changes nothing.
    /// </summary>
    Completed,
}

/// <summary>A live session as its advisor, an admin or the API sees it.</summary>
public sealed record LiveSessionInfo(
    Guid Id,
    Guid ContractId,
    string ContractReference,
    string ContractTitle,
    ContractStatus ContractStatus,
    string AdvisorId,
    string AdvisorName,
    Guid CustomerId,
    string CustomerName,
    string CustomerEmail,
    LiveSessionStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    CustomerLinkInfo? Link);

/// <summary>The customer link now in force (the newest one), without its secret.</summary>
public sealed record CustomerLinkInfo(DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, bool IsActive);

/// <summary>A session just started: its customer link (shown once; only its hash is stored) and whether the email went out.</summary>
public sealed record StartedLiveSession(LiveSessionInfo Session, string CustomerLink, bool EmailSent);

/// <summary>A new customer link (the previous ones no longer work) and whether the email went out.</summary>
public sealed record IssuedCustomerLink(LiveSessionInfo Session, string CustomerLink, bool EmailSent);

/// <summary>Why a customer link opens nothing.</summary>
public enum LinkProblem
{
    /// <summary>Not a link this system issued (forged, mistyped or cut short).</summary>
    Unknown,
    Expired,
    Revoked,
    SessionEnded,
}

/// <summary>What a valid customer link opens: one session of one contract, for one customer.</summary>
public sealed record CustomerLinkGrant(
    Guid LinkId,
    Guid SessionId,
    Guid ContractId,
    string ContractReference,
    string ContractTitle,
    Guid CustomerId,
    string CustomerName,
    string AdvisorName,
    DateTimeOffset ExpiresAt,
    string Language = Localization.Languages.Default);

/// <summary>The answer for a customer link: a grant, or the problem (with the advisor's name when the link was ours, so the page can say whom to ask).</summary>
public sealed record LinkCheck(CustomerLinkGrant? Grant, LinkProblem? Problem, string? AdvisorName = null)
{
    /// <summary>Whether the link still identifies its customer (to the session they are in, its documents and its signed PDF).</summary>
    public bool IsValid => Grant is not null;

    /// <summary>
    /// The link's session is <see cref="LiveSessionStatus.Completed"/>: the contract is signed. The
    /// link still identifies the customer (a customer in the session keeps it until they leave) but
    /// no longer joins: <see cref="CanJoin"/> is false.
    /// </summary>
    public bool SessionCompleted { get; init; }

    /// <summary>Whether the link lets its customer join the session now.</summary>
    public bool CanJoin => Grant is not null && !SessionCompleted;
}

/// <summary>Who asks to take part in a live session: a signed-in advisor, or a customer holding a link.</summary>
public abstract record SessionCaller
{
    private SessionCaller()
    {
    }

    /// <summary>An advisor or admin, as authenticated by cookie or API token.</summary>
    public sealed record Staff(Actor Actor, string DisplayName) : SessionCaller;

    /// <summary>A customer who opened the link <paramref name="LinkId"/> (by cookie after the landing page, or by bearer token).</summary>
    public sealed record Customer(Guid LinkId) : SessionCaller
    {
        /// <summary>Where the customer connects from, for the audit trail.</summary>
        public string? IpAddress { get; init; }

        /// <summary>The identity code this customer's device passed for the link (its pass), or null when it passed none.</summary>
        public Guid? IdentityCheckId { get; init; }
    }
}

/// <summary>
/// What <see cref="LiveSessionService.OpenForAsync"/> grants: the session, who the caller is in it
/// (pass <see cref="Participant"/> to <see cref="ILiveSessionCoordinator.JoinAsync"/>) and its documents.
/// </summary>
public sealed record LiveSessionAccess(LiveSessionInfo Session, LiveParticipant Participant, IReadOnlyList<SessionDocument> Documents);

/// <summary>What is recorded about a live session (start, links, joins and leaves, end).</summary>
public enum LiveSessionActivityKind
{
    Started,
    LinkSent,
    LinkRevoked,
    LinkUsed,
    Joined,
    Left,
    Ended,

    /// <summary>The contract became Signed, which completed the session.</summary>
    Completed,
}

/// <summary>One recorded step of a live session.</summary>
public sealed record LiveSessionActivityEntry(
    DateTimeOffset At,
    LiveSessionActivityKind Kind,
    string? ParticipantId,
    ParticipantRole? Role,
    string? DisplayName,
    string? IpAddress);
