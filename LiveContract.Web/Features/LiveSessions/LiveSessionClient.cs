using LiveContract.Core.Common;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// One circuit's place in a live session (scoped: one per circuit). <see cref="JoinAsync"/>
/// authorizes the caller, joins the coordinator with a connection of its own and keeps
/// <see cref="State"/> up to date by applying each event, in version order, on top of the joining
/// snapshot; after each change it calls the component's callback (which marshals onto the renderer
/// with <c>InvokeAsync</c>). A subscription dropped as too slow or failing is rejoined from a fresh
/// snapshot. Leaving (or disposing) unsubscribes and records the leave.
/// </summary>
public sealed class LiveSessionClient(LiveSessionService sessions, ILiveSessionCoordinator coordinator, TimeProvider time, ILogger<LiveSessionClient> logger)
    : IAsyncDisposable
{
    /// <summary>The shortest time between two pointer moves sent; moves in between are merged into the last.</summary>
    public static readonly TimeSpan PointerInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private Membership? current;
    private LiveSessionClientState? state;
    private DateTimeOffset lastPointerSent = DateTimeOffset.MinValue;
    private long pointerTicket;
    private bool disposed;

    /// <summary>The session as this circuit knows it, or null before joining and after leaving.</summary>
    public LiveSessionClientState? State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <summary>
    /// Joins <paramref name="sessionId"/> as <paramref name="caller"/> (leaving any session joined
    /// before); <paramref name="onChanged"/> runs after every change of <see cref="State"/>, on the
    /// coordinator's thread. Refused when the caller may not take part or the session has ended.
    /// </summary>
    public async Task<Outcome<LiveSessionClientState>> JoinAsync(
        SessionCaller caller,
        Guid sessionId,
        Func<Task> onChanged,
        string? ipAddress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(onChanged);
        ObjectDisposedException.ThrowIf(disposed, this);
        await LeaveAsync();

        var access = await sessions.OpenForAsync(caller, sessionId, cancellationToken);
        if (!access.Succeeded)
        {
            return access.Error!;
        }

        var membership = new Membership(access.Value!, onChanged, ipAddress);
        var joined = await ConnectAsync(membership, rejoin: false, cancellationToken);
        if (!joined.Succeeded)
        {
            return joined.Error!;
        }

        await sessions.RecordPresenceAsync(sessionId, membership.Participant, joined: true, ipAddress, cancellationToken);
        membership.PresenceRecorded = true;
        return joined;
    }

    /// <summary>Shows <paramref name="page"/> of <paramref name="documentId"/> to everyone following.</summary>
    public ValueTask<Outcome<long>> ChangePageAsync(Guid documentId, int page, CancellationToken cancellationToken = default) =>
        Acting() is { } membership
            ? coordinator.ChangePageAsync(membership.SessionId, membership.ConnectionId, documentId, page, cancellationToken)
            : ValueTask.FromResult<Outcome<long>>(LiveSessionErrors.NotJoined);

    /// <summary>Shows the first page of <paramref name="documentId"/> to everyone following.</summary>
    public ValueTask<Outcome<long>> LoadDocumentAsync(Guid documentId, CancellationToken cancellationToken = default) =>
        Acting() is { } membership
            ? coordinator.LoadDocumentAsync(membership.SessionId, membership.ConnectionId, documentId, cancellationToken)
            : ValueTask.FromResult<Outcome<long>>(LiveSessionErrors.NotJoined);

    /// <summary>
    /// Points at (<paramref name="x"/>, <paramref name="y"/>), 0..1 across and down the shared page.
    /// At most one move per <see cref="PointerInterval"/> is sent: a move arriving sooner waits for
    /// the end of the interval and is skipped (refused as too quick) when a newer one came meanwhile.
    /// </summary>
    public Task<Outcome<long>> PointAsync(double x, double y, CancellationToken cancellationToken = default) =>
        SendPointerAsync(new PointerPosition(x, y), cancellationToken);

    /// <summary>Leaves the session joined, if any: unsubscribes and records the leave.</summary>
    public async Task LeaveAsync()
    {
        Membership? membership;
        lock (gate)
        {
            membership = current;
            current = null;
            state = null;
        }

        if (membership is null)
        {
            return;
        }

        if (membership.Subscription is { } subscription)
        {
            await subscription.DisposeAsync();
        }

        if (membership.PresenceRecorded)
        {
            // Never throws: a failed record is logged by the service.
            await sessions.RecordPresenceAsync(membership.SessionId, membership.Participant, joined: false, membership.IpAddress);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            disposed = true;
        }

        await LeaveAsync();
    }

    /// <summary>The session and connection to act through, or null when not joined (or reconnecting).</summary>
    private (Guid SessionId, string ConnectionId)? Acting()
    {
        lock (gate)
        {
            return current is { Subscription: not null, Connection: { } connection } membership ? (membership.SessionId, connection.Id) : null;
        }
    }

    private async Task<Outcome<long>> SendPointerAsync(PointerPosition position, CancellationToken cancellationToken)
    {
        if (Acting() is null)
        {
            return LiveSessionErrors.NotJoined;
        }

        var ticket = Interlocked.Increment(ref pointerTicket);
        TimeSpan wait;
        lock (gate)
        {
            wait = lastPointerSent + PointerInterval - time.GetUtcNow();
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
            if (Interlocked.Read(ref pointerTicket) != ticket)
            {
                return LiveSessionErrors.TooManyPointerMoves;
            }
        }

        if (Acting() is not { } membership)
        {
            return LiveSessionErrors.NotJoined;
        }

        lock (gate)
        {
            lastPointerSent = time.GetUtcNow();
        }

        return await coordinator.MovePointerAsync(membership.SessionId, membership.ConnectionId, position, cancellationToken);
    }

    /// <summary>Subscribes <paramref name="membership"/> with a new connection and builds the state from its snapshot and the events that raced it.</summary>
    private async Task<Outcome<LiveSessionClientState>> ConnectAsync(Membership membership, bool rejoin, CancellationToken cancellationToken)
    {
        var connection = new Connection($"circuit:{Guid.NewGuid():N}");
        lock (gate)
        {
            // Left or disposed meanwhile (a reload during the join, a leave during the rejoin): stay out.
            if (disposed || (rejoin && current != membership))
            {
                return LiveSessionErrors.NotJoined;
            }

            current = membership;
            membership.Connection = connection;
        }

        var join = await coordinator.JoinAsync(membership.SessionId, membership.Participant, connection.Id, e => OnEventAsync(membership, connection, e), cancellationToken);
        if (!join.Succeeded)
        {
            lock (gate)
            {
                if (current == membership)
                {
                    current = null;
                }
            }

            return join.Error!;
        }

        LiveSessionClientState joined;
        lock (gate)
        {
            if (current != membership || membership.Connection != connection)
            {
                joined = null!;
            }
            else
            {
                var previous = state?.Session.Id == membership.SessionId ? state : null;
                joined = FromSnapshot(membership, join.Value!.Snapshot, previous);
                foreach (var pending in connection.Pending!.Where(e => e.Version > joined.Version).OrderBy(e => e.Version))
                {
                    joined = Apply(joined, pending);
                }

                connection.Pending = null;
                membership.Subscription = join.Value.Subscription;
                state = joined;
            }
        }

        if (joined is null)
        {
            await join.Value!.Subscription.DisposeAsync();
            return LiveSessionErrors.NotJoined;
        }

        _ = WatchAsync(membership, connection, join.Value!.Subscription);
        return joined;
    }

    private async ValueTask OnEventAsync(Membership membership, Connection connection, LiveSessionEvent @event)
    {
        lock (gate)
        {
            if (current != membership || membership.Connection != connection)
            {
                return;
            }

            if (connection.Pending is { } pending)
            {
                pending.Add(@event);
                return;
            }

            if (state is null || @event.Version <= state.Version)
            {
                return;
            }

            state = Apply(state, @event);
        }

        await NotifyAsync(membership);
    }

    /// <summary>Rejoins from a fresh snapshot when the coordinator dropped this connection as too slow or failing.</summary>
    private async Task WatchAsync(Membership membership, Connection connection, ILiveSessionSubscription subscription)
    {
        var end = await subscription.Completion;
        if (end is not (SubscriptionEnd.TooSlow or SubscriptionEnd.CallbackFailed))
        {
            return;
        }

        lock (gate)
        {
            if (disposed || current != membership || membership.Connection != connection)
            {
                return;
            }

            membership.Subscription = null;
        }

        logger.LogInformation("Rejoining live session {SessionId} after the connection was dropped ({Reason})", membership.SessionId, end);
        await subscription.DisposeAsync();
        var rejoined = await ConnectAsync(membership, rejoin: true, CancellationToken.None);
        if (!rejoined.Succeeded)
        {
            lock (gate)
            {
                if (state is not null && rejoined.Error == LiveSessionErrors.Ended)
                {
                    state = state with { Ended = true, Pointer = null };
                }
            }
        }

        await NotifyAsync(membership);
    }

    private async Task NotifyAsync(Membership membership)
    {
        try
        {
            await membership.OnChanged();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The component may be gone (its circuit closed) while an event was on its way.
            logger.LogDebug(e, "A live session view could not be refreshed");
        }
    }

    private static LiveSessionClientState FromSnapshot(Membership membership, LiveSessionSnapshot snapshot, LiveSessionClientState? previous)
    {
        var session = membership.Session;
        var pointer = snapshot.Pointer is { } position
            ? new SharedPointer(position, snapshot.DocumentId, snapshot.Page, session.AdvisorId, session.AdvisorName)
            : null;
        var departed = previous?.Departed.Where(d => snapshot.Participants.All(p => p.ParticipantId != d.Key)).ToDictionary()
            ?? new Dictionary<string, DepartedParticipant>();
        return new LiveSessionClientState(
            session,
            membership.Participant,
            snapshot.Documents,
            snapshot.DocumentId,
            snapshot.Page,
            pointer,
            snapshot.Participants,
            departed,
            snapshot.Status,
            snapshot.Ended,
            snapshot.Version,
            previous?.Announcement,
            snapshot.Version);
    }

    /// <summary>The state after <paramref name="event"/>.</summary>
    internal static LiveSessionClientState Apply(LiveSessionClientState state, LiveSessionEvent @event)
    {
        var next = state with { Version = @event.Version };
        return @event switch
        {
            LoadDocument e => next with { DocumentId = e.DocumentId, Page = e.Page, Pointer = null },
            PageChange e => next with { DocumentId = e.DocumentId, Page = e.Page, Pointer = null },
            DocumentsChanged e => next with { Documents = e.Documents, DocumentId = e.DocumentId, Page = e.Page, Pointer = null },
            Pointer e => next with
            {
                Pointer = e.Position is { } position
                    ? new SharedPointer(position, e.DocumentId, e.Page, e.Actor.ParticipantId, NameOf(state, e.Actor))
                    : null,
            },
            Presence e => WithPresence(next, e),
            StatusUpdate e => next with { ContractStatus = e.Status, SigningVersion = e.Version },
            ContractSigned e => next with { Announcement = $"{e.SignedBy} signed the contract.", SigningVersion = e.Version },
            SessionEnded => next with { Ended = true, Pointer = null, Announcement = "The session has ended." },
            _ => next,
        };
    }

    private static LiveSessionClientState WithPresence(LiveSessionClientState state, Presence presence)
    {
        var arrived = presence.Participants.Where(p => !state.IsConnected(p.ParticipantId)).ToList();
        var left = state.Participants.Where(p => presence.Participants.All(n => n.ParticipantId != p.ParticipantId)).ToList();
        var departed = state.Departed.Where(d => arrived.All(a => a.ParticipantId != d.Key)).ToDictionary();
        foreach (var participant in left)
        {
            departed[participant.ParticipantId] = new DepartedParticipant(participant.ParticipantId, participant.Role, participant.DisplayName, presence.Timestamp);
        }

        var news = arrived.Select(p => $"{p.DisplayName} joined").Concat(left.Select(p => $"{p.DisplayName} left")).ToList();
        return state with
        {
            Participants = presence.Participants,
            Departed = departed,
            Announcement = news.Count > 0 ? string.Join(". ", news) + "." : state.Announcement,
        };
    }

    private static string NameOf(LiveSessionClientState state, LiveSessionActor actor) =>
        state.Participants.FirstOrDefault(p => p.ParticipantId == actor.ParticipantId)?.DisplayName
        ?? (actor.Role == ParticipantRole.Advisor ? state.Session.AdvisorName : state.Session.CustomerName);

    /// <summary>One join of the client: who it is in which session, and its current connection.</summary>
    private sealed class Membership(LiveSessionAccess access, Func<Task> onChanged, string? ipAddress)
    {
        public LiveSessionInfo Session { get; } = access.Session;

        public Guid SessionId => Session.Id;

        public LiveParticipant Participant { get; } = access.Participant;

        public Func<Task> OnChanged { get; } = onChanged;

        public string? IpAddress { get; } = ipAddress;

        /// <summary>Guarded by the client's lock.</summary>
        public Connection? Connection { get; set; }

        /// <summary>Guarded by the client's lock; null while (re)connecting.</summary>
        public ILiveSessionSubscription? Subscription { get; set; }

        public bool PresenceRecorded { get; set; }
    }

    /// <summary>A connection to the coordinator; events that arrive before its snapshot is applied wait in <see cref="Pending"/>.</summary>
    private sealed class Connection(string id)
    {
        public string Id { get; } = id;

        /// <summary>Guarded by the client's lock; null once the snapshot is applied.</summary>
        public List<LiveSessionEvent>? Pending { get; set; } = [];
    }
}
