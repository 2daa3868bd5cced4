using LiveContract.Core.Common;
using LiveContract.Core.Contracts;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Holds every live session's shared state (document, page, pointer, presence, contract status,
/// version) and fans its events out to the session's subscribers. One instance serves the whole
/// process (a Redis implementation, later, serves several). Callers authorize before calling: the
/// coordinator trusts the participant it is given at <see cref="JoinAsync"/>, and later navigation
/// acts as the participant who joined with that connection id.
/// <para>
/// Every accepted change increases the session's version by exactly one and delivers one event to
/// every subscriber, in version order; a slow subscriber never delays the caller or other
/// subscribers. Refusals are <see cref="Outcome{T}"/> errors with a sentence (see
/// <see cref="LiveSessionErrors"/>); a successful command returns the version of its event.
/// </para>
/// </summary>
public interface ILiveSessionCoordinator
{
    /// <summary>
    /// Opens the session, or returns its snapshot when it is already open (any number of callers
    /// may open the same session). A session not in memory resumes where the
    /// <see cref="ILiveSessionStateStore"/> last saw it, when that document is still in
    /// <paramref name="setup"/>. An ended session cannot be opened again.
    /// </summary>
    Task<Outcome<LiveSessionSnapshot>> OpenAsync(Guid sessionId, LiveSessionSetup setup, CancellationToken cancellationToken = default);

    /// <summary>
    /// Connects <paramref name="participant"/> through <paramref name="connectionId"/> (unique
    /// per browser tab or hub connection) and subscribes <paramref name="onEvent"/>. The snapshot
    /// and the subscription are taken together: the callback receives every event after the
    /// snapshot's version, none twice, one at a time. A participant's first connection publishes
    /// <see cref="Presence"/>; disposing the subscription leaves, and the participant's last
    /// connection leaving publishes it again.
    /// </summary>
    Task<Outcome<LiveSessionJoin>> JoinAsync(
        Guid sessionId,
        LiveParticipant participant,
        string connectionId,
        Func<LiveSessionEvent, ValueTask> onEvent,
        CancellationToken cancellationToken = default);

    /// <summary>Shows <paramref name="page"/> of <paramref name="documentId"/> (which may be another document of the session). Rate limited per participant.</summary>
    ValueTask<Outcome<long>> ChangePageAsync(Guid sessionId, string connectionId, Guid documentId, int page, CancellationToken cancellationToken = default);

    /// <summary>Shows the first page of <paramref name="documentId"/>. Rate limited per participant, together with page changes.</summary>
    ValueTask<Outcome<long>> LoadDocumentAsync(Guid sessionId, string connectionId, Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>Points at <paramref name="position"/> on the page shown, or stops pointing (null). Rate limited per participant; excess moves are refused and may be dropped by the caller.</summary>
    ValueTask<Outcome<long>> MovePointerAsync(Guid sessionId, string connectionId, PointerPosition? position, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the documents the session may show (after an upload or a removal), validated like
    /// <see cref="OpenAsync"/>'s setup, and publishes <see cref="DocumentsChanged"/>. The document
    /// shown stays (its page clamped to its length) when it is still in the list; otherwise the
    /// session moves to the first page of the first document. The actor need not be connected.
    /// </summary>
    ValueTask<Outcome<long>> UpdateDocumentsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<SessionDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells the session that the contract moved to <paramref name="status"/>. The actor need not be
    /// connected (the change may come from the API). <see cref="ContractStatus.Signed"/> completes the
    /// session (<see cref="LiveSessionSnapshot.Completed"/>): what is unsaved is saved at once, as at
    /// the end, and those in it stay until they leave; once nobody is connected to it here for
    /// <see cref="LiveSessionOptions.PresenceGracePeriod"/>, this server lets it go (opening it again
    /// starts from the setup and the shared state).
    /// </summary>
    ValueTask<Outcome<long>> PublishStatusAsync(Guid sessionId, LiveSessionActor actor, ContractStatus status, CancellationToken cancellationToken = default);

    /// <summary>Tells the session that <paramref name="signedBy"/> signed, which freezes its field values for good. The actor need not be connected.</summary>
    ValueTask<Outcome<long>> PublishContractSignedAsync(Guid sessionId, LiveSessionActor actor, string signedBy, DateTimeOffset signedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells the session that the signed contract's sealed PDF is stored (<see cref="ContractSealed"/>),
    /// once: a session that knows its sealed PDF already publishes nothing and returns its version.
    /// The actor need not be connected (sealing runs in the background, on any server).
    /// </summary>
    ValueTask<Outcome<long>> PublishContractSealedAsync(Guid sessionId, LiveSessionActor actor, SessionSealedPdf sealedPdf, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the participant of <paramref name="connectionId"/> into <paramref name="fieldId"/>
    /// (publishing <see cref="FieldFocus"/> so others see where they are), or out of every field
    /// (null). Rate limited per participant, together with field values.
    /// </summary>
    ValueTask<Outcome<long>> FocusFieldAsync(Guid sessionId, string connectionId, Guid? fieldId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets <paramref name="fieldId"/> to <paramref name="value"/> as the participant of
    /// <paramref name="connectionId"/> and publishes <see cref="FieldValueChanged"/>; returns the
    /// value as the session now holds it (its version, its problem). Accepted only for the
    /// participant's own party's fields, while the contract is in review, not while a signature is
    /// being recorded and never after one; a value failing the field's rules is accepted with its
    /// problem, a value no field of its kind can hold is refused. Last write wins. The value is
    /// saved durably at most <see cref="LiveSessionOptions.SaveInterval"/> later (or at once by
    /// <see cref="FlushFieldsAsync"/>). Rate limited per participant.
    /// </summary>
    ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, string connectionId, Guid fieldId, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a value like <see cref="SetFieldValueAsync(Guid, string, Guid, string, CancellationToken)"/>
    /// for <paramref name="participant"/>, who need not be connected (a value sent through the API),
    /// within the same rate limit as the participant's connections.
    /// </summary>
    ValueTask<Outcome<LiveFieldValue>> SetFieldValueAsync(Guid sessionId, LiveParticipant participant, Guid fieldId, string value, CancellationToken cancellationToken = default);

    /// <summary>The advisor of <paramref name="connectionId"/> guides the customer to one of the customer's fields (publishes <see cref="FieldGuide"/>).</summary>
    ValueTask<Outcome<long>> GuideFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the session's field definitions (validated by the caller) and publishes
    /// <see cref="FieldsChanged"/>; values and focus on fields no longer listed are dropped (their
    /// stored rows are the database's to delete with the field).
    /// </summary>
    ValueTask<Outcome<long>> UpdateFieldsAsync(Guid sessionId, LiveSessionActor actor, IReadOnlyList<Fields.FieldDefinition> fields, CancellationToken cancellationToken = default);

    /// <summary>
    /// The participant of <paramref name="connectionId"/> left <paramref name="fieldId"/> (one of
    /// their own party's fields, refused like <see cref="SetFieldValueAsync(Guid, string, Guid, string, CancellationToken)"/>
    /// otherwise): commits the field's value (it reaches the audit trail, see
    /// <see cref="IFieldValueStore"/>), starts saving every value not saved yet at once and returns
    /// the session's version without waiting for the write, which joins the store's next batch; a
    /// failed save is retried like any other. Rate limited with field values. Use
    /// <see cref="FlushFieldsAsync"/> to wait until the values are durable.
    /// </summary>
    ValueTask<Outcome<long>> CommitFieldAsync(Guid sessionId, string connectionId, Guid fieldId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves every value not saved yet now, and completes once they are durable; refused
    /// (<see cref="LiveSessionErrors.FieldValuesNotSaved"/>) when saving failed (it is retried
    /// later). With <paramref name="commitFieldId"/>, that field's value is committed first (its
    /// owner is done with it: it reaches the audit trail), checked by the caller.
    /// </summary>
    Task<Outcome<long>> FlushFieldsAsync(Guid sessionId, Guid? commitFieldId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Holds the session's values while a signature is being recorded: changes are refused
    /// (<see cref="LiveSessionErrors.FieldsHeld"/>) until <see cref="ReleaseFieldsAsync"/>; then
    /// commits every value (those the audit trail does not hold yet reach it before the signature)
    /// and saves what is not saved yet. Holds nest (two signers at once). Refused when saving
    /// failed, and then not held.
    /// </summary>
    Task<Outcome<long>> HoldFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>Ends one <see cref="HoldFieldsAsync"/>; values may change again once every hold is released (unless frozen).</summary>
    ValueTask ReleaseFieldsAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the session: subscribers receive <see cref="SessionEnded"/> as their last event, the
    /// final state is saved, and every later command or join is refused. The actor need not be
    /// connected (the advisor may end it from the API).
    /// </summary>
    Task<Outcome<long>> EndAsync(Guid sessionId, LiveSessionActor actor, CancellationToken cancellationToken = default);

    /// <summary>The session's current state, or null when it is not open here.</summary>
    ValueTask<LiveSessionSnapshot?> GetSnapshotAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>How many sessions are open on this server and how many connections they have, for the administration's system page.</summary>
    ValueTask<LiveSessionServerLoad> GetServerLoadAsync(CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="ILiveSessionCoordinator.JoinAsync"/> gives: the state at joining, and the subscription to dispose on leaving.</summary>
public sealed record LiveSessionJoin(LiveSessionSnapshot Snapshot, ILiveSessionSubscription Subscription);

/// <summary>
/// A connection's place in a live session. Disposing it leaves the session and waits until the
/// callback has returned for the last time (unless called from that callback).
/// </summary>
public interface ILiveSessionSubscription : IAsyncDisposable
{
    /// <summary>
    /// Completes, with the reason, once no more events will be delivered. A subscriber that did
    /// not leave itself (<see cref="SubscriptionEnd.TooSlow"/>, <see cref="SubscriptionEnd.CallbackFailed"/>)
    /// may join again to continue from a fresh snapshot.
    /// </summary>
    Task<SubscriptionEnd> Completion { get; }
}

/// <summary>Why a subscription stopped delivering events.</summary>
public enum SubscriptionEnd
{
    /// <summary>The subscription was disposed.</summary>
    Left,

    /// <summary>The session ended; <see cref="SessionEnded"/> was the last event delivered.</summary>
    SessionEnded,

    /// <summary>The subscriber fell too far behind and its queue overflowed; it was disconnected.</summary>
    TooSlow,

    /// <summary>The callback threw; the subscriber was disconnected.</summary>
    CallbackFailed,

    /// <summary>The coordinator was disposed (the server is stopping).</summary>
    CoordinatorStopped,
}
