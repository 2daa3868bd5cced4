using System.Collections.Concurrent;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The one-process <see cref="ILiveSessionCoordinator"/>: every session lives in memory, behind its
/// own lock (sessions never wait for each other). Each subscriber has a bounded queue
/// (<see cref="LiveSessionOptions.SubscriberQueueCapacity"/>) read by a single loop that calls its
/// callback; a subscriber that falls that far behind, or whose callback throws, is disconnected
/// instead of holding anyone up. Commands are rate limited per participant (one budget for all of
/// their connections), and each participant may hold at most
/// <see cref="LiveSessionOptions.MaxConnectionsPerParticipant"/> connections. The document and page
/// are saved to the <see cref="ILiveSessionStateStore"/> at most once per
/// <see cref="LiveSessionOptions.SaveInterval"/> per session, and when it ends; field values go to
/// the <see cref="IFieldValueStore"/> the same way, and also on a flush. What each session
/// shows, and the customer's joins and leaves, are reported to the <see cref="PageViewTracker"/>
/// when one is given.
/// <para>
/// A subscriber's callback can run before <see cref="JoinAsync"/> has returned: apply events to the
/// snapshot, each one's version being the one after the last. Disposing asynchronously stops every
/// subscriber, saves positions not yet saved and waits for the delivery loops; disposing
/// synchronously only stops them.
/// </para>
/// </summary>
public sealed class InMemoryLiveSessionCoordinator : ILiveSessionCoordinator, IDisposable, IAsyncDisposable
{
    /// <summary>How the system page names this coordinator: its sessions exist only in this process.</summary>
    public const string Backend = "In memory (this server)";

    private readonly ConcurrentDictionary<Guid, InMemoryLiveSession> sessions = new();
    private readonly LiveSessionOptions options;
    private readonly ILiveSessionStateStore store;
    private readonly IFieldValueStore fieldStore;
    private readonly TimeProvider time;
    private readonly ILogger<InMemoryLiveSessionCoordinator> logger;
    private readonly PageViewTracker? pageViews;
    private int stopped;

    /// <summary>Completes once the first stop has saved what was unsaved (or stopped without saving, when synchronous).</summary>
    private readonly TaskCompletionSource savedOnStop = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemoryLiveSessionCoordinator(
        IOptions<LiveSessionOptions> options,
        ILiveSessionStateStore store,
        IFieldValueStore fieldStore,
        TimeProvider time,
        ILogger<InMemoryLiveSessionCoordinator> logger,
        PageViewTracker? pageViews = null)
    {
        this.options = options.Value;
        this.options.Validate();
        this.store = store;
        this.fieldStore = fieldStore;
        this.time = time;
        this.logger = logger;
        this.pageViews = pageViews;
    }

    private bool Stopped => Volatile.Read(ref stopped) != 0;

    /// <summary>
    /// Receives every change a session accepts from this server's callers (not those applied with
    /// <see cref="ApplyReplicatedAsync"/>), for <see cref="RedisLiveSessionCoordinator"/> to send to the
    /// other servers. Set before the first session opens.
    /// </summary>
    internal LiveSessionReplicator? Replicator { get; set; }

    public async Task<Outcome<LiveSessionSnapshot>> OpenAsync(Guid sessionId, LiveSessionSetup setup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (Stopped)
        {
            return LiveSessionErrors.Stopping;
        }

        if (Validate(setup) is { } invalid)
        {
            return invalid;
        }

        if (sessions.TryGetValue(sessionId, out var open))
        {
            if (!open.Released)
            {
                return open.Reopen(setup.ContractId);
            }

            // A complete session let go a moment ago: start a new replica.
            sessions.TryRemove(new KeyValuePair<Guid, InMemoryLiveSession>(sessionId, open));
        }

        var saved = await store.LoadAsync(sessionId, cancellationToken);
        if (saved is not null && saved.ContractId != setup.ContractId)
        {
            return LiveSessionErrors.OtherContract;
        }

        if (saved is { Ended: true })
        {
            return LiveSessionErrors.Ended;
        }

        var resumed = saved is null ? null : setup.Documents.FirstOrDefault(d => d.DocumentId == saved.DocumentId);
        var session = new InMemoryLiveSession(
            sessionId,
            setup,
            resumed?.DocumentId ?? setup.FirstDocumentId,
            resumed is null ? setup.FirstPage : Math.Clamp(saved!.Page, 1, resumed.PageCount),
            saved?.Version ?? 0,
            options,
            store,
            fieldStore,
            time,
            logger,
            Replicator,
            Release);
        var opened = sessions.GetOrAdd(sessionId, session).Reopen(setup.ContractId);
        if (opened.Value is { } snapshot)
        {
            pageViews?.Shown(sessionId, snapshot.DocumentId, snapshot.Page, snapshot.Version);
        }

        return opened;
    }

    public Task<Outcome<LiveSessionJoin>> JoinAsync(
        Guid sessionId,
        LiveParticipant participant,
        string connectionId,
        Func<LiveSessionEvent, ValueTask> onEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentException.ThrowIfNullOrEmpty(participant.ParticipantId);
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(onEvent);
        var joined = Find(sessionId, out var session) ?? session.Join(participant, connectionId, onEvent);
        if (pageViews is not null && joined.Value is { } join && participant.Role == ParticipantRole.Customer)
        {
            joined = pageViews.CustomerJoined(sessionId, connectionId, join);
        }

        return Task.FromResult(joined);
    }

    public ValueTask<Outcome<long>> ChangePageAsync(Guid sessionId, string connectionId, Guid documentId, int page, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Shown(sessionId, documentId, page, Find(sessionId, out var session) ?? session.ChangePage(connectionId, documentId, page)));

    public ValueTask<Outcome<long>> LoadDocumentAsync(Guid sessionId, string connectionId, Guid documentId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Shown(sessionId, documentId, 1, Find(sessionId, out var session) ?? session.LoadDocument(connectionId, documentId)));

    public ValueTask<Outcome<long>> MovePointerAsync(Guid sessionId, string connectionId, PointerPosition? position, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.MovePointer(connectionId, position));

    public ValueTask<Outcome<long>> UpdateDocumentsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<SessionDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(documents);
        var updated = Find(sessionId, out var session) ?? ValidateDocuments(documents) ?? session.UpdateDocuments(actor, documents);
        if (updated.Succeeded && pageViews is not null)
        {
            var shown = session.Snapshot();
            pageViews.Shown(sessionId, shown.DocumentId, shown.Page, shown.Version);
        }

        return ValueTask.FromResult(updated);
    }

    public ValueTask<Outcome<long>> PublishStatusAsync(Guid sessionId, LiveSessionActor actor, ContractStatus status, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.PublishStatus(actor, status));

    public ValueTask<Outcome<long>> PublishContractSignedAsync(
        Guid sessionId,
        LiveSessionActor actor,
        string signedBy,
        DateTimeOffset signedAt,
        CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.PublishContractSigned(actor, signedBy, signedAt));

    public ValueTask<Outcome<long>> PublishContractSealedAsync(Guid sessionId, LiveSessionActor actor, SessionSealedPdf sealedPdf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(sealedPdf);
        return ValueTask.FromResult(Find(sessionId, out var session) ?? session.PublishContractSealed(actor, sealedPdf));
    }

    public ValueTask<Outcome<long>> FocusFieldAsync(Guid sessionId, string connectionId, Guid? fieldId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.FocusField(connectionId, fieldId));

    public ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, string connectionId, Guid fieldId, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ValueTask.FromResult(Find(sessionId, out var session) is { } missing ? missing : session.SetFieldValue(connectionId, fieldId, value));
    }

    public ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, LiveParticipant participant, Guid fieldId, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(value);
        return ValueTask.FromResult(Find(sessionId, out var session) is { } missing ? missing : session.SetFieldValue(participant, fieldId, value));
    }

    public ValueTask<Outcome<long>> GuideFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.GuideField(connectionId, fieldId));

    public ValueTask<Outcome<long>> UpdateFieldsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<Fields.FieldDefinition> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(fields);
        return ValueTask.FromResult(Find(sessionId, out var session) ?? session.UpdateFields(actor, fields));
    }

    public ValueTask<Outcome<long>> CommitFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(sessionId, out var session) ?? session.CommitField(connectionId, fieldId));

    public async Task<Outcome<long>> FlushFieldsAsync(Guid sessionId, Guid? commitFieldId = null, CancellationToken cancellationToken = default)
    {
        if (Find(sessionId, out var session) is { } missing)
        {
            return missing;
        }

        if (commitFieldId is { } fieldId)
        {
            session.Commit(fieldId);
        }

        return await session.SaveFieldsAsync() ? session.Snapshot().Version : LiveSessionErrors.FieldValuesNotSaved;
    }

    public async Task<Outcome<long>> HoldFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        if ((Find(sessionId, out var session) ?? session.HoldFields().Error) is { } refused)
        {
            return refused;
        }

        if (await session.SaveFieldsAsync())
        {
            return session.Snapshot().Version;
        }

        session.ReleaseFields();
        return LiveSessionErrors.FieldValuesNotSaved;
    }

    public ValueTask ReleaseFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        if (sessions.TryGetValue(sessionId, out var session))
        {
            session.ReleaseFields();
        }

        return ValueTask.CompletedTask;
    }

    public async Task<Outcome<long>> EndAsync(Guid sessionId, LiveSessionActor actor, CancellationToken cancellationToken = default)
    {
        var ended = Find(sessionId, out var session) ?? await session.EndAsync(actor, Forget);
        if (ended.Succeeded)
        {
            pageViews?.Forget(sessionId);
        }

        return ended;
    }

    public ValueTask<LiveSessionSnapshot?> GetSnapshotAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(sessions.TryGetValue(sessionId, out var session) ? session.Snapshot() : null);

    public ValueTask<LiveSessionServerLoad> GetServerLoadAsync(CancellationToken cancellationToken = default)
    {
        var open = 0;
        var connections = 0;
        foreach (var session in sessions.Values)
        {
            if (session.Connections() is { } count)
            {
                open++;
                connections += count;
            }
        }

        return ValueTask.FromResult(new LiveSessionServerLoad(Backend, open, connections));
    }

    /// <summary>
    /// Applies a change another server's replica accepted (see <see cref="InMemoryLiveSession.ApplyReplicated"/>)
    /// to the session when it is open here; an end ends it here too. Returns whether it changed anything.
    /// </summary>
    internal async Task<bool> ApplyReplicatedAsync(Guid sessionId, string kind, LiveSessionChange change)
    {
        if (Stopped || !sessions.TryGetValue(sessionId, out var session))
        {
            return false;
        }

        if (kind == LiveSessionChangeKind.Ended)
        {
            if (change.Actor is not { } actor || !(await session.EndAsync(actor, Forget, replicated: true)).Succeeded)
            {
                return false;
            }

            pageViews?.Forget(sessionId);
            return true;
        }

        if (!session.ApplyReplicated(kind, change))
        {
            return false;
        }

        if (pageViews is not null && kind is LiveSessionChangeKind.Page or LiveSessionChangeKind.Document or LiveSessionChangeKind.Documents)
        {
            var shown = session.Snapshot();
            pageViews.Shown(sessionId, shown.DocumentId, shown.Page, shown.Version);
        }

        return true;
    }

    /// <summary>Replaces the participants server <paramref name="instanceId"/> has connected to the session, when it is open here.</summary>
    internal bool ApplyRemotePresence(Guid sessionId, string instanceId, IReadOnlyList<ParticipantPresence> participants) =>
        !Stopped && sessions.TryGetValue(sessionId, out var session) && session.ApplyRemotePresence(instanceId, participants);

    /// <summary>Whether the session is open here (ended ones included, while they are kept).</summary>
    internal bool IsOpen(Guid sessionId) => sessions.ContainsKey(sessionId);

    /// <summary>Forgets every participant of server <paramref name="instanceId"/> (it stopped answering) in every session.</summary>
    internal void DropInstance(string instanceId)
    {
        foreach (var session in sessions.Values)
        {
            session.ApplyRemotePresence(instanceId, []);
        }
    }

    /// <summary>Each session open here and not ended, with the participants connected to this server.</summary>
    internal IReadOnlyDictionary<Guid, IReadOnlyList<ParticipantPresence>> LocalPresence()
    {
        var presence = new Dictionary<Guid, IReadOnlyList<ParticipantPresence>>();
        foreach (var session in sessions.Values)
        {
            if (session.LocalParticipants() is { } participants)
            {
                presence[session.Id] = participants;
            }
        }

        return presence;
    }

    public void Dispose()
    {
        if (StopAll() is not null)
        {
            savedOnStop.TrySetResult();
        }
    }

    /// <summary>
    /// Stops every session, then saves what is unsaved of all of them at once (the stores write
    /// the saves that arrive together in one transaction), and only then waits for the delivery
    /// loops: a callback that hangs (a connection that no longer reads) delays the end of the
    /// disposal, never another session's save. A later call (the host stopping twice, or the
    /// container disposing after the host's stop) waits for those saves, not for the loops, so the
    /// services the saves use are not disposed under them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var stopped = StopAll();
        if (stopped is null)
        {
            await savedOnStop.Task;
            return;
        }

        try
        {
            await Task.WhenAll(stopped.Select(s => SaveStoppedAsync(s.Session, s.SaveDue, s.FieldSaveDue)));
        }
        finally
        {
            savedOnStop.TrySetResult();
        }

        await Task.WhenAll(stopped.SelectMany(s => s.Subscribers).Where(s => !s.IsDelivering).Select(s => s.Loop));
    }

    private static async Task SaveStoppedAsync(InMemoryLiveSession session, bool saveDue, bool fieldSaveDue)
    {
        if (saveDue)
        {
            await session.SaveAsync(final: false);
        }

        if (fieldSaveDue)
        {
            await session.SaveFieldsAsync();
        }
    }

    private static OperationError? ValidateDocuments(IReadOnlyList<SessionDocument> documents)
    {
        if (documents.Count == 0)
        {
            return LiveSessionErrors.NoDocuments;
        }

        if (documents.DistinctBy(d => d.DocumentId).Count() != documents.Count)
        {
            return LiveSessionErrors.DuplicateDocument;
        }

        return documents.Any(d => d.PageCount < 1) ? LiveSessionErrors.EmptyDocument : null;
    }

    private static OperationError? Validate(LiveSessionSetup setup)
    {
        if (ValidateDocuments(setup.Documents) is { } invalid)
        {
            return invalid;
        }

        var first = setup.Documents.FirstOrDefault(d => d.DocumentId == setup.FirstDocumentId);
        if (first is null)
        {
            return LiveSessionErrors.DocumentNotInSession;
        }

        return setup.FirstPage < 1 || setup.FirstPage > first.PageCount ? LiveSessionErrors.PageOutOfRange(setup.FirstPage, first.PageCount) : null;
    }

    private OperationError? Find(Guid sessionId, out InMemoryLiveSession session)
    {
        if (Stopped)
        {
            session = null!;
            return LiveSessionErrors.Stopping;
        }

        return sessions.TryGetValue(sessionId, out session!) ? null : LiveSessionErrors.UnknownSession;
    }

    /// <summary>Tells the <see cref="PageViewTracker"/> that an accepted move shows <paramref name="page"/> of <paramref name="documentId"/>.</summary>
    private Outcome<long> Shown(Guid sessionId, Guid documentId, int page, Outcome<long> moved)
    {
        if (moved.Succeeded)
        {
            pageViews?.Shown(sessionId, documentId, page, moved.Value);
        }

        return moved;
    }

    private void Forget(InMemoryLiveSession session) => sessions.TryRemove(new KeyValuePair<Guid, InMemoryLiveSession>(session.Id, session));

    /// <summary>A complete session nobody has been connected to here for a while: forgotten, with its count of pages viewed.</summary>
    private void Release(InMemoryLiveSession session)
    {
        if (sessions.TryRemove(new KeyValuePair<Guid, InMemoryLiveSession>(session.Id, session)))
        {
            pageViews?.Forget(session.Id);
        }
    }

    /// <summary>Stops every session, once; returns each with the subscribers it stopped and whether a save is due, or null when it was stopped already.</summary>
    private List<(InMemoryLiveSession Session, IReadOnlyList<LiveSessionSubscriber> Subscribers, bool SaveDue, bool FieldSaveDue)>? StopAll()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return null;
        }

        return sessions.Values
            .Select(session =>
            {
                var (subscribers, saveDue, fieldSaveDue) = session.Stop();
                return (session, subscribers, saveDue, fieldSaveDue);
            })
            .ToList();
    }
}
