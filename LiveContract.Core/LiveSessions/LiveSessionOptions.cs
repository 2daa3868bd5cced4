using LiveContract.Core.Hosting;

namespace LiveContract.Core.LiveSessions;

/// <summary>Limits of live sessions: how often a participant may act, how many connections they may have (pages, pointer, fields), how far a subscriber may fall behind, how often state is saved, how long a customer link lasts.</summary>
public sealed class LiveSessionOptions
{
    public const string Section = "LiveSessions";

    /// <summary>
    /// Where sessions live: <see cref="LiveSessionBackend.InMemory"/> (the default: this server
    /// alone) or <see cref="LiveSessionBackend.Redis"/> (several servers share each session's state
    /// and events through <see cref="Redis"/>).
    /// </summary>
    public LiveSessionBackend Backend { get; set; } = LiveSessionBackend.InMemory;

    /// <summary>The StackExchange.Redis connection string of the Redis backend, e.g. <c>127.0.0.1:6379</c>. Required when <see cref="Backend"/> is Redis.</summary>
    public string? Redis { get; set; }

    /// <summary>How this server names itself to the others and on the system page (default: host name and process id).</summary>
    public string? InstanceName { get; set; }

    /// <summary>What every Redis key and channel of live sessions starts with, so that several installations (or tests) can share one Redis.</summary>
    public string RedisPrefix { get; set; } = "lc:";

    /// <summary>How often this server tells the others (through Redis) that it is alive, its load and who is connected to it.</summary>
    public TimeSpan InstanceHeartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a server may stay silent before the others take it for gone and drop its participants from their sessions.</summary>
    public TimeSpan InstanceTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Pointer moves a participant may make per second, also the burst they may make at once: one
    /// budget for all of the participant's connections to the session (tabs, hub connections), on
    /// every server together (see <see cref="RedisLiveSessionCoordinator"/>).
    /// </summary>
    public double PointerMovesPerSecond { get; set; } = 20;

    /// <summary>Page changes and document switches a participant may make per second, also the burst they may make at once (one budget for all their connections).</summary>
    public double PageChangesPerSecond { get; set; } = 10;

    /// <summary>Field values, field focus moves, guides and commits a participant may send per second, also the burst they may send at once (one budget for all their connections; clients send at most one value per field every 150 ms).</summary>
    public double FieldChangesPerSecond { get; set; } = 30;

    /// <summary>
    /// How many connections (browser tabs and hub connections together) one participant may have
    /// in one live session at once, on every server together: the customer of a link, or the
    /// advisor's account. One more is refused with a sentence.
    /// </summary>
    public int MaxConnectionsPerParticipant { get; set; } = 5;

    /// <summary>
    /// How long a participant may be away before the audit trail records that they left: a
    /// participant back within this time (a reload, a dropped network, another tab) records neither
    /// a leave nor a new join.
    /// </summary>
    public TimeSpan PresenceGracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events waiting for one subscriber before it is disconnected as too slow.</summary>
    public int SubscriberQueueCapacity { get; set; } = 256;

    /// <summary>The shortest time between two saves of a session's document and page.</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an ended session stays in memory, answering "ended" rather than "does not exist".</summary>
    public TimeSpan EndedRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a customer link stays valid (unless the session ends or the link is revoked first).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often a hub connection's right to stay in its session (link not revoked or expired,
    /// session not ended, account not locked) is checked again, in the background, never on the
    /// path of an event or a command.
    /// </summary>
    public TimeSpan AccessRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ConfigurationErrorException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!(PointerMovesPerSecond >= 1))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(PointerMovesPerSecond)} must be at least 1.");
        }

        if (!(PageChangesPerSecond >= 1))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(PageChangesPerSecond)} must be at least 1.");
        }

        if (!(FieldChangesPerSecond >= 1))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(FieldChangesPerSecond)} must be at least 1.");
        }

        if (MaxConnectionsPerParticipant < 1)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(MaxConnectionsPerParticipant)} must be at least 1.");
        }

        if (PresenceGracePeriod < TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(PresenceGracePeriod)} must not be negative, such as 00:01:00.");
        }

        if (SubscriberQueueCapacity < 1)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(SubscriberQueueCapacity)} must be at least 1.");
        }

        if (SaveInterval <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(SaveInterval)} must be a positive time, such as 00:00:01.");
        }

        if (EndedRetention < TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(EndedRetention)} must not be negative.");
        }

        if (AccessRecheckInterval <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(AccessRecheckInterval)} must be a positive time, such as 00:00:30.");
        }

        if (!Enum.IsDefined(Backend))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(Backend)} must be InMemory or Redis.");
        }

        if (Backend == LiveSessionBackend.Redis && string.IsNullOrWhiteSpace(Redis))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(Redis)} must be the Redis connection string (such as 127.0.0.1:6379) when {Section}:{nameof(Backend)} is Redis.");
        }

        if (InstanceHeartbeat <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(InstanceHeartbeat)} must be a positive time, such as 00:00:01.");
        }

        if (InstanceTimeout <= InstanceHeartbeat)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(InstanceTimeout)} must be longer than {Section}:{nameof(InstanceHeartbeat)}, such as 00:00:03.");
        }

        if (string.IsNullOrWhiteSpace(RedisPrefix))
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(RedisPrefix)} must not be empty (the default is lc:).");
        }

        if (LinkLifetime <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(LinkLifetime)} must be a positive time, such as 1.00:00:00 (one day).");
        }
    }
}

/// <summary>Where live sessions' shared state and events live.</summary>
public enum LiveSessionBackend
{
    /// <summary>In this process only: one server.</summary>
    InMemory,

    /// <summary>In Redis (state, pub/sub): several servers behind a load balancer.</summary>
    Redis,
}
