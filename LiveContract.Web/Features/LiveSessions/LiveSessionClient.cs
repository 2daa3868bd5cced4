using LiveContract.Core.Common;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// One circuit's place in a live session (scoped: one per circuit). <see cref="JoinAsync"/>
/// authorizes the caller, joins the coordinator with a connection of its own and keeps
/// <see cref="State"/> up to date by applying each event, in version order, on top of the joining
/// snapshot; after each change it calls the component's callback (which marshals onto the renderer
/// with <c>InvokeAsync</c>). A subscription dropped as too slow or failing is rejoined from a fresh
/// snapshot. Leaving (or disposing) unsubscribes and records the leave.
/// </summary>
public sealed class LiveSessionClient(
    LiveSessionService sessions,
    ILiveSessionCoordinator coordinator,
    PresenceRecorder presence,
    TimeProvider time,
    IStringLocalizer<CustomerText> text,
    ILogger<LiveSessionClient> logger)
    : IAsyncDisposable
{
    /// <summary>The shortest time between two pointer moves sent; moves in between are merged into the last.</summary>
    public static readonly TimeSpan PointerInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The shortest time between two values sent for one field; keystrokes in between are merged into the last.</summary>
    public static readonly TimeSpan FieldValueInterval = TimeSpan.FromMilliseconds(150);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Typing> typing = [];
    private readonly Dictionary<Guid, DateTimeOffset> valueSentAt = [];
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

        await presence.ConnectedAsync(sessionId, membership.Participant, ipAddress, cancellationToken);
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

    /// <summary>Tells everyone that this participant is in <paramref name="fieldId"/> now, or in no field (null).</summary>
    public ValueTask<Outcome<long>> FocusFieldAsync(Guid? fieldId, CancellationToken cancellationToken = default) =>
        Acting() is { } membership
            ? coordinator.FocusFieldAsync(membership.SessionId, membership.ConnectionId, fieldId, cancellationToken)
            : ValueTask.FromResult<Outcome<long>>(LiveSessionErrors.NotJoined);

    /// <summary>
    /// Types <paramref name="value"/> into <paramref name="fieldId"/>: <see cref="State"/> shows it
    /// at once (with the problem the field's rules find), and it is sent to everyone; at most one
    /// value per field is sent every <see cref="FieldValueInterval"/>, a value typed sooner waits
    /// and is merged into the newest, which is always sent. Returns null when the value was sent
    /// or merged into a newer one, or the refusal (the field then shows the session's value again).
    /// </summary>
    public async Task<OperationError?> SetFieldValueAsync(Guid fieldId, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Acting() is null)
        {
            return LiveSessionErrors.NotJoined;
        }

        long ticket;
        TimeSpan wait;
        Membership? membership;
        lock (gate)
        {
            if (!typing.TryGetValue(fieldId, out var typed))
            {
                typed = new Typing(state?.FieldValues.GetValueOrDefault(fieldId));
                typing.Add(fieldId, typed);
            }

            typed.Latest = value;
            ticket = ++typed.Ticket;
            wait = valueSentAt.GetValueOrDefault(fieldId, DateTimeOffset.MinValue) + FieldValueInterval - time.GetUtcNow();
            state = state is null ? null : Typed(state, fieldId, typed);
            membership = current;
        }

        if (membership is not null)
        {
            await NotifyAsync(membership);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }

        return await SendTypedAsync(fieldId, ticket, cancellationToken);
    }

    /// <summary>
    /// Finishes with <paramref name="fieldId"/> (the input lost focus): sends the value typed last
    /// at once, if it was not sent yet, commits it (it reaches the audit trail) and saves the
    /// session's values durably now. Returns null when done, or why not.
    /// </summary>
    public async Task<OperationError?> CommitFieldAsync(Guid fieldId, CancellationToken cancellationToken = default)
    {
        long ticket;
        lock (gate)
        {
            ticket = typing.TryGetValue(fieldId, out var typed) ? ++typed.Ticket : 0;
        }

        if (ticket > 0 && await SendTypedAsync(fieldId, ticket, cancellationToken) is { } refused)
        {
            return refused;
        }

        return Acting() is { } membership
            ? (await coordinator.FlushFieldsAsync(membership.SessionId, fieldId, cancellationToken)).Error
            : LiveSessionErrors.NotJoined;
    }

    /// <summary>The advisor shows the customer <paramref name="fieldId"/> (one of the customer's fields): the customer's view jumps to it and highlights it.</summary>
    public ValueTask<Outcome<long>> GuideToFieldAsync(Guid fieldId, CancellationToken cancellationToken = default) =>
        Acting() is { } membership
            ? coordinator.GuideFieldAsync(membership.SessionId, membership.ConnectionId, fieldId, cancellationToken)
            : ValueTask.FromResult<Outcome<long>>(LiveSessionErrors.NotJoined);

    /// <summary>Leaves the session joined, if any: unsubscribes and records the leave.</summary>
    public async Task LeaveAsync()
    {
        Membership? membership;
        lock (gate)
        {
            membership = current;
            current = null;
            state = null;
            typing.Clear();
            valueSentAt.Clear();
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
            presence.Disconnected(membership.SessionId, membership.Participant, membership.IpAddress);
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

    /// <summary>
    /// Sends the value typed last into <paramref name="fieldId"/> when <paramref name="ticket"/> is
    /// still the newest keystroke (otherwise a newer call sends it), and stops showing the typed
    /// value over the session's once no newer keystroke is waiting.
    /// </summary>
    private async Task<OperationError?> SendTypedAsync(Guid fieldId, long ticket, CancellationToken cancellationToken)
    {
        string value;
        lock (gate)
        {
            if (!typing.TryGetValue(fieldId, out var typed) || typed.Ticket != ticket)
            {
                return null;
            }

            value = typed.Latest;
            valueSentAt[fieldId] = time.GetUtcNow();
        }

        if (Acting() is not { } acting)
        {
            return LiveSessionErrors.NotJoined;
        }

        var sent = await coordinator.SetFieldValueAsync(acting.SessionId, acting.ConnectionId, fieldId, value, cancellationToken);
        Membership? membership = null;
        lock (gate)
        {
            if (typing.TryGetValue(fieldId, out var typed) && typed.Ticket == ticket)
            {
                typing.Remove(fieldId);
                if (state is not null)
                {
                    var shown = sent.Value is { } accepted && accepted.Version >= (typed.Confirmed?.Version ?? 0) ? accepted : typed.Confirmed;
                    state = state with { FieldValues = With(state.FieldValues, fieldId, shown) };
                    membership = current;
                }
            }
        }

        if (membership is not null)
        {
            await NotifyAsync(membership);
        }

        return sent.Error;
    }

    /// <summary><paramref name="state"/> showing what is being typed into <paramref name="fieldId"/> over the session's value.</summary>
    private LiveSessionClientState Typed(LiveSessionClientState state, Guid fieldId, Typing typed)
    {
        var field = state.Fields.FirstOrDefault(f => f.Id == fieldId);
        var shown = new LiveFieldValue(
            fieldId,
            typed.Latest,
            typed.Confirmed?.Version ?? 0,
            state.Self.ParticipantId,
            state.Self.DisplayName,
            time.GetUtcNow(),
            field is null ? null : FieldValueRules.Problem(field, typed.Latest));
        return state with { FieldValues = With(state.FieldValues, fieldId, shown) };
    }

    /// <summary>Shows the values still being typed over <paramref name="state"/>, remembering the session's values beneath them.</summary>
    private LiveSessionClientState WithTyping(LiveSessionClientState state)
    {
        foreach (var (fieldId, typed) in typing)
        {
            if (state.FieldValues.GetValueOrDefault(fieldId) is { } confirmed && confirmed.Version > (typed.Confirmed?.Version ?? 0))
            {
                typed.Confirmed = confirmed;
            }

            state = Typed(state, fieldId, typed);
        }

        return state;
    }

    private static Dictionary<Guid, LiveFieldValue> With(IReadOnlyDictionary<Guid, LiveFieldValue> values, Guid fieldId, LiveFieldValue? value)
    {
        var changed = new Dictionary<Guid, LiveFieldValue>(values);
        if (value is null)
        {
            changed.Remove(fieldId);
        }
        else
        {
            changed[fieldId] = value;
        }

        return changed;
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
                joined = WithTyping(joined);
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
            if (@event is FieldValueChanged or FieldsChanged && typing.Count > 0)
            {
                state = WithTyping(state);
            }
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
            snapshot.Version)
        {
            Fields = snapshot.Fields,
            FieldValues = snapshot.FieldValues,
            FieldFocus = snapshot.FieldFocus,
            FieldsFrozen = snapshot.FieldsFrozen,
            Sealed = snapshot.Sealed,
            Guide = previous?.Guide,
            MovedBy = previous?.MovedBy,
            LastSigner = previous?.LastSigner,
        };
    }

    /// <summary>
    /// The state after <paramref name="event"/>; its announcement is worded in the current culture, which is the
    /// circuit's: events are delivered on a loop started while joining, so it flows from there.
    /// </summary>
    private LiveSessionClientState Apply(LiveSessionClientState state, LiveSessionEvent @event)
    {
        var next = state with { Version = @event.Version };
        return @event switch
        {
            LoadDocument e => next with { DocumentId = e.DocumentId, Page = e.Page, Pointer = null, MovedBy = e.Actor },
            PageChange e => next with { DocumentId = e.DocumentId, Page = e.Page, Pointer = null, MovedBy = e.Actor },
            DocumentsChanged e => next with { Documents = e.Documents, DocumentId = e.DocumentId, Page = e.Page, Pointer = null, MovedBy = e.Actor },
            Pointer e => next with
            {
                Pointer = e.Position is { } position
                    ? new SharedPointer(position, e.DocumentId, e.Page, e.Actor.ParticipantId, NameOf(state, e.Actor))
                    : null,
            },
            Presence e => WithPresence(next, e),
            StatusUpdate e => next with { ContractStatus = e.Status, SigningVersion = e.Version },
            ContractSigned e => next with { Announcement = text["Live.Announce.Signed", e.SignedBy].Value, SigningVersion = e.Version, FieldsFrozen = true, LastSigner = e.Actor },
            ContractSealed e => next with { Sealed = e.Sealed },
            SessionEnded => next with { Ended = true, Pointer = null, Announcement = text["Live.Announce.Ended"].Value, FieldFocus = [] },
            FieldValueChanged e => next.FieldValues.GetValueOrDefault(e.FieldId) is { } held && held.Version >= e.ValueVersion
                ? next
                : next with
                {
                    FieldValues = With(
                        next.FieldValues,
                        e.FieldId,
                        new LiveFieldValue(e.FieldId, e.Value, e.ValueVersion, e.Actor.ParticipantId, NameOf(state, e.Actor), e.Timestamp, e.Problem)),
                },
            FieldFocus e => next with
            {
                FieldFocus = next.FieldFocus
                    .Where(m => m.ParticipantId != e.Actor.ParticipantId)
                    .Concat(e.FieldId is { } fieldId ? [new FieldFocusMarker(e.Actor.ParticipantId, e.Actor.Role, e.DisplayName, fieldId)] : [])
                    .ToArray(),
            },
            FieldGuide e => next with { Guide = new FieldGuideRequest(e.FieldId, e.DocumentId, e.Page, e.Version) },
            FieldsChanged e => next with
            {
                Fields = e.Fields,
                FieldValues = next.FieldValues.Where(v => e.Fields.Any(f => f.Id == v.Key)).ToDictionary(),
                FieldFocus = next.FieldFocus.Where(m => e.Fields.Any(f => f.Id == m.FieldId)).ToArray(),
            },
            _ => next,
        };
    }

    private LiveSessionClientState WithPresence(LiveSessionClientState state, Presence presence)
    {
        var arrived = presence.Participants.Where(p => !state.IsConnected(p.ParticipantId)).ToList();
        var left = state.Participants.Where(p => presence.Participants.All(n => n.ParticipantId != p.ParticipantId)).ToList();
        var departed = state.Departed.Where(d => arrived.All(a => a.ParticipantId != d.Key)).ToDictionary();
        foreach (var participant in left)
        {
            departed[participant.ParticipantId] = new DepartedParticipant(participant.ParticipantId, participant.Role, participant.DisplayName, presence.Timestamp);
        }

        var news = arrived.Select(p => text["Live.Announce.Joined", p.DisplayName].Value).Concat(left.Select(p => text["Live.Announce.Left", p.DisplayName].Value)).ToList();
        return state with
        {
            Participants = presence.Participants,
            FieldFocus = state.FieldFocus.Where(m => presence.Participants.Any(p => p.ParticipantId == m.ParticipantId)).ToArray(),
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

    /// <summary>
    /// A field being typed into (guarded by the client's lock): the newest value and its keystroke
    /// number, and the session's value beneath (shown again on a refusal).
    /// </summary>
    private sealed class Typing(LiveFieldValue? confirmed)
    {
        public string Latest { get; set; } = "";

        public long Ticket { get; set; }

        public LiveFieldValue? Confirmed { get; set; } = confirmed;
    }

    /// <summary>A connection to the coordinator; events that arrive before its snapshot is applied wait in <see cref="Pending"/>.</summary>
    private sealed class Connection(string id)
    {
        public string Id { get; } = id;

        /// <summary>Guarded by the client's lock; null once the snapshot is applied.</summary>
        public List<LiveSessionEvent>? Pending { get; set; } = [];
    }
}
