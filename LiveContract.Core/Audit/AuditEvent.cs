namespace LiveContract.Core.Audit;

/// <summary>
/// One entry of the tamper-evident audit trail. Events belong to a stream (<c>system</c> or
/// <c>contract:{id}</c>), are numbered 1, 2, 3… within it, and each carries the SHA-256 of its own
/// content chained to the previous event's hash (see <see cref="AuditTrail"/>). Rows are never
/// updated or deleted: database triggers refuse both.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    /// <summary><see cref="AuditStreams.System"/> or <see cref="AuditStreams.Contract"/>.</summary>
    public string Stream { get; set; } = "";

    /// <summary>1, 2, 3… within <see cref="Stream"/>; unique per stream.</summary>
    public long Sequence { get; set; }

    /// <summary>What happened, e.g. <c>contract.created</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>When it happened, UTC, truncated to what both databases keep (see <see cref="AuditTrail.Normalize"/>).</summary>
    public DateTimeOffset At { get; set; }

    public string? ActorId { get; set; }

    public string? ActorRole { get; set; }

    public string? IpAddress { get; set; }

    /// <summary>The event's payload as JSON text, hashed exactly as stored.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>The previous event's <see cref="Hash"/>, or empty for the first event of the stream.</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>SHA-256 of this event's canonical encoding, lower-case hex.</summary>
    public string Hash { get; set; } = "";
}

/// <summary>Who caused an audit event (all unknown for the system itself).</summary>
public sealed record AuditActor(string? Id, string? Role, string? IpAddress)
{
    public const string AdvisorRole = "Advisor";
    public const string AdminRole = "Admin";
    public const string CustomerRole = "Customer";
    public const string AnonymousRole = "Anonymous";

    /// <summary>LiveContract itself (start-up recovery, background sealing).</summary>
    public static AuditActor System { get; } = new(null, "System", null);

    /// <summary>An advisor or admin acting through the portal, the API or the hub.</summary>
    public static AuditActor For(Common.Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(actor.UserId, actor.IsAdmin ? AdminRole : AdvisorRole, actor.IpAddress);
    }

    /// <summary>Someone not signed in, known only by where they connect from (a refused sign-in).</summary>
    public static AuditActor Anonymous(string? ipAddress) => new(null, AnonymousRole, ipAddress);

    /// <summary>A signed-in advisor or admin known by id, e.g. at sign-in, before there is an <see cref="Common.Actor"/>.</summary>
    public static AuditActor ForUser(string userId, bool isAdmin, string? ipAddress) => new(userId, isAdmin ? AdminRole : AdvisorRole, ipAddress);

    /// <summary>A customer acting through their session link.</summary>
    public static AuditActor ForCustomer(Guid customerId, string? ipAddress) => new(customerId.ToString("D"), CustomerRole, ipAddress);
}

/// <summary>The result of recomputing a stream's chain: ok, or the first broken event and why.</summary>
public sealed record ChainCheck(string Stream, long Events, string HeadHash, long? BrokenSequence, string? Problem)
{
    public bool IsOk => BrokenSequence is null;
}

/// <summary>The names of audit streams.</summary>
public static class AuditStreams
{
    public const string System = "system";

    public const string ContractPrefix = "contract:";

    public static string Contract(Guid contractId) => ContractPrefix + contractId.ToString("D");

    public static bool IsValid(string stream) =>
        stream == System
        || (stream.StartsWith(ContractPrefix, StringComparison.Ordinal)
            && Guid.TryParseExact(stream.AsSpan(ContractPrefix.Length), "D", out _));
}
