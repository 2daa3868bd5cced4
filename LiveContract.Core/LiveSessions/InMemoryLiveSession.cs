using System.Globalization;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// One session of <see cref="InMemoryLiveSessionCoordinator"/>. Its lock guards all of its state;
/// each accepted change takes the next version and queues its event to every subscriber inside
/// the lock, so versions are gapless and every subscriber receives them in order. Nothing inside
/// the lock waits: queues are written with <see cref="LiveSessionSubscriber.TryWrite"/>, and saves
/// run from a timer.
/// <para>
/// Field values live here too: each accepted value takes the field's next value version (last
/// write wins) and is marked unsaved; unsaved values go to the <see cref="IFieldValueStore"/> at
/// most <see cref="LiveSessionOptions.SaveInterval"/> later, on a flush, at the end and when the
/// coordinator stops, and again after a failed save. A value is committed (handed to the store as
/// one to audit) when its owner leaves the field, and every value when a signature is about to be
/// recorded and when the session ends; the values typed in between are saved, not audited.
/// </para>
/// <para>
/// A session whose contract is Signed is complete: what is unsaved is saved at once, those in it
/// stay (and hear of the sealed PDF), and once nobody has been connected to it here for
/// <see cref="LiveSessionOptions.PresenceGracePeriod"/> it is released: the coordinator forgets it,
/// and a later open starts a new replica from the setup.
/// </para>
/// </summary>
internal sealed class InMemoryLiveSession
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Attendee> attendees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LiveSessionSubscriber> connections = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim saving = new(1, 1);
    private readonly SemaphoreSlim savingFields = new(1, 1);
    private readonly Dictionary<Guid, LiveFieldValue> values = [];
    private readonly Dictionary<Guid, ParticipantRole> setByRoles = [];
    private readonly HashSet<Guid> unsavedFields = [];
    private readonly HashSet<Guid> uncommittedFields = [];
    private readonly HashSet<Guid> committingFields = [];
    private readonly Dictionary<string, FieldFocusMarker> focus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ParticipantPresence>> remoteAttendees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParticipantLimits> limits = new(StringComparer.Ordinal);
    private readonly LiveSessionReplicator? replicate;
    private readonly Action<InMemoryLiveSession>? release;
    private readonly LiveSessionOptions options;
    private readonly ILiveSessionStateStore store;
    private readonly IFieldValueStore fieldStore;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private Dictionary<Guid, int> pageCounts;
    private IReadOnlyList<SessionDocument> documents;
    private ITimer? saveTimer;
    private ITimer? retentionTimer;
    private ITimer? fieldSaveTimer;
    private ITimer? idleTimer;
    private IReadOnlyList<FieldDefinition> fields;
    private Dictionary<Guid, FieldDefinition> fieldsById;
    private bool saveDue;
    private bool fieldSaveDue;
    private bool fieldSaveSoon;
    private bool fieldsFrozen;
    private int fieldHolds;
    private bool stopped;
    private Guid documentId;
    private int page;
    private PointerPosition? pointer;
    private ContractStatus status;
    private bool ended;
    private bool released;
    private SessionSealedPdf? sealedPdf;
    private long version;
    private DateTimeOffset lastActivity;

    public InMemoryLiveSession(
        Guid id,
        LiveSessionSetup setup,
        Guid documentId,
        int page,
        long version,
        LiveSessionOptions options,
        ILiveSessionStateStore store,
        IFieldValueStore fieldStore,
        TimeProvider time,
        ILogger logger,
        LiveSessionReplicator? replicate = null,
        Action<InMemoryLiveSession>? release = null)
    {
        Id = id;
        ContractId = setup.ContractId;
        documents = setup.Documents.ToArray();
        pageCounts = documents.ToDictionary(d => d.DocumentId, d => d.PageCount);
        status = setup.Status;
        fields = setup.Fields.ToArray();
        fieldsById = fields.ToDictionary(f => f.Id);
        foreach (var value in setup.FieldValues.Where(v => fieldsById.ContainsKey(v.FieldId)))
        {
            values[value.FieldId] = value;
        }

        fieldsFrozen = setup.FieldsFrozen;
        this.fieldStore = fieldStore;
        this.documentId = documentId;
        this.page = page;
        this.version = version;
        this.options = options;
        this.store = store;
        this.time = time;
        this.logger = logger;
        this.replicate = replicate;
        this.release = release;
        sealedPdf = setup.Sealed;
        lastActivity = time.GetUtcNow();
        if (CompletedLocked)
        {
            // Opened complete (by someone who may never join): let it go unless someone comes.
            StartIdleTimerLocked();
        }
    }

    public Guid Id { get; }

    public Guid ContractId { get; }

    /// <summary>Whether the session was released (complete, and nobody connected here for a while): the coordinator no longer holds it.</summary>
    public bool Released
    {
        get
        {
            lock (gate)
            {
                return released;
            }
        }
    }

    /// <summary>Whether the contract is Signed: the session's work is done.</summary>
    private bool CompletedLocked => status == ContractStatus.Signed;

    public LiveSessionSnapshot Snapshot()
    {
        lock (gate)
        {
            return SnapshotLocked();
        }
    }

    /// <summary>The number of connections joined, or null once the session has ended (it is only kept for late callers).</summary>
    public int? Connections()
    {
        lock (gate)
        {
            return ended || released ? null : connections.Count;
        }
    }

    /// <summary>The snapshot for a caller opening the session again.</summary>
    public Outcome<LiveSessionSnapshot> Reopen(Guid contractId)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            if (released)
            {
                return LiveSessionErrors.UnknownSession;
            }

            return contractId == ContractId ? SnapshotLocked() : LiveSessionErrors.OtherContract;
        }
    }

    public Outcome<LiveSessionJoin> Join(LiveParticipant participant, string connectionId, Func<LiveSessionEvent, ValueTask> onEvent)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            if (released)
            {
                return LiveSessionErrors.UnknownSession;
            }

            if (connections.ContainsKey(connectionId))
            {
                return LiveSessionErrors.ConnectionAlreadyJoined;
            }

            attendees.TryGetValue(participant.ParticipantId, out var attendee);
            if (attendee is not null && attendee.Participant.Role != participant.Role)
            {
                return LiveSessionErrors.OtherRole;
            }

            if (ConnectionsOfLocked(participant.ParticipantId) >= options.MaxConnectionsPerParticipant)
            {
                return LiveSessionErrors.TooManyConnections(options.MaxConnectionsPerParticipant);
            }

            var subscriber = new LiveSessionSubscriber(this, participant, connectionId, onEvent, options, logger);
            if (attendee is null)
            {
                attendees.Add(participant.ParticipantId, new Attendee(participant, time.GetUtcNow()) { Connections = 1 });
                Publish((v, at) => new Presence(Id, v, participant.Actor, at, ParticipantsLocked()));
            }
            else
            {
                attendee.Connections++;
            }

            ReplicatePresenceLocked();

            connections.Add(connectionId, subscriber);
            idleTimer?.Dispose();
            idleTimer = null;
            lastActivity = time.GetUtcNow();
            subscriber.Start();
            return new LiveSessionJoin(SnapshotLocked(), subscriber);
        }
    }

    public Outcome<long> ChangePage(string connectionId, Guid document, int newPage)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (!pageCounts.TryGetValue(document, out var pageCount))
            {
                return LiveSessionErrors.DocumentNotInSession;
            }

            if (newPage < 1 || newPage > pageCount)
            {
                return LiveSessionErrors.PageOutOfRange(newPage, pageCount);
            }

            if (!TakeLocked(subscriber, l => l.PageChanges))
            {
                return LiveSessionErrors.TooManyPageChanges;
            }

            documentId = document;
            page = newPage;
            pointer = null;
            ScheduleSaveLocked();
            replicate?.Invoke(Id, LiveSessionChangeKind.Page, new LiveSessionChange { Actor = subscriber.Participant.Actor, DocumentId = document, Page = newPage });
            return Publish((v, at) => new PageChange(Id, v, subscriber.Participant.Actor, at, document, newPage));
        }
    }

    public Outcome<long> LoadDocument(string connectionId, Guid document)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (!pageCounts.ContainsKey(document))
            {
                return LiveSessionErrors.DocumentNotInSession;
            }

            if (!TakeLocked(subscriber, l => l.PageChanges))
            {
                return LiveSessionErrors.TooManyPageChanges;
            }

            documentId = document;
            page = 1;
            pointer = null;
            ScheduleSaveLocked();
            replicate?.Invoke(Id, LiveSessionChangeKind.Document, new LiveSessionChange { Actor = subscriber.Participant.Actor, DocumentId = document, Page = 1 });
            return Publish((v, at) => new LoadDocument(Id, v, subscriber.Participant.Actor, at, document, 1));
        }
    }

    public Outcome<long> MovePointer(string connectionId, PointerPosition? position)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (position is { IsOnPage: false })
            {
                return LiveSessionErrors.PointerOffPage;
            }

            if (!TakeLocked(subscriber, l => l.PointerMoves))
            {
                return LiveSessionErrors.TooManyPointerMoves;
            }

            pointer = position;
            replicate?.Invoke(Id, LiveSessionChangeKind.Pointer, new LiveSessionChange { Actor = subscriber.Participant.Actor, DocumentId = documentId, Page = page, Position = position });
            return Publish((v, at) => new Pointer(Id, v, subscriber.Participant.Actor, at, documentId, page, position));
        }
    }

    /// <summary>Replaces the documents (already validated); keeps the document shown when it is still there, else shows the first.</summary>
    public Outcome<long> UpdateDocuments(LiveSessionActor actor, IReadOnlyList<SessionDocument> newDocuments)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            documents = newDocuments.ToArray();
            pageCounts = documents.ToDictionary(d => d.DocumentId, d => d.PageCount);
            var shown = documents.FirstOrDefault(d => d.DocumentId == documentId) ?? documents[0];
            var newPage = shown.DocumentId == documentId ? Math.Min(page, shown.PageCount) : 1;
            if (shown.DocumentId != documentId || newPage != page)
            {
                ScheduleSaveLocked();
            }

            documentId = shown.DocumentId;
            page = newPage;
            pointer = null;
            var list = documents;
            replicate?.Invoke(Id, LiveSessionChangeKind.Documents, new LiveSessionChange { Actor = actor, Documents = list, DocumentId = shown.DocumentId, Page = newPage });
            return Publish((v, at) => new DocumentsChanged(Id, v, actor, at, list, shown.DocumentId, newPage));
        }
    }

    public Outcome<long> PublishStatus(LiveSessionActor actor, ContractStatus newStatus)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            var completes = !CompletedLocked && newStatus == ContractStatus.Signed;
            status = newStatus;
            replicate?.Invoke(Id, LiveSessionChangeKind.Status, new LiveSessionChange { Actor = actor, Status = newStatus });
            var published = Publish((v, at) => new StatusUpdate(Id, v, actor, at, newStatus));
            if (completes)
            {
                CompleteLocked();
            }

            return published;
        }
    }

    /// <summary>
    /// The signed contract's sealed PDF is stored: publishes <see cref="ContractSealed"/> once (a
    /// session that knows it already returns its version).
    /// </summary>
    public Outcome<long> PublishContractSealed(LiveSessionActor actor, SessionSealedPdf sealedDocument)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            if (sealedPdf is not null)
            {
                return version;
            }

            sealedPdf = sealedDocument;
            replicate?.Invoke(Id, LiveSessionChangeKind.Sealed, new LiveSessionChange { Actor = actor, Sealed = sealedDocument });
            return Publish((v, at) => new ContractSealed(Id, v, actor, at, sealedDocument));
        }
    }

    public Outcome<long> PublishContractSigned(LiveSessionActor actor, string signedBy, DateTimeOffset signedAt)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            fieldsFrozen = true;
            replicate?.Invoke(Id, LiveSessionChangeKind.Signed, new LiveSessionChange { Actor = actor, SignedBy = signedBy, SignedAt = signedAt });
            return Publish((v, at) => new ContractSigned(Id, v, actor, at, signedBy, signedAt));
        }
    }

    /// <summary>
    /// Ends the session: publishes <see cref="SessionEnded"/>, lets every subscriber finish its
    /// queue, saves the final state and, after <see cref="LiveSessionOptions.EndedRetention"/>,
    /// calls <paramref name="forget"/>. An end heard from another server (<paramref name="replicated"/>)
    /// is not sent back to the others.
    /// </summary>
    public async Task<Outcome<long>> EndAsync(LiveSessionActor actor, Action<InMemoryLiveSession> forget, bool replicated = false)
    {
        long endedAt;
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            ended = true;
            pointer = null;
            if (!replicated)
            {
                replicate?.Invoke(Id, LiveSessionChangeKind.Ended, new LiveSessionChange { Actor = actor });
            }

            endedAt = Publish((v, at) => new SessionEnded(Id, v, actor, at));
            foreach (var subscriber in connections.Values)
            {
                subscriber.Stop(SubscriptionEnd.SessionEnded);
            }

            connections.Clear();
            attendees.Clear();
            remoteAttendees.Clear();
            saveDue = false;
            saveTimer?.Dispose();
            idleTimer?.Dispose();
            retentionTimer = time.CreateTimer(_ => forget(this), null, options.EndedRetention, Timeout.InfiniteTimeSpan);
            CommitAllLocked();
        }

        await SaveAsync(final: true);
        await SaveFieldsAsync();
        return endedAt;
    }

    /// <summary>Takes <paramref name="subscriber"/> out of the session (once) and stops it; its participant's last connection leaving publishes presence.</summary>
    public void Remove(LiveSessionSubscriber subscriber, SubscriptionEnd reason)
    {
        lock (gate)
        {
            RemoveLocked(subscriber, reason);
        }
    }

    /// <summary>
    /// Stops every subscriber and timer for the coordinator's disposal; returns the loops to wait for
    /// and whether a save of the position or of field values is due. A save under way counts as due:
    /// it may have read the state before the last change, and saving once more (after it) is the
    /// only way to wait for it.
    /// </summary>
    public (IReadOnlyList<LiveSessionSubscriber> Subscribers, bool SaveDue, bool FieldSaveDue) Stop()
    {
        lock (gate)
        {
            var subscribers = connections.Values.ToArray();
            foreach (var subscriber in subscribers)
            {
                subscriber.Stop(SubscriptionEnd.CoordinatorStopped);
            }

            connections.Clear();
            attendees.Clear();
            saveTimer?.Dispose();
            retentionTimer?.Dispose();
            fieldSaveTimer?.Dispose();
            idleTimer?.Dispose();
            stopped = true;
            var due = (saveDue || saving.CurrentCount == 0) && !ended;
            saveDue = false;
            var fieldsDue = unsavedFields.Count > 0 || committingFields.Count > 0 || savingFields.CurrentCount == 0;
            fieldSaveDue = false;
            return (subscribers, due, fieldsDue);
        }
    }

    /// <summary>Saves the current document and page; saves of this session never overlap, and none follows the final one.</summary>
    public async Task SaveAsync(bool final)
    {
        await saving.WaitAsync();
        try
        {
            LiveSessionState state;
            lock (gate)
            {
                if (ended && !final)
                {
                    return;
                }

                saveDue = false;
                state = new LiveSessionState(Id, ContractId, documentId, page, ended, version);
            }

            await store.SaveAsync(state);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not save the position of live session {SessionId}; it is saved again on its next change", Id);
        }
        finally
        {
            saving.Release();
        }
    }

    public Outcome<long> FocusField(string connectionId, Guid? fieldId)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (fieldId is { } id && !fieldsById.ContainsKey(id))
            {
                return LiveSessionErrors.FieldNotInSession;
            }

            var participant = subscriber.Participant;
            if (focus.GetValueOrDefault(participant.ParticipantId)?.FieldId == fieldId)
            {
                return version;
            }

            if (!TakeLocked(subscriber, l => l.FieldChanges))
            {
                return LiveSessionErrors.TooManyFieldChanges;
            }

            if (fieldId is { } field)
            {
                focus[participant.ParticipantId] = new FieldFocusMarker(participant.ParticipantId, participant.Role, participant.DisplayName, field);
            }
            else
            {
                focus.Remove(participant.ParticipantId);
            }

            replicate?.Invoke(Id, LiveSessionChangeKind.Focus, new LiveSessionChange { Actor = participant.Actor, FieldId = fieldId, DisplayName = participant.DisplayName });
            return Publish((v, at) => new FieldFocus(Id, v, participant.Actor, at, fieldId, participant.DisplayName));
        }
    }

    /// <summary>Sets a value as the participant of <paramref name="connectionId"/>, rate limited.</summary>
    public Outcome<LiveFieldValue> SetFieldValue(string connectionId, Guid fieldId, string value)
    {
        lock (gate)
        {
            return Acting(connectionId, out var subscriber) is { } refused
                ? refused
                : SetFieldValueLocked(subscriber.Participant, fieldId, value);
        }
    }

    /// <summary>Sets a value as <paramref name="participant"/>, who need not be connected (the API), within the same budget as their connections.</summary>
    public Outcome<LiveFieldValue> SetFieldValue(LiveParticipant participant, Guid fieldId, string value)
    {
        lock (gate)
        {
            return ended ? LiveSessionErrors.Ended : SetFieldValueLocked(participant, fieldId, value);
        }
    }

    /// <summary>
    /// The participant of <paramref name="connectionId"/> is done with <paramref name="fieldId"/>:
    /// checked like a value (their own party's field of this contract) and within the same budget,
    /// then its value is committed (<see cref="Commit"/>) and the values not saved yet are saved
    /// soon (<see cref="SaveFieldsSoon"/>).
    /// </summary>
    public Outcome<long> CommitField(string connectionId, Guid fieldId)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (!fieldsById.TryGetValue(fieldId, out var field))
            {
                return LiveSessionErrors.FieldNotInSession;
            }

            if (field.Party != PartyOf(subscriber.Participant))
            {
                return LiveSessionErrors.OtherPartysField;
            }

            if (!TakeLocked(subscriber, l => l.FieldChanges))
            {
                return LiveSessionErrors.TooManyCommits;
            }

            CommitLocked(fieldId);
        }

        return SaveFieldsSoon();
    }

    /// <summary>
    /// Commits <paramref name="fieldId"/>'s value when it changed since its last commit: the next
    /// save hands it to the store as committed, which audits it (<see cref="IFieldValueStore"/>).
    /// </summary>
    public void Commit(Guid fieldId)
    {
        lock (gate)
        {
            CommitLocked(fieldId);
        }
    }

    public Outcome<long> GuideField(string connectionId, Guid fieldId)
    {
        lock (gate)
        {
            if (Acting(connectionId, out var subscriber) is { } refused)
            {
                return refused;
            }

            if (subscriber.Participant.Role != ParticipantRole.Advisor)
            {
                return LiveSessionErrors.GuideAdvisorOnly;
            }

            if (!fieldsById.TryGetValue(fieldId, out var field))
            {
                return LiveSessionErrors.FieldNotInSession;
            }

            if (field.Party != FieldParty.Customer)
            {
                return LiveSessionErrors.GuideCustomerFieldsOnly;
            }

            if (!TakeLocked(subscriber, l => l.FieldChanges))
            {
                return LiveSessionErrors.TooManyFieldChanges;
            }

            replicate?.Invoke(Id, LiveSessionChangeKind.Guide, new LiveSessionChange { Actor = subscriber.Participant.Actor, FieldId = field.Id, DocumentId = field.DocumentId, Page = field.Page });
            return Publish((v, at) => new FieldGuide(Id, v, subscriber.Participant.Actor, at, field.Id, field.DocumentId, field.Page));
        }
    }

    /// <summary>Replaces the field definitions; values, unsaved marks and focus of fields no longer there are dropped.</summary>
    public Outcome<long> UpdateFields(LiveSessionActor actor, IReadOnlyList<FieldDefinition> newFields)
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            ReplaceFieldsLocked(newFields);
            var list = fields;
            replicate?.Invoke(Id, LiveSessionChangeKind.Fields, new LiveSessionChange { Actor = actor, Fields = list });
            return Publish((v, at) => new FieldsChanged(Id, v, actor, at, list));
        }
    }

    /// <summary>Refuses value changes until <see cref="ReleaseFields"/>; holds nest.</summary>
    public Outcome<long> HoldFields()
    {
        lock (gate)
        {
            if (ended)
            {
                return LiveSessionErrors.Ended;
            }

            fieldHolds++;
            CommitAllLocked();
            return version;
        }
    }

    public void ReleaseFields()
    {
        lock (gate)
        {
            fieldHolds = Math.Max(0, fieldHolds - 1);
        }
    }

    /// <summary>
    /// Starts <see cref="SaveFieldsAsync"/> now, without waiting for it, when values are unsaved and
    /// no such early save is already waiting to start; returns the session's version.
    /// </summary>
    public long SaveFieldsSoon()
    {
        bool start;
        long current;
        lock (gate)
        {
            start = (unsavedFields.Count > 0 || committingFields.Count > 0) && !stopped && !fieldSaveSoon;
            fieldSaveSoon |= start;
            current = version;
        }

        if (start)
        {
            _ = Task.Run(SaveFieldsAsync, CancellationToken.None);
        }

        return current;
    }

    /// <summary>
    /// Saves the values not saved yet; saves never overlap. False when the store failed: the values
    /// stay unsaved and are saved again after <see cref="LiveSessionOptions.SaveInterval"/>.
    /// </summary>
    public async Task<bool> SaveFieldsAsync()
    {
        await savingFields.WaitAsync();
        try
        {
            List<FieldValueSave> batch;
            lock (gate)
            {
                fieldSaveDue = false;
                fieldSaveSoon = false;
                batch = unsavedFields.Union(committingFields)
                    .Select(id => new FieldValueSave(fieldsById[id], values[id], SetByRoleLocked(id), committingFields.Contains(id)))
                    .ToList();
                unsavedFields.Clear();
                committingFields.Clear();
            }

            if (batch.Count == 0)
            {
                return true;
            }

            try
            {
                await fieldStore.SaveAsync(ContractId, batch);
                return true;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not save {Count} field values of live session {SessionId}; they are saved again shortly", batch.Count, Id);
                lock (gate)
                {
                    foreach (var save in batch.Where(b => values.ContainsKey(b.Value.FieldId)))
                    {
                        unsavedFields.Add(save.Value.FieldId);
                        if (save.Committed)
                        {
                            committingFields.Add(save.Value.FieldId);
                        }
                    }

                    ScheduleFieldSaveLocked();
                }

                return false;
            }
        }
        finally
        {
            savingFields.Release();
        }
    }

    /// <summary>The participants connected to this server (not those other servers reported), or null once the session has ended.</summary>
    public IReadOnlyList<ParticipantPresence>? LocalParticipants()
    {
        lock (gate)
        {
            return ended || stopped || released ? null : LocalParticipantsLocked();
        }
    }

    /// <summary>
    /// Applies a change another server accepted, or this one's own coming back in the order every
    /// server sees (see <see cref="RedisLiveSessionCoordinator"/>), as an assignment: the state is
    /// set, and an event published, only when the state actually changes (a pointer move, a guide
    /// and a signature are events, always published). A remote value is not saved here: the
    /// server that accepted it saves it; its version is the next one here, or the remote one when
    /// higher. Returns whether anything was published. The end is <see cref="EndAsync"/>'s.
    /// </summary>
    public bool ApplyReplicated(string kind, LiveSessionChange change)
    {
        lock (gate)
        {
            if (ended || stopped || released || change.Actor is not { } actor)
            {
                return false;
            }

            return kind switch
            {
                LiveSessionChangeKind.Page or LiveSessionChangeKind.Document => ApplyPositionLocked(kind, actor, change),
                LiveSessionChangeKind.Pointer => ApplyPointerLocked(actor, change),
                LiveSessionChangeKind.Documents => ApplyDocumentsLocked(actor, change),
                LiveSessionChangeKind.Status => ApplyStatusLocked(actor, change),
                LiveSessionChangeKind.Signed => ApplySignedLocked(actor, change),
                LiveSessionChangeKind.Sealed => ApplySealedLocked(actor, change),
                LiveSessionChangeKind.Focus => ApplyFocusLocked(actor, change),
                LiveSessionChangeKind.Value => ApplyValueLocked(actor, change),
                LiveSessionChangeKind.Guide => ApplyGuideLocked(actor, change),
                LiveSessionChangeKind.Fields => ApplyFieldsLocked(actor, change),
                _ => false,
            };
        }
    }

    /// <summary>
    /// Replaces the participants another server (<paramref name="instanceId"/>) has connected (none:
    /// it is gone); publishes <see cref="Presence"/> when someone arrives or leaves the union.
    /// </summary>
    public bool ApplyRemotePresence(string instanceId, IReadOnlyList<ParticipantPresence> participants)
    {
        lock (gate)
        {
            if (ended || stopped)
            {
                return false;
            }

            var before = ParticipantsLocked();
            if (participants.Count == 0)
            {
                remoteAttendees.Remove(instanceId);
            }
            else
            {
                remoteAttendees[instanceId] = participants.ToArray();
            }

            var after = ParticipantsLocked();
            var changed = before.Select(p => p.ParticipantId).Except(after.Select(p => p.ParticipantId), StringComparer.Ordinal)
                .Concat(after.Select(p => p.ParticipantId).Except(before.Select(p => p.ParticipantId), StringComparer.Ordinal))
                .FirstOrDefault();
            if (changed is null)
            {
                return false;
            }

            foreach (var marker in focus.Values.Where(m => after.All(p => p.ParticipantId != m.ParticipantId)).ToList())
            {
                focus.Remove(marker.ParticipantId);
            }

            var who = before.Concat(after).First(p => p.ParticipantId == changed);
            lastActivity = time.GetUtcNow();
            Publish((v, at) => new Presence(Id, v, new LiveSessionActor(who.ParticipantId, who.Role), at, after));
            return true;
        }
    }

    private bool ApplyPositionLocked(string kind, LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.DocumentId is not { } document || change.Page is not { } newPage
            || !pageCounts.TryGetValue(document, out var pageCount) || newPage < 1 || newPage > pageCount
            || (document == documentId && newPage == page))
        {
            return false;
        }

        documentId = document;
        page = newPage;
        pointer = null;
        ScheduleSaveLocked();
        Publish((v, at) => kind == LiveSessionChangeKind.Document
            ? new LoadDocument(Id, v, actor, at, document, newPage)
            : new PageChange(Id, v, actor, at, document, newPage));
        return true;
    }

    private bool ApplyPointerLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.DocumentId != documentId || change.Page != page || change.Position is { IsOnPage: false })
        {
            return false;
        }

        pointer = change.Position;
        Publish((v, at) => new Pointer(Id, v, actor, at, documentId, page, change.Position));
        return true;
    }

    private bool ApplyDocumentsLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.Documents is not { Count: > 0 } list || change.DocumentId is not { } document || change.Page is not { } newPage
            || list.FirstOrDefault(d => d.DocumentId == document) is not { } shown || newPage < 1 || newPage > shown.PageCount
            || (list.SequenceEqual(documents) && document == documentId && newPage == page))
        {
            return false;
        }

        if (document != documentId || newPage != page)
        {
            ScheduleSaveLocked();
        }

        documents = list.ToArray();
        pageCounts = documents.ToDictionary(d => d.DocumentId, d => d.PageCount);
        documentId = document;
        page = newPage;
        pointer = null;
        var replaced = documents;
        Publish((v, at) => new DocumentsChanged(Id, v, actor, at, replaced, document, newPage));
        return true;
    }

    private bool ApplyStatusLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.Status is not { } newStatus || newStatus == status)
        {
            return false;
        }

        var completes = !CompletedLocked && newStatus == ContractStatus.Signed;
        status = newStatus;
        Publish((v, at) => new StatusUpdate(Id, v, actor, at, newStatus));
        if (completes)
        {
            CompleteLocked();
        }

        return true;
    }

    private bool ApplySealedLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.Sealed is not { } sealedDocument || sealedPdf is not null)
        {
            return false;
        }

        sealedPdf = sealedDocument;
        Publish((v, at) => new ContractSealed(Id, v, actor, at, sealedDocument));
        return true;
    }

    /// <summary>
    /// The contract became Signed: saves what is unsaved now, as the end does (the position, and the
    /// field values, which the signature froze), and lets the session go once nobody is connected.
    /// </summary>
    private void CompleteLocked()
    {
        if (!stopped)
        {
            _ = Task.Run(async () =>
            {
                await SaveAsync(final: false);
                await SaveFieldsAsync();
            });
        }

        if (connections.Count == 0)
        {
            StartIdleTimerLocked();
        }
    }

    /// <summary>Releases the complete session after <see cref="LiveSessionOptions.PresenceGracePeriod"/> unless someone joins here meanwhile.</summary>
    private void StartIdleTimerLocked()
    {
        if (release is null || ended || stopped || released)
        {
            return;
        }

        idleTimer?.Dispose();
        idleTimer = time.CreateTimer(static s => ((InMemoryLiveSession)s!).ReleaseIfIdle(), this, options.PresenceGracePeriod, Timeout.InfiniteTimeSpan);
    }

    private void ReleaseIfIdle()
    {
        lock (gate)
        {
            if (!CompletedLocked || connections.Count > 0 || ended || stopped || released)
            {
                return;
            }

            released = true;
            idleTimer?.Dispose();
            idleTimer = null;
        }

        release!(this);
    }

    private bool ApplySignedLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.SignedBy is not { } signedBy || change.SignedAt is not { } signedAt)
        {
            return false;
        }

        fieldsFrozen = true;
        Publish((v, at) => new ContractSigned(Id, v, actor, at, signedBy, signedAt));
        return true;
    }

    private bool ApplyFocusLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.DisplayName is not { } name || (change.FieldId is { } wanted && !fieldsById.ContainsKey(wanted))
            || focus.GetValueOrDefault(actor.ParticipantId)?.FieldId == change.FieldId)
        {
            return false;
        }

        if (change.FieldId is { } field)
        {
            focus[actor.ParticipantId] = new FieldFocusMarker(actor.ParticipantId, actor.Role, name, field);
        }
        else
        {
            focus.Remove(actor.ParticipantId);
        }

        Publish((v, at) => new FieldFocus(Id, v, actor, at, change.FieldId, name));
        return true;
    }

    private bool ApplyValueLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.Value is not { } remote || !fieldsById.ContainsKey(remote.FieldId))
        {
            return false;
        }

        var previous = values.GetValueOrDefault(remote.FieldId);
        if (previous?.Value == remote.Value)
        {
            return false;
        }

        var applied = remote with { Version = Math.Max((previous?.Version ?? 0) + 1, remote.Version) };
        values[remote.FieldId] = applied;
        setByRoles[remote.FieldId] = change.Role ?? actor.Role;
        Publish((v, at) => new FieldValueChanged(Id, v, actor, at, applied.FieldId, applied.Value, applied.Version, applied.Problem));
        return true;
    }

    private bool ApplyGuideLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.FieldId is not { } fieldId || !fieldsById.TryGetValue(fieldId, out var field))
        {
            return false;
        }

        Publish((v, at) => new FieldGuide(Id, v, actor, at, field.Id, field.DocumentId, field.Page));
        return true;
    }

    private bool ApplyFieldsLocked(LiveSessionActor actor, LiveSessionChange change)
    {
        if (change.Fields is not { } newFields
            || System.Text.Json.JsonSerializer.Serialize(newFields) == System.Text.Json.JsonSerializer.Serialize(fields))
        {
            return false;
        }

        ReplaceFieldsLocked(newFields);
        var list = fields;
        Publish((v, at) => new FieldsChanged(Id, v, actor, at, list));
        return true;
    }

    private Outcome<LiveFieldValue> SetFieldValueLocked(LiveParticipant participant, Guid fieldId, string value)
    {
        if (!fieldsById.TryGetValue(fieldId, out var field))
        {
            return LiveSessionErrors.FieldNotInSession;
        }

        if (field.Party != PartyOf(participant))
        {
            return LiveSessionErrors.OtherPartysField;
        }

        if (fieldsFrozen)
        {
            return LiveSessionErrors.FieldsFrozen;
        }

        if (status != ContractStatus.Review)
        {
            return LiveSessionErrors.FieldsNotInReview;
        }

        if (fieldHolds > 0)
        {
            return LiveSessionErrors.FieldsHeld;
        }

        // Refused in the caller's language; a problem kept with the value is shared, so English.
        if (FieldValueRules.Refusal(field, value, CultureInfo.CurrentUICulture) is { } refusal)
        {
            return LiveSessionErrors.ValueRefused(refusal);
        }

        var previous = values.GetValueOrDefault(fieldId);
        if (previous?.Value == value)
        {
            return previous;
        }

        if (!TakeLocked(participant.ParticipantId, l => l.FieldChanges))
        {
            return LiveSessionErrors.TooManyFieldChanges;
        }

        var valueVersion = (previous?.Version ?? 0) + 1;
        var problem = FieldValueRules.Problem(field, value);
        LiveFieldValue? changed = null;
        Publish((v, at) =>
        {
            // The value's time is its event's, so every side shows the same.
            changed = new LiveFieldValue(fieldId, value, valueVersion, participant.ParticipantId, participant.DisplayName, at, problem);
            return new FieldValueChanged(Id, v, participant.Actor, at, fieldId, value, valueVersion, problem);
        });
        values[fieldId] = changed!;
        setByRoles[fieldId] = participant.Role;
        unsavedFields.Add(fieldId);
        uncommittedFields.Add(fieldId);
        ScheduleFieldSaveLocked();
        replicate?.Invoke(Id, LiveSessionChangeKind.Value, new LiveSessionChange { Actor = participant.Actor, Value = changed, Role = participant.Role });
        return changed!;
    }

    /// <summary>Who set the value: known for a value set in this session; a stored one was set by its field's party.</summary>
    private ParticipantRole SetByRoleLocked(Guid fieldId) =>
        setByRoles.TryGetValue(fieldId, out var role) ? role
        : fieldsById[fieldId].Party == FieldParty.Advisor ? ParticipantRole.Advisor : ParticipantRole.Customer;

    private void CommitLocked(Guid fieldId)
    {
        if (uncommittedFields.Remove(fieldId) && values.ContainsKey(fieldId))
        {
            committingFields.Add(fieldId);
        }
    }

    /// <summary>
    /// Commits every value the session holds, not only those changed here: a value typed before a
    /// restart was saved but maybe never committed; the store audits only what its trail lacks.
    /// </summary>
    private void CommitAllLocked()
    {
        committingFields.UnionWith(values.Keys);
        uncommittedFields.Clear();
    }

    private void ScheduleFieldSaveLocked()
    {
        if (fieldSaveDue || stopped)
        {
            return;
        }

        fieldSaveDue = true;
        fieldSaveTimer ??= time.CreateTimer(static s => _ = ((InMemoryLiveSession)s!).SaveFieldsAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        fieldSaveTimer.Change(options.SaveInterval, Timeout.InfiniteTimeSpan);
    }

    private static FieldParty PartyOf(LiveParticipant participant) =>
        participant.Role == ParticipantRole.Advisor ? FieldParty.Advisor : FieldParty.Customer;

    private bool TakeLocked(LiveSessionSubscriber subscriber, Func<ParticipantLimits, TokenBucket> bucket) =>
        TakeLocked(subscriber.Participant.ParticipantId, bucket);

    /// <summary>
    /// Takes one action from the participant's budget, shared by all of their connections and kept
    /// for the session's life (a reconnection gets no fresh budget). A participant connected to n servers costs n
    /// tokens here, so each server allows its 1/n share and all together the configured rate (see
    /// <see cref="RedisLiveSessionCoordinator"/>).
    /// </summary>
    private bool TakeLocked(string participantId, Func<ParticipantLimits, TokenBucket> bucket)
    {
        if (!limits.TryGetValue(participantId, out var budget))
        {
            budget = new ParticipantLimits(options, time);
            limits.Add(participantId, budget);
        }

        return bucket(budget).TryTake(ServersOfLocked(participantId));
    }

    /// <summary>How many servers the participant is connected to: this one, and those that last reported them.</summary>
    private int ServersOfLocked(string participantId) =>
        1 + remoteAttendees.Values.Count(participants => participants.Any(p => p.ParticipantId == participantId));

    /// <summary>The participant's connections to the session on this server and, as the others last reported, on the others.</summary>
    private int ConnectionsOfLocked(string participantId) =>
        (attendees.TryGetValue(participantId, out var attendee) ? attendee.Connections : 0)
        + remoteAttendees.Values.SelectMany(participants => participants).Where(p => p.ParticipantId == participantId).Sum(p => p.ConnectionCount);

    private OperationError? Acting(string connectionId, out LiveSessionSubscriber subscriber)
    {
        if (ended)
        {
            subscriber = null!;
            return LiveSessionErrors.Ended;
        }

        return connections.TryGetValue(connectionId, out subscriber!) ? null : LiveSessionErrors.NotJoined;
    }

    /// <summary>Takes the next version and queues the event to every subscriber; a subscriber whose queue is full is dropped (which may publish presence).</summary>
    private long Publish(Func<long, DateTimeOffset, LiveSessionEvent> create)
    {
        var @event = create(++version, time.GetUtcNow());
        lastActivity = @event.Timestamp;
        List<LiveSessionSubscriber>? overflowing = null;
        foreach (var subscriber in connections.Values)
        {
            if (!subscriber.TryWrite(@event))
            {
                (overflowing ??= []).Add(subscriber);
            }
        }

        foreach (var subscriber in overflowing ?? [])
        {
            logger.LogWarning(
                "Disconnected {ConnectionId} from live session {SessionId}: it fell {Capacity} events behind",
                subscriber.ConnectionId,
                Id,
                options.SubscriberQueueCapacity);
            RemoveLocked(subscriber, SubscriptionEnd.TooSlow);
        }

        return @event.Version;
    }

    private void RemoveLocked(LiveSessionSubscriber subscriber, SubscriptionEnd reason)
    {
        subscriber.Stop(reason);
        if (!connections.TryGetValue(subscriber.ConnectionId, out var held) || held != subscriber)
        {
            return;
        }

        connections.Remove(subscriber.ConnectionId);
        lastActivity = time.GetUtcNow();
        var attendee = attendees[subscriber.Participant.ParticipantId];
        if (--attendee.Connections == 0)
        {
            attendees.Remove(subscriber.Participant.ParticipantId);
            focus.Remove(subscriber.Participant.ParticipantId);
            var actor = subscriber.Participant.Actor;
            Publish((v, at) => new Presence(Id, v, actor, at, ParticipantsLocked()));
        }

        ReplicatePresenceLocked();
        if (connections.Count == 0 && CompletedLocked)
        {
            StartIdleTimerLocked();
        }
    }

    private void ScheduleSaveLocked()
    {
        if (saveDue)
        {
            return;
        }

        saveDue = true;
        saveTimer ??= time.CreateTimer(static s => _ = ((InMemoryLiveSession)s!).SaveAsync(final: false), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        saveTimer.Change(options.SaveInterval, Timeout.InfiniteTimeSpan);
    }

    private LiveSessionSnapshot SnapshotLocked() =>
        new(Id, ContractId, documents, documentId, page, pointer, ParticipantsLocked(), status, ended, version, lastActivity)
        {
            Fields = fields,
            FieldValues = new Dictionary<Guid, LiveFieldValue>(values),
            FieldFocus = focus.Values.OrderBy(m => m.Role).ThenBy(m => m.ParticipantId, StringComparer.Ordinal).ToArray(),
            FieldsFrozen = fieldsFrozen,
            Sealed = sealedPdf,
        };

    /// <summary>Everyone connected: here and, as other servers last said, there; someone connected to several servers counts once, with all their connections.</summary>
    private ParticipantPresence[] ParticipantsLocked() =>
        LocalParticipantsLocked()
            .Concat(remoteAttendees.Values.SelectMany(p => p))
            .GroupBy(p => p.ParticipantId, StringComparer.Ordinal)
            .Select(g => g.First() with { ConnectedSince = g.Min(p => p.ConnectedSince), ConnectionCount = g.Sum(p => p.ConnectionCount) })
            .OrderBy(p => p.Role)
            .ThenBy(p => p.ConnectedSince)
            .ThenBy(p => p.ParticipantId, StringComparer.Ordinal)
            .ToArray();

    private ParticipantPresence[] LocalParticipantsLocked() =>
        attendees.Values
            .Select(a => new ParticipantPresence(a.Participant.ParticipantId, a.Participant.Role, a.Participant.DisplayName, a.ConnectedSince, a.Connections))
            .ToArray();

    private void ReplicatePresenceLocked() =>
        replicate?.Invoke(Id, LiveSessionChangeKind.Presence, new LiveSessionChange { Participants = LocalParticipantsLocked() });

    private void ReplaceFieldsLocked(IReadOnlyList<FieldDefinition> newFields)
    {
        fields = newFields.ToArray();
        fieldsById = fields.ToDictionary(f => f.Id);
        foreach (var gone in values.Keys.Where(id => !fieldsById.ContainsKey(id)).ToList())
        {
            values.Remove(gone);
            setByRoles.Remove(gone);
            unsavedFields.Remove(gone);
            uncommittedFields.Remove(gone);
            committingFields.Remove(gone);
        }

        foreach (var marker in focus.Values.Where(m => !fieldsById.ContainsKey(m.FieldId)).ToList())
        {
            focus.Remove(marker.ParticipantId);
        }
    }

    private sealed class Attendee(LiveParticipant participant, DateTimeOffset connectedSince)
    {
        public LiveParticipant Participant { get; } = participant;

        public DateTimeOffset ConnectedSince { get; } = connectedSince;

        public int Connections { get; set; }
    }
}
