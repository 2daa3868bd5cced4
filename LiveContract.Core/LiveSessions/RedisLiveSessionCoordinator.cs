using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The <see cref="ILiveSessionCoordinator"/> of several servers sharing each session through Redis.
/// Each server holds a replica of every session open on it, in an <see cref="InMemoryLiveSessionCoordinator"/>
/// that does all the checking, rate limiting, delivering and saving for this server's connections
/// (versions are this server's: a client talks to one server).
/// <para>
/// Every change this server accepts is sent, by one writer in the order accepted, as one Lua
/// script that takes the session's next sequence number in its Redis hash, stores the state it
/// changes (position, field value, end) there, and publishes it on one channel. Every server
/// applies every message of that channel, its own included, in the channel's order, as an
/// assignment that publishes an event only when the state changes: when two servers race, all end
/// on the change Redis took last. Servers send a heartbeat every <see cref="LiveSessionOptions.InstanceHeartbeat"/>
/// with their load and who is connected to them; each session's participants are those of every
/// server heard from within <see cref="LiveSessionOptions.InstanceTimeout"/>.
/// </para>
/// <para>
/// Limits hold across servers by a fair share, with no Redis call on a command's path: a
/// participant's connections are counted on every server (this one's and those the others last
/// reported) against <see cref="LiveSessionOptions.MaxConnectionsPerParticipant"/>, and a
/// participant connected to n servers pays n tokens per action on each, so each server allows
/// 1/n of the configured rate and all of them together the rate itself. It holds within a factor
/// of n (each server a full budget) only while the servers have not heard of each other: for the
/// moment a presence message takes to cross (at most a heartbeat after a server opens the
/// session), and while Redis is unreachable, when each server goes on alone.
/// </para>
/// <para>
/// Sending never blocks nor fails a command. While Redis is unreachable, each server goes on alone
/// and remembers what it changed; when Redis returns, it sends that again, and reads the shared
/// state, so the servers converge within seconds. A session opening here starts from Redis' shared
/// state (position, values, contract status, sealed PDF, end) rather than the database's.
/// </para>
/// <para>
/// News from outside a session (the contract's status, a signature, the sealed PDF) may be
/// published on a server where nobody is in the session (a signature through the API, the sealing
/// worker): it is then sent to the others through Redis all the same, so those in it hear of it
/// wherever they are connected.
/// </para>
/// </summary>
public sealed class RedisLiveSessionCoordinator : ILiveSessionCoordinator, IAsyncDisposable
{
    /// <summary>How the system page names this coordinator: sessions are shared by every server.</summary>
    public const string Backend = "Redis (shared by every server)";

    private const int OutgoingCapacity = 10_000;

    /// <summary>Messages sent to Redis before waiting for their answers.</summary>
    private const int MaxPipelined = 256;

    /// <summary>Takes the session's next sequence number, stores the fields given, keeps the hash a day, and publishes the message with its number.</summary>
    private const string ReplicateScript = """
        local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
        for i = 4, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        redis.call('PUBLISH', ARGV[1], '{"seq":' .. seq .. string.sub(ARGV[2], 9))
        return seq
        """;

    private const string UnsentSeq = "{\"seq\":0,";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan SessionKeyLifetime = TimeSpan.FromDays(1);

    private readonly InMemoryLiveSessionCoordinator inner;
    private readonly LiveSessionRedis redis;
    private readonly LiveSessionOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string prefix;
    private readonly RedisChannel channel;
    private readonly Channel<Outgoing> outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(OutgoingCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<Func<Task>> incoming = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<(Guid Session, string Key), long> latestOwn = new();
    private readonly ConcurrentDictionary<Guid, long> appliedSeq = new();
    private readonly ConcurrentDictionary<Guid, Dictionary<string, (string Kind, LiveSessionChange Change)>> unsent = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> heard = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task writer;
    private readonly Task reader;
    private readonly Task heartbeat;
    private readonly Lock stateGate = new();
    private ChannelMessageQueue? subscription;
    private DateTimeOffset? downSince;
    private long ordinals;
    private int disposed;

    public RedisLiveSessionCoordinator(
        IOptions<LiveSessionOptions> options,
        LiveSessionRedis redis,
        ILiveSessionStateStore store,
        IFieldValueStore fieldStore,
        TimeProvider time,
        ILoggerFactory? loggers = null,
        PageViewTracker? pageViews = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        inner = new InMemoryLiveSessionCoordinator(options, store, fieldStore, time, loggers.CreateLogger<InMemoryLiveSessionCoordinator>(), pageViews)
        {
            Replicator = OnLocalChange,
        };
        this.options = options.Value;
        this.redis = redis;
        this.time = time;
        logger = loggers.CreateLogger<RedisLiveSessionCoordinator>();
        prefix = this.options.RedisPrefix;
        channel = RedisChannel.Literal(prefix + "live");
        InstanceId = Guid.NewGuid().ToString("N");
        InstanceName = string.IsNullOrWhiteSpace(this.options.InstanceName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : this.options.InstanceName;
        downSince = time.GetUtcNow();
        writer = Task.Run(WriteAsync);
        reader = Task.Run(ReadAsync);
        heartbeat = Task.Run(BeatAsync);
    }

    /// <summary>This server's id among those sharing the Redis: new for every process.</summary>
    public string InstanceId { get; }

    /// <summary>This server's name for people (<see cref="LiveSessionOptions.InstanceName"/>, or host name and process id).</summary>
    public string InstanceName { get; }

    /// <summary>Whether Redis answers now and this server has caught up with it, and so hears from the others.</summary>
    public bool IsConnected
    {
        get
        {
            lock (stateGate)
            {
                return ConnectedLocked;
            }
        }
    }

    private bool ConnectedLocked => downSince is null && subscription is not null && redis.IsConnected;

    public async Task<Outcome<LiveSessionSnapshot>> OpenAsync(Guid sessionId, LiveSessionSetup setup, CancellationToken cancellationToken = default)
    {
        var fresh = await inner.GetSnapshotAsync(sessionId, cancellationToken) is null;
        if (fresh && IsConnected && await SharedEndAsync(sessionId))
        {
            return LiveSessionErrors.Ended;
        }

        var opened = await inner.OpenAsync(sessionId, setup, cancellationToken);
        if (!opened.Succeeded || !fresh || !IsConnected)
        {
            return opened;
        }

        Send(new Outgoing(sessionId, LiveSessionChangeKind.Sync, new LiveSessionChange(), 0));
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        incoming.Writer.TryWrite(async () =>
        {
            try
            {
                await LoadSharedStateAsync(sessionId);
            }
            finally
            {
                loaded.TrySetResult();
            }
        });
        try
        {
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            // The shared state still arrives, as changes, once the reader gets to it.
            logger.LogWarning("Live session {SessionId} opened before its shared state could be read from Redis", sessionId);
        }

        return await inner.OpenAsync(sessionId, setup, cancellationToken);
    }

    public Task<Outcome<LiveSessionJoin>> JoinAsync(
        Guid sessionId,
        LiveParticipant participant,
        string connectionId,
        Func<LiveSessionEvent, ValueTask> onEvent,
        CancellationToken cancellationToken = default) =>
        inner.JoinAsync(sessionId, participant, connectionId, onEvent, cancellationToken);

    public ValueTask<Outcome<long>> ChangePageAsync(Guid sessionId, string connectionId, Guid documentId, int page, CancellationToken cancellationToken = default) =>
        inner.ChangePageAsync(sessionId, connectionId, documentId, page, cancellationToken);

    public ValueTask<Outcome<long>> LoadDocumentAsync(Guid sessionId, string connectionId, Guid documentId, CancellationToken cancellationToken = default) =>
        inner.LoadDocumentAsync(sessionId, connectionId, documentId, cancellationToken);

    public ValueTask<Outcome<long>> MovePointerAsync(Guid sessionId, string connectionId, PointerPosition? position, CancellationToken cancellationToken = default) =>
        inner.MovePointerAsync(sessionId, connectionId, position, cancellationToken);

    public ValueTask<Outcome<long>> UpdateDocumentsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<SessionDocument> documents, CancellationToken cancellationToken = default) =>
        inner.UpdateDocumentsAsync(sessionId, actor, documents, cancellationToken);

    public async ValueTask<Outcome<long>> PublishStatusAsync(Guid sessionId, LiveSessionActor actor, ContractStatus status, CancellationToken cancellationToken = default) =>
        ForwardWhenNotOpen(
            sessionId,
            await inner.PublishStatusAsync(sessionId, actor, status, cancellationToken),
            LiveSessionChangeKind.Status,
            new LiveSessionChange { Actor = actor, Status = status });

    public async ValueTask<Outcome<long>> PublishContractSignedAsync(Guid sessionId, LiveSessionActor actor, string signedBy, DateTimeOffset signedAt, CancellationToken cancellationToken = default) =>
        ForwardWhenNotOpen(
            sessionId,
            await inner.PublishContractSignedAsync(sessionId, actor, signedBy, signedAt, cancellationToken),
            LiveSessionChangeKind.Signed,
            new LiveSessionChange { Actor = actor, SignedBy = signedBy, SignedAt = signedAt });

    public async ValueTask<Outcome<long>> PublishContractSealedAsync(Guid sessionId, LiveSessionActor actor, SessionSealedPdf sealedPdf, CancellationToken cancellationToken = default) =>
        ForwardWhenNotOpen(
            sessionId,
            await inner.PublishContractSealedAsync(sessionId, actor, sealedPdf, cancellationToken),
            LiveSessionChangeKind.Sealed,
            new LiveSessionChange { Actor = actor, Sealed = sealedPdf });

    public ValueTask<Outcome<long>> FocusFieldAsync(Guid sessionId, string connectionId, Guid? fieldId, CancellationToken cancellationToken = default) =>
        inner.FocusFieldAsync(sessionId, connectionId, fieldId, cancellationToken);

    public ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, string connectionId, Guid fieldId, string value, CancellationToken cancellationToken = default) =>
        inner.SetFieldValueAsync(sessionId, connectionId, fieldId, value, cancellationToken);

    public ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, LiveParticipant participant, Guid fieldId, string value, CancellationToken cancellationToken = default) =>
        inner.SetFieldValueAsync(sessionId, participant, fieldId, value, cancellationToken);

    public ValueTask<Outcome<long>> GuideFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default) =>
        inner.GuideFieldAsync(sessionId, connectionId, fieldId, cancellationToken);

    public ValueTask<Outcome<long>> UpdateFieldsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<Fields.FieldDefinition> fields, CancellationToken cancellationToken = default) =>
        inner.UpdateFieldsAsync(sessionId, actor, fields, cancellationToken);

    public ValueTask<Outcome<long>> CommitFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default) =>
        inner.CommitFieldAsync(sessionId, connectionId, fieldId, cancellationToken);

    public Task<Outcome<long>> FlushFieldsAsync(Guid sessionId, Guid? commitFieldId = null, CancellationToken cancellationToken = default) =>
        inner.FlushFieldsAsync(sessionId, commitFieldId, cancellationToken);

    public Task<Outcome<long>> HoldFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        inner.HoldFieldsAsync(sessionId, cancellationToken);

    public ValueTask ReleaseFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        inner.ReleaseFieldsAsync(sessionId, cancellationToken);

    public Task<Outcome<long>> EndAsync(Guid sessionId, LiveSessionActor actor, CancellationToken cancellationToken = default) =>
        inner.EndAsync(sessionId, actor, cancellationToken);

    public ValueTask<LiveSessionSnapshot?> GetSnapshotAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        inner.GetSnapshotAsync(sessionId, cancellationToken);

    public async ValueTask<LiveSessionServerLoad> GetServerLoadAsync(CancellationToken cancellationToken = default) =>
        await inner.GetServerLoadAsync(cancellationToken) with { Backend = Backend };

    /// <summary>
    /// Every server that reported to Redis within a few heartbeats, this one first; Degraded, with
    /// this server alone, while Redis is unreachable.
    /// </summary>
    public async Task<LiveSessionClusterReport> GetClusterReportAsync(CancellationToken cancellationToken = default)
    {
        var load = await GetServerLoadAsync(cancellationToken);
        var here = new LiveSessionInstanceLoad(InstanceId, InstanceName, IsThisServer: true, load.OpenSessions, load.Connections, time.GetUtcNow());
        if (IsConnected)
        {
            try
            {
                var others = await ReadInstancesAsync();
                return new LiveSessionClusterReport(
                    Backend,
                    LiveSessionBackendState.Connected,
                    others.Count == 0 ? "Redis answers; no other server shares the sessions now." : $"Redis answers; {others.Count + 1} servers share the sessions.",
                    [here, .. others]);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                logger.LogDebug(e, "Could not read the servers sharing live sessions from Redis");
            }
        }

        var since = DownSince ?? time.GetUtcNow();
        return new LiveSessionClusterReport(
            Backend,
            LiveSessionBackendState.Degraded,
            $"Redis is unreachable since {since:yyyy-MM-dd HH:mm:ss} UTC; sessions go on on each server without hearing from the others.",
            [here]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            // A second stop returns only once the sessions' unsaved state is written (see the replica's DisposeAsync).
            await inner.DisposeAsync();
            return;
        }

        // Tell the others at once that this server's participants are gone, rather than after the timeout.
        foreach (var sessionId in inner.LocalPresence().Keys)
        {
            Send(new Outgoing(sessionId, LiveSessionChangeKind.Presence, new LiveSessionChange { Participants = [] }, 0));
        }

        await stopping.CancelAsync();
        await heartbeat;
        outgoing.Writer.TryComplete();
        incoming.Writer.TryComplete();
        try
        {
            // A Redis that stopped answering must not hold the server's shutdown.
            await writer.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Stopped before every live-session change reached Redis");
        }

        await reader;
        if (IsConnected)
        {
            try
            {
                var database = (await redis.ConnectAsync()).GetDatabase();
                await database.KeyDeleteAsync(InstanceKey(InstanceId));
                await database.SetRemoveAsync(prefix + "instances", InstanceId);
                await subscription!.UnsubscribeAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                logger.LogDebug(e, "Could not remove this server from Redis while stopping; it expires on its own");
            }
        }

        await inner.DisposeAsync();
        stopping.Dispose();
    }

    private DateTimeOffset? DownSince
    {
        get
        {
            lock (stateGate)
            {
                return downSince;
            }
        }
    }

    private static string? KeyOf(string kind, LiveSessionChange change) => kind switch
    {
        LiveSessionChangeKind.Page or LiveSessionChangeKind.Document or LiveSessionChangeKind.Documents => "position",
        LiveSessionChangeKind.Value => $"v:{change.Value!.FieldId}",
        LiveSessionChangeKind.Status or LiveSessionChangeKind.Sealed or LiveSessionChangeKind.Fields or LiveSessionChangeKind.Ended => kind,
        _ => null,
    };

    /// <summary>
    /// News for a session that is not open on this server (<paramref name="published"/> says so) is
    /// sent to the other servers as this server's own change, for those in it elsewhere; the answer
    /// stays "not open here".
    /// </summary>
    private Outcome<long> ForwardWhenNotOpen(Guid sessionId, Outcome<long> published, string kind, LiveSessionChange change)
    {
        if (published.Error == LiveSessionErrors.UnknownSession)
        {
            OnLocalChange(sessionId, kind, change);
        }

        return published;
    }

    private string SessionKey(Guid sessionId) => $"{prefix}live:{sessionId}";

    private string InstanceKey(string instanceId) => $"{prefix}instance:{instanceId}";

    /// <summary>Called inside the session's lock for each change accepted here: queued for the writer, or remembered to send when Redis is back.</summary>
    private void OnLocalChange(Guid sessionId, string kind, LiveSessionChange change)
    {
        var ordinal = Interlocked.Increment(ref ordinals);
        if (KeyOf(kind, change) is { } key)
        {
            latestOwn[(sessionId, key)] = ordinal;
        }

        Send(new Outgoing(sessionId, kind, change, ordinal));
    }

    private void Send(Outgoing message)
    {
        lock (stateGate)
        {
            if (ConnectedLocked && outgoing.Writer.TryWrite(message))
            {
                return;
            }
        }

        Remember(message);
    }

    /// <summary>Keeps the latest unsent change of each piece of state (position, each value, status, fields, end) to send when Redis is back; passing events are dropped.</summary>
    private void Remember(Outgoing message)
    {
        if (KeyOf(message.Kind, message.Change) is not { } key)
        {
            return;
        }

        var changes = unsent.GetOrAdd(message.SessionId, _ => []);
        lock (changes)
        {
            changes[key] = (message.Kind, message.Change);
        }
    }

    /// <summary>The single writer: sends each message in the order queued; one that fails is remembered for when Redis is back.</summary>
    /// <summary>
    /// The single writer: sends what waits, up to <see cref="MaxPipelined"/> messages at a time
    /// without waiting for each answer (one connection keeps them in order), then collects the
    /// answers; a message that failed is remembered and sent again when Redis answers.
    /// </summary>
    private async Task WriteAsync()
    {
        var batch = new List<(Outgoing Message, Task Sent)>(MaxPipelined);
        while (await outgoing.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxPipelined && outgoing.Reader.TryRead(out var message))
            {
                batch.Add((message, SendAsync(message)));
            }

            foreach (var (message, sent) in batch)
            {
                try
                {
                    await sent;
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    logger.LogDebug(e, "Could not send a live-session change to Redis; it is sent again when Redis answers");
                    MarkDown();
                    Remember(message);
                }
            }

            batch.Clear();
        }
    }

    private async Task SendAsync(Outgoing message)
    {
        var database = (await redis.ConnectAsync()).GetDatabase();
        var text = JsonSerializer.Serialize(
            new ReplicationMessage(0, InstanceId, message.SessionId, message.Kind, message.Ordinal, message.Change, message.Heartbeat),
            Json);
        Debug.Assert(text.StartsWith(UnsentSeq, StringComparison.Ordinal), "The script numbers the message by replacing its leading seq.");
        // Every command is issued before the first await, so messages leave in the writer's order.
        if (message.Heartbeat is { } beat)
        {
            var load = JsonSerializer.Serialize(new InstanceRecord(InstanceName, beat.OpenSessions, beat.Connections, time.GetUtcNow()), Json);
            await Task.WhenAll(
                database.StringSetAsync(InstanceKey(InstanceId), load, options.InstanceTimeout),
                database.SetAddAsync(prefix + "instances", InstanceId),
                database.PublishAsync(channel, text));
            return;
        }

        if (message.Kind is LiveSessionChangeKind.Presence or LiveSessionChangeKind.Sync)
        {
            await database.PublishAsync(channel, text);
            return;
        }

        List<RedisValue> arguments = [channel.ToString(), text, (long)SessionKeyLifetime.TotalSeconds];
        var stored = message.Kind switch
        {
            LiveSessionChangeKind.Page or LiveSessionChangeKind.Document or LiveSessionChangeKind.Documents => "position",
            LiveSessionChangeKind.Value => $"v:{message.Change.Value!.FieldId}",
            LiveSessionChangeKind.Status => "status",
            LiveSessionChangeKind.Sealed => "sealed",
            LiveSessionChangeKind.Ended => "ended",
            _ => null,
        };
        if (stored is not null)
        {
            arguments.Add(stored);
            arguments.Add(JsonSerializer.Serialize(message.Change, Json));
        }

        await database.ScriptEvaluateAsync(ReplicateScript, [SessionKey(message.SessionId)], [.. arguments]);
    }

    /// <summary>The single reader: applies the channel's messages, and loads of shared state, one at a time in order.</summary>
    private async Task ReadAsync()
    {
        await foreach (var work in incoming.Reader.ReadAllAsync())
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not apply a live-session change from Redis");
            }
        }
    }

    private async Task ApplyAsync(ReplicationMessage message)
    {
        var own = message.Instance == InstanceId;
        if (!own)
        {
            heard[message.Instance] = time.GetUtcNow();
        }

        switch (message.Kind)
        {
            case LiveSessionChangeKind.Heartbeat when !own && message.Heartbeat is { } beat:
                foreach (var sessionId in inner.LocalPresence().Keys)
                {
                    inner.ApplyRemotePresence(sessionId, message.Instance, beat.Sessions.GetValueOrDefault(sessionId) ?? []);
                }

                return;
            case LiveSessionChangeKind.Presence when !own:
                inner.ApplyRemotePresence(message.Session, message.Instance, message.Payload?.Participants ?? []);
                return;
            case LiveSessionChangeKind.Sync when !own:
                if (inner.LocalPresence().GetValueOrDefault(message.Session) is { } participants)
                {
                    Send(new Outgoing(message.Session, LiveSessionChangeKind.Presence, new LiveSessionChange { Participants = participants }, 0));
                }

                return;
            case LiveSessionChangeKind.Heartbeat or LiveSessionChangeKind.Presence or LiveSessionChangeKind.Sync:
                return;
        }

        if (message.Payload is not { } change || !inner.IsOpen(message.Session))
        {
            return;
        }

        if (LiveSessionChangeKind.IsState(message.Kind))
        {
            // A message the shared state loaded already includes (or overwrote) changes nothing.
            if (message.Seq <= appliedSeq.GetValueOrDefault(message.Session))
            {
                return;
            }

            appliedSeq[message.Session] = message.Seq;
        }

        // This server's own change comes back to re-assert it over one that raced it, unless a newer one of its own follows.
        if (own && (!LiveSessionChangeKind.IsState(message.Kind)
            || (KeyOf(message.Kind, change) is { } key && latestOwn.GetValueOrDefault((message.Session, key)) != message.Ordinal)))
        {
            return;
        }

        await inner.ApplyReplicatedAsync(message.Session, message.Kind, change);
    }

    /// <summary>Whether Redis says the session has ended (on any server).</summary>
    private async Task<bool> SharedEndAsync(Guid sessionId)
    {
        try
        {
            var database = (await redis.ConnectAsync()).GetDatabase();
            return await database.HashExistsAsync(SessionKey(sessionId), "ended");
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Could not read live session {SessionId} from Redis; it opens from the database", sessionId);
            return false;
        }
    }

    /// <summary>
    /// Applies the session's shared state in Redis (position, values, end) to the replica here, in
    /// the reader's order: messages it already includes are skipped by their sequence number.
    /// </summary>
    private async Task LoadSharedStateAsync(Guid sessionId)
    {
        if (!inner.IsOpen(sessionId))
        {
            return;
        }

        HashEntry[] entries;
        try
        {
            var database = (await redis.ConnectAsync()).GetDatabase();
            entries = await database.HashGetAllAsync(SessionKey(sessionId));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Could not read live session {SessionId} from Redis", sessionId);
            return;
        }

        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        appliedSeq[sessionId] = fields.TryGetValue("seq", out var seq) && long.TryParse(seq, out var number) ? number : 0;
        if (fields.TryGetValue("ended", out var ended))
        {
            await inner.ApplyReplicatedAsync(sessionId, LiveSessionChangeKind.Ended, JsonSerializer.Deserialize<LiveSessionChange>(ended, Json)!);
            return;
        }

        if (fields.TryGetValue("position", out var position))
        {
            await inner.ApplyReplicatedAsync(sessionId, LiveSessionChangeKind.Page, JsonSerializer.Deserialize<LiveSessionChange>(position, Json)!);
        }

        foreach (var (name, value) in fields.Where(f => f.Key.StartsWith("v:", StringComparison.Ordinal)))
        {
            await inner.ApplyReplicatedAsync(sessionId, LiveSessionChangeKind.Value, JsonSerializer.Deserialize<LiveSessionChange>(value, Json)!);
        }

        // The contract's status and its sealed PDF, which may have changed (on another server) after this one read the database.
        if (fields.TryGetValue("status", out var status))
        {
            await inner.ApplyReplicatedAsync(sessionId, LiveSessionChangeKind.Status, JsonSerializer.Deserialize<LiveSessionChange>(status, Json)!);
        }

        if (fields.TryGetValue("sealed", out var sealedPdf))
        {
            await inner.ApplyReplicatedAsync(sessionId, LiveSessionChangeKind.Sealed, JsonSerializer.Deserialize<LiveSessionChange>(sealedPdf, Json)!);
        }
    }

    /// <summary>
    /// Every <see cref="LiveSessionOptions.InstanceHeartbeat"/>: notices Redis going and coming back
    /// (catching up when it returns), reports this server, and forgets the servers not heard from.
    /// Survives Redis being down.
    /// </summary>
    private async Task BeatAsync()
    {
        using var timer = new PeriodicTimer(options.InstanceHeartbeat, time);
        var multiplexer = await redis.ConnectAsync();
        multiplexer.ConnectionFailed += (_, _) => MarkDown();
        try
        {
            do
            {
                try
                {
                    await BeatOnceAsync(multiplexer);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    logger.LogDebug(e, "Live-session heartbeat failed; retried on the next beat");
                }
            }
            while (await timer.WaitForNextTickAsync(stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task BeatOnceAsync(IConnectionMultiplexer multiplexer)
    {
        if (!multiplexer.IsConnected)
        {
            MarkDown();
        }
        else if (subscription is null || DownSince is not null)
        {
            await CatchUpAsync(multiplexer);
        }

        var presence = inner.LocalPresence();
        if (IsConnected)
        {
            var load = await inner.GetServerLoadAsync();
            Send(new Outgoing(Guid.Empty, LiveSessionChangeKind.Heartbeat, new LiveSessionChange(), 0)
            {
                Heartbeat = new InstanceHeartbeat(load.OpenSessions, load.Connections, presence.ToDictionary(p => p.Key, p => p.Value)),
            });
        }

        var silentSince = time.GetUtcNow() - options.InstanceTimeout;
        foreach (var (instanceId, at) in heard)
        {
            if (at < silentSince && heard.TryRemove(new KeyValuePair<string, DateTimeOffset>(instanceId, at)))
            {
                logger.LogInformation("Live-session server {InstanceId} was not heard from for {Timeout}; its participants are dropped", instanceId, options.InstanceTimeout);
                inner.DropInstance(instanceId);
            }
        }

        foreach (var sessionId in appliedSeq.Keys.Where(id => !presence.ContainsKey(id)))
        {
            appliedSeq.TryRemove(sessionId, out _);
        }

        foreach (var own in latestOwn.Keys.Where(k => !presence.ContainsKey(k.Session)))
        {
            latestOwn.TryRemove(own, out _);
        }
    }

    private void MarkDown()
    {
        lock (stateGate)
        {
            if (downSince is null)
            {
                downSince = time.GetUtcNow();
                logger.LogWarning("Redis is unreachable: live sessions go on on each server without hearing from the others");
            }
        }
    }

    /// <summary>
    /// Redis answers (again): subscribes when not yet subscribed, sends what changed here meanwhile and
    /// this server's presence, asks the others for theirs, and loads each session's shared state.
    /// </summary>
    private async Task CatchUpAsync(IConnectionMultiplexer multiplexer)
    {
        if (subscription is null)
        {
            var queue = await multiplexer.GetSubscriber().SubscribeAsync(channel);
            queue.OnMessage(message =>
            {
                if ((string?)message.Message is { } text && JsonSerializer.Deserialize<ReplicationMessage>(text, Json) is { } replicated)
                {
                    incoming.Writer.TryWrite(() => ApplyAsync(replicated));
                }
            });
            subscription = queue;
        }

        var presence = inner.LocalPresence();

        // Under the lock that every send takes, so that no change made now overtakes those made while Redis was away.
        lock (stateGate)
        {
            foreach (var sessionId in unsent.Keys)
            {
                if (!unsent.TryRemove(sessionId, out var changes))
                {
                    continue;
                }

                lock (changes)
                {
                    foreach (var (kind, change) in changes.Values)
                    {
                        var ordinal = Interlocked.Increment(ref ordinals);
                        latestOwn[(sessionId, KeyOf(kind, change)!)] = ordinal;
                        outgoing.Writer.TryWrite(new Outgoing(sessionId, kind, change, ordinal));
                    }
                }
            }

            if (downSince is not null)
            {
                logger.LogInformation("Redis answers: live sessions are shared by every server");
            }

            downSince = null;
        }

        foreach (var (sessionId, participants) in presence)
        {
            Send(new Outgoing(sessionId, LiveSessionChangeKind.Presence, new LiveSessionChange { Participants = participants }, 0));
            Send(new Outgoing(sessionId, LiveSessionChangeKind.Sync, new LiveSessionChange(), 0));
            incoming.Writer.TryWrite(() => LoadSharedStateAsync(sessionId));
        }
    }

    /// <summary>One message for the writer: a session's change, or (with <see cref="Heartbeat"/>) this server's heartbeat.</summary>
    private sealed record Outgoing(Guid SessionId, string Kind, LiveSessionChange Change, long Ordinal)
    {
        public InstanceHeartbeat? Heartbeat { get; init; }
    }

    /// <summary>
    /// What goes through the channel. <see cref="Seq"/> (first, for the script to fill in) is the
    /// session's sequence number in Redis; <see cref="Ordinal"/> counts the sender's own changes.
    /// </summary>
    private sealed record ReplicationMessage(long Seq, string Instance, Guid Session, string Kind, long Ordinal, LiveSessionChange? Payload, InstanceHeartbeat? Heartbeat);

    /// <summary>A server's load and, per session open on it, the participants connected to it.</summary>
    private sealed record InstanceHeartbeat(int OpenSessions, int Connections, Dictionary<Guid, IReadOnlyList<ParticipantPresence>> Sessions);

    /// <summary>What a server keeps under its key in Redis for the cluster report.</summary>
    private sealed record InstanceRecord(string Name, int OpenSessions, int Connections, DateTimeOffset ReportedAt);

    private async Task<List<LiveSessionInstanceLoad>> ReadInstancesAsync()
    {
        var database = (await redis.ConnectAsync()).GetDatabase();
        var others = new List<LiveSessionInstanceLoad>();
        foreach (var member in await database.SetMembersAsync(prefix + "instances"))
        {
            var instanceId = member.ToString();
            if (instanceId == InstanceId)
            {
                continue;
            }

            var record = await database.StringGetAsync(InstanceKey(instanceId));
            if (record.IsNullOrEmpty)
            {
                await database.SetRemoveAsync(prefix + "instances", instanceId);
                continue;
            }

            var load = JsonSerializer.Deserialize<InstanceRecord>(record.ToString(), Json)!;
            others.Add(new LiveSessionInstanceLoad(instanceId, load.Name, IsThisServer: false, load.OpenSessions, load.Connections, load.ReportedAt));
        }

        return others.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
    }
}
