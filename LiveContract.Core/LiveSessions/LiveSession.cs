using LiveContract.Core.Contracts;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// A live session of a contract, as the database keeps it: who takes part, whether it is still
/// active, and where it was last (so it resumes there after a restart). At most one session per
/// contract is active, which a filtered unique index guarantees.
/// </summary>
public sealed class LiveSession
{
    public Guid Id { get; set; }

    public Guid ContractId { get; set; }

    public Contract? Contract { get; set; }

    public string AdvisorId { get; set; } = "";

    public Guid CustomerId { get; set; }

    public LiveSessionStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The user who ended the session (its advisor or an admin).</summary>
    public string? EndedById { get; set; }

    /// <summary>The document shown when the coordinator last saved, or null before its first save.</summary>
    public Guid? LastDocumentId { get; set; }

    public int LastPage { get; set; }

    /// <summary>The coordinator's version at its last save; versions resume from it after a restart.</summary>
    public long StateVersion { get; set; }

    public List<SessionLink> Links { get; set; } = [];
}

/// <summary>A customer link of a session. Only the SHA-256 of its token is stored.</summary>
public sealed class SessionLink
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public LiveSession? Session { get; set; }

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public string TokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
