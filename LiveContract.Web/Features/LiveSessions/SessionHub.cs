using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// The live-session API for programs (<c>/hubs/sessions</c>): an advisor with a personal API token
/// or a customer with a link token (or either's cookie) joins one session per connection, then
/// turns pages, switches documents, points and fills in its party's fields; every participant's
/// moves arrive as events named after the protocol (<c>pageChange</c>, <c>loadDocument</c>,
/// <c>pointer</c>, <c>presence</c>, <c>statusUpdate</c>, <c>contractSigned</c>, <c>contractSealed</c>,
/// <c>sessionEnded</c>, <c>documents</c>, <c>fieldFocus</c>, <c>fieldValue</c>, <c>fieldGuide</c>, <c>fields</c>).
/// Refusals are <see cref="HubException"/>s whose message is the sentence to show.
/// </summary>
[Authorize(Policy = WebServiceCollectionExtensions.SessionParticipantPolicy)]
public sealed class SessionHub(
    LiveSessionService sessions,
    ILiveSessionCoordinator coordinator,
    PresenceRecorder presence,
    IHubContext<SessionHub> hub,
    IOptions<LiveSessionOptions> options,
    ILogger<SessionHub> logger,
    TimeProvider time) : Hub
{
    private static readonly object MembershipKey = new();

    /// <summary>Joins the live session and returns its state; events after that state's version follow.</summary>
    public async Task<SessionJoined> Join(Guid sessionId)
    {
        if (Context.Items.ContainsKey(MembershipKey))
        {
            throw new HubException("This connection has already joined a live session; open a new connection to join another.");
        }

        var caller = Context.User?.ToSessionCaller(ClientConnection.From(Context.GetHttpContext()!))
            ?? throw new HubException("Sign in, or open your session link, before joining a live session.");
        var access = await sessions.OpenForAsync(caller, sessionId, Context.ConnectionAborted);
        if (!access.Succeeded)
        {
            throw new HubException(access.Error!.Message);
        }

        var participant = access.Value!.Participant;
        var membership = new Membership(sessionId, caller, participant);
        var clients = hub.Clients;
        var connectionId = Context.ConnectionId;
        var joined = await coordinator.JoinAsync(
            sessionId,
            participant,
            CoordinatorConnectionId(connectionId),
            async e =>
            {
                if (e is SessionEnded)
                {
                    membership.Ended = true;
                }
                else if (membership.Refusal is not null)
                {
                    return;
                }

                await clients.Client(connectionId).SendAsync(e.Name, ToMessage(e));
            },
            Context.ConnectionAborted);
        if (!joined.Succeeded)
        {
            throw new HubException(joined.Error!.Message);
        }

        membership.Subscription = joined.Value!.Subscription;
        Context.Items[MembershipKey] = membership;
        if (Context.ConnectionAborted.IsCancellationRequested)
        {
            // The connection closed while joining; OnDisconnectedAsync may already have run without this membership.
            await LeaveAsync(membership);
            throw new HubException("The connection closed while joining the live session.");
        }

        _ = DisconnectWhenDroppedAsync(membership.Subscription, Context);
        _ = RecheckAccessAsync(membership, Context, sessions, coordinator, options.Value.AccessRecheckInterval, time, logger);
        await presence.ConnectedAsync(sessionId, participant, IpAddress(), CancellationToken.None);

        var snapshot = joined.Value.Snapshot;
        membership.Ended |= snapshot.Ended;
        return new SessionJoined(
            snapshot.SessionId,
            snapshot.ContractId,
            snapshot.Documents,
            snapshot.DocumentId,
            snapshot.Page,
            snapshot.Pointer is { } pointer ? new PointerMessage.Spot(pointer.X, pointer.Y) : null,
            snapshot.Participants,
            snapshot.Status,
            snapshot.Ended,
            snapshot.Version,
            new SessionJoined.Self(participant.ParticipantId, participant.Role, participant.DisplayName),
            snapshot.Fields,
            snapshot.FieldValues.Values.OrderBy(v => v.FieldId).ToArray(),
            snapshot.FieldFocus,
            snapshot.FieldsFrozen,
            snapshot.Completed,
            snapshot.Sealed is { } sealedPdf ? ContractSealedMessage.Pdf.Of(snapshot.SessionId, sealedPdf) : null);
    }

    /// <summary>Shows <paramref name="page"/> of <paramref name="documentId"/> to everyone; returns the event's version.</summary>
    public Task<long> PageChange(Guid documentId, int page) =>
        ActAsync((membership, connectionId) => coordinator.ChangePageAsync(membership.SessionId, connectionId, documentId, page, Context.ConnectionAborted));

    /// <summary>Shows the first page of <paramref name="documentId"/> to everyone; returns the event's version.</summary>
    public Task<long> LoadDocument(Guid documentId) =>
        ActAsync((membership, connectionId) => coordinator.LoadDocumentAsync(membership.SessionId, connectionId, documentId, Context.ConnectionAborted));

    /// <summary>Points at (<paramref name="x"/>, <paramref name="y"/>), fractions 0..1 of the page from its top-left corner; returns the event's version.</summary>
    public Task<long> Pointer(double x, double y) => PointAsync(new PointerPosition(x, y));

    /// <summary>Stops pointing; returns the event's version.</summary>
    public Task<long> ClearPointer() => PointAsync(null);

    /// <summary>Tells everyone that the caller is in <paramref name="fieldId"/> now, or in no field (null); returns the event's version.</summary>
    public Task<long> FieldFocus(Guid? fieldId) =>
        ActAsync((membership, connectionId) => coordinator.FocusFieldAsync(membership.SessionId, connectionId, fieldId, Context.ConnectionAborted));

    /// <summary>
    /// Sets one of the caller's own fields to <paramref name="value"/> (saved durably within a
    /// second; <see cref="CommitField"/> saves at once); returns the value's version. A value that
    /// breaks the field's rules is accepted and shared with its problem; one the field can never hold is refused.
    /// </summary>
    public async Task<long> FieldValue(Guid fieldId, string value)
    {
        var membership = await AuthorizedMembershipAsync();
        var set = await coordinator.SetFieldValueAsync(membership.SessionId, CoordinatorConnectionId(Context.ConnectionId), fieldId, value ?? "", Context.ConnectionAborted);
        return set.Succeeded ? set.Value!.Version : throw new HubException(set.Error!.Message);
    }

    /// <summary>
    /// The caller is done with <paramref name="fieldId"/> (one of their own fields, refused like
    /// <see cref="FieldValue"/> otherwise, and rate limited with values): the session's values are
    /// saved with the next batch, without holding this connection for the write; returns the
    /// session's version.
    /// </summary>
    public Task<long> CommitField(Guid fieldId) =>
        ActAsync((membership, connectionId) => coordinator.CommitFieldAsync(membership.SessionId, connectionId, fieldId, Context.ConnectionAborted));

    /// <summary>The advisor guides the customer to one of the customer's fields; returns the event's version.</summary>
    public Task<long> FieldGuide(Guid fieldId) =>
        ActAsync((membership, connectionId) => coordinator.GuideFieldAsync(membership.SessionId, connectionId, fieldId, Context.ConnectionAborted));

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(MembershipKey, out var value) && value is Membership membership)
        {
            await LeaveAsync(membership);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Only the advisor points at the page; the customer sees the marker.</summary>
    private Task<long> PointAsync(PointerPosition? position) =>
        ActAsync((membership, connectionId) => membership.Participant.Role == ParticipantRole.Advisor
            ? coordinator.MovePointerAsync(membership.SessionId, connectionId, position, Context.ConnectionAborted)
            : ValueTask.FromResult<Core.Common.Outcome<long>>(new Core.Common.OperationError(Core.Common.ErrorKind.Forbidden, "Only the advisor points at the page.")));

    private async Task<long> ActAsync(Func<Membership, string, ValueTask<Core.Common.Outcome<long>>> command)
    {
        var membership = await AuthorizedMembershipAsync();
        var outcome = await command(membership, CoordinatorConnectionId(Context.ConnectionId));
        return outcome.Succeeded ? outcome.Value : throw new HubException(outcome.Error!.Message);
    }

    /// <summary>The connection's session, unless the background re-check (<see cref="RecheckAccessAsync"/>) found its access gone.</summary>
    private async Task<Membership> AuthorizedMembershipAsync()
    {
        if (!Context.Items.TryGetValue(MembershipKey, out var value) || value is not Membership membership)
        {
            throw new HubException(LiveSessionErrors.NotJoined.Message);
        }

        if (membership.Ended)
        {
            throw new HubException(LiveSessionErrors.Ended.Message);
        }

        if (membership.Refusal is { } refusal)
        {
            await LeaveAsync(membership);
            throw new HubException(refusal);
        }

        return membership;
    }

    /// <summary>
    /// Every <paramref name="interval"/> while the connection lasts, asks whether its caller may
    /// still be in the session; when not (a revoked or expired link, a locked account), refuses
    /// its commands and events from then on and closes it, so a client that only listens loses
    /// the session too. An ended session keeps its connections (they have their sessionEnded).
    /// Runs beside the connection, so no event or command ever waits for the database.
    /// </summary>
    private static async Task RecheckAccessAsync(
        Membership membership,
        HubCallerContext connection,
        LiveSessionService sessions,
        ILiveSessionCoordinator coordinator,
        TimeSpan interval,
        TimeProvider time,
        ILogger logger)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.ConnectionAborted) && !membership.Ended && membership.Subscription?.Completion.IsCompleted != true)
            {
                Core.Common.OperationError? refused;
                try
                {
                    refused = await sessions.AuthorizeAsync(membership.Caller, membership.SessionId, connection.ConnectionAborted);
                    if (refused is null || membership.Ended)
                    {
                        continue;
                    }

                    if ((await coordinator.GetSnapshotAsync(membership.SessionId, connection.ConnectionAborted))?.Ended == true)
                    {
                        membership.Ended = true;
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database blinked: keep the connection and ask again next time.
                    logger.LogWarning(e, "Re-checking a live-session connection's access failed; it is kept until the next check.");
                    continue;
                }

                membership.Refusal = refused.Message;
                connection.Abort();
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed.
        }
    }

    private async Task LeaveAsync(Membership membership)
    {
        Context.Items.Remove(MembershipKey);
        if (membership.Subscription is { } subscription)
        {
            await subscription.DisposeAsync();
        }

        presence.Disconnected(membership.SessionId, membership.Participant, IpAddress());
    }

    /// <summary>A connection the coordinator dropped (too slow, failed, stopping) is closed, so its client reconnects and joins afresh.</summary>
    private static async Task DisconnectWhenDroppedAsync(ILiveSessionSubscription subscription, HubCallerContext connection)
    {
        if (await subscription.Completion is SubscriptionEnd.TooSlow or SubscriptionEnd.CallbackFailed or SubscriptionEnd.CoordinatorStopped)
        {
            connection.Abort();
        }
    }

    private string? IpAddress() => Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString();

    private static string CoordinatorConnectionId(string connectionId) => $"hub:{connectionId}";

    private static object ToMessage(LiveSessionEvent e) => e switch
    {
        PageChange change => new PageChangeMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, change.DocumentId, change.Page),
        LoadDocument load => new LoadDocumentMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, load.DocumentId, load.Page),
        Pointer pointer => new PointerMessage(
            e.SessionId, e.Version, e.Actor, e.Timestamp, pointer.DocumentId, pointer.Page, pointer.Position is { } p ? new PointerMessage.Spot(p.X, p.Y) : null),
        Presence presence => new PresenceMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, presence.Participants),
        StatusUpdate status => new StatusUpdateMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, status.Status),
        ContractSigned signed => new ContractSignedMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, signed.SignedBy, signed.SignedAt),
        ContractSealed sealedPdf => new ContractSealedMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, ContractSealedMessage.Pdf.Of(e.SessionId, sealedPdf.Sealed)),
        SessionEnded => new SessionEndedMessage(e.SessionId, e.Version, e.Actor, e.Timestamp),
        DocumentsChanged documents => new DocumentsMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, documents.Documents, documents.DocumentId, documents.Page),
        Core.LiveSessions.FieldFocus focus => new FieldFocusMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, focus.FieldId, focus.DisplayName),
        FieldValueChanged value => new FieldValueMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, value.FieldId, value.Value, value.ValueVersion, value.Problem),
        Core.LiveSessions.FieldGuide guide => new FieldGuideMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, guide.FieldId, guide.DocumentId, guide.Page),
        FieldsChanged changed => new FieldsMessage(e.SessionId, e.Version, e.Actor, e.Timestamp, changed.Fields),
        _ => throw new InvalidOperationException($"The hub cannot send the event '{e.Name}'."),
    };

    /// <summary>A connection's place in its one session.</summary>
    private sealed class Membership(Guid sessionId, SessionCaller caller, LiveParticipant participant)
    {
        private volatile bool ended;

        private volatile string? refusal;

        public Guid SessionId { get; } = sessionId;

        public SessionCaller Caller { get; } = caller;

        public LiveParticipant Participant { get; } = participant;

        public ILiveSessionSubscription? Subscription { get; set; }

        /// <summary>Set when the session's <c>sessionEnded</c> went out (from the subscription's loop, hence volatile).</summary>
        public bool Ended
        {
            get => ended;
            set => ended = value;
        }

        /// <summary>Why the caller may no longer be in the session, once the background re-check found out.</summary>
        public string? Refusal
        {
            get => refusal;
            set => refusal = value;
        }
    }
}

/// <summary>
/// What <c>Join</c> returns: the session's state at <see cref="Version"/> and who the caller is in
/// it, with the contract's fields, every value filled so far, who is in which field, whether
/// the values are frozen (someone signed), whether the session is complete (the contract is
/// signed) and the sealed PDF once it is stored (as <c>contractSealed</c> carries it; a client that
/// missed that event while reconnecting finds it here).
/// </summary>
public sealed record SessionJoined(
    Guid SessionId,
    Guid ContractId,
    IReadOnlyList<SessionDocument> Documents,
    Guid DocumentId,
    int Page,
    PointerMessage.Spot? Pointer,
    IReadOnlyList<ParticipantPresence> Participants,
    ContractStatus Status,
    bool Ended,
    long Version,
    SessionJoined.Self You,
    IReadOnlyList<FieldDefinition> Fields,
    IReadOnlyList<LiveFieldValue> FieldValues,
    IReadOnlyList<FieldFocusMarker> FieldFocus,
    bool FieldsFrozen,
    bool Completed = false,
    ContractSealedMessage.Pdf? Sealed = null)
{
    /// <summary>The caller as a participant.</summary>
    public sealed record Self(string ParticipantId, ParticipantRole Role, string DisplayName);
}

/// <summary><c>pageChange</c>: the session shows <see cref="Page"/> of <see cref="DocumentId"/>, with no pointer.</summary>
public sealed record PageChangeMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page);

/// <summary><c>loadDocument</c>: the session switched to <see cref="DocumentId"/>, at <see cref="Page"/> (the first), with no pointer.</summary>
public sealed record LoadDocumentMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page);

/// <summary><c>pointer</c>: someone points at <see cref="Position"/> on the page shown, or stopped pointing (null).</summary>
public sealed record PointerMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page, PointerMessage.Spot? Position)
{
    /// <summary>Fractions 0..1 of the page's width and height, from its top-left corner.</summary>
    public sealed record Spot(double X, double Y);
}

/// <summary><c>presence</c>: everyone connected now.</summary>
public sealed record PresenceMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, IReadOnlyList<ParticipantPresence> Participants);

/// <summary><c>statusUpdate</c>: the contract moved to <see cref="Status"/>.</summary>
public sealed record StatusUpdateMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, ContractStatus Status);

/// <summary><c>contractSigned</c>: <see cref="SignedBy"/> signed.</summary>
public sealed record ContractSignedMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, string SignedBy, DateTimeOffset SignedAt);

/// <summary>
/// <c>contractSealed</c>: the signed contract's sealed PDF is stored and can be downloaded now
/// (<see cref="Sealed"/>: its document, when it was sealed and where to download it).
/// </summary>
public sealed record ContractSealedMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, ContractSealedMessage.Pdf Sealed)
{
    /// <summary>
    /// The sealed PDF: <see cref="DocumentId"/>, <see cref="SealedAt"/>, and <see cref="Download"/>,
    /// the session's download address relative to the app (<c>api/sessions/{id}/sealed</c>, with the
    /// caller's own credentials).
    /// </summary>
    public sealed record Pdf(Guid DocumentId, DateTimeOffset SealedAt, string Download)
    {
        public static Pdf Of(Guid sessionId, SessionSealedPdf sealedPdf) => new(sealedPdf.DocumentId, sealedPdf.SealedAt, $"api/sessions/{sessionId}/sealed");
    }
}

/// <summary><c>sessionEnded</c>: the last event of the session; every later command is refused.</summary>
public sealed record SessionEndedMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp);

/// <summary><c>documents</c>: the contract's documents changed; the session shows <see cref="Page"/> of <see cref="DocumentId"/>.</summary>
public sealed record DocumentsMessage(
    Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, IReadOnlyList<SessionDocument> Documents, Guid DocumentId, int Page);

/// <summary><c>fieldFocus</c>: <see cref="DisplayName"/> (the actor) is in <see cref="FieldId"/> now, or in no field (null).</summary>
public sealed record FieldFocusMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid? FieldId, string DisplayName);

/// <summary>
/// <c>fieldValue</c>: <see cref="FieldId"/> holds <see cref="Value"/>, its <see cref="ValueVersion"/>-th
/// change (keep the highest); <see cref="Problem"/> says why it does not meet the field's rules yet, or is null.
/// Every participant gets the same problem, in English with dates and numbers in their stored forms
/// (<see cref="Core.Fields.FieldValueRules.SharedCulture"/>), whatever their language: a client words it for its
/// reader from the field's rules and the value.
/// </summary>
public sealed record FieldValueMessage(
    Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid FieldId, string Value, long ValueVersion, string? Problem);

/// <summary><c>fieldGuide</c>: the advisor asks the customer to look at <see cref="FieldId"/> on <see cref="Page"/> of <see cref="DocumentId"/>.</summary>
public sealed record FieldGuideMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid FieldId, Guid DocumentId, int Page);

/// <summary><c>fields</c>: the contract's fields changed; values of fields no longer listed are gone.</summary>
public sealed record FieldsMessage(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, IReadOnlyList<FieldDefinition> Fields);
