using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Email;
using LiveContract.Core.Fields;
using LiveContract.Core.Hosting;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The durable side of live sessions: starting and ending them, customer links (random tokens
/// stored only as SHA-256 hashes, emailed to the customer) and who may take part. Starts, links
/// sent, revoked and used, joins and leaves (<see cref="PresenceRecorder"/>), ends and the
/// customer's time per page (<see cref="PageViewTracker"/>) are events on the contract's audit trail, each written in the
/// same transaction as the change it records. The moment-to-moment state (document, page,
/// pointer, presence) belongs to the <see cref="ILiveSessionCoordinator"/>.
/// <para>
/// A session completes by itself when its contract becomes Signed (<see cref="CompleteInTransactionAsync"/>,
/// in the signing transaction): its link no longer joins anyone, while those in it stay until they
/// leave (<see cref="OpenForAsync"/>); ending it, resending or revoking its link is refused or changes nothing.
/// </para>
/// </summary>
public sealed class LiveSessionService(
    IDbContextFactory<LiveContractDbContext> databases,
    ILiveSessionCoordinator coordinator,
    IEmailSender emailSender,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    PageViewTracker pageViews,
    IPublicUrl publicUrl,
    PresenceRecorder presence,
    IOptions<IdentityCheckOptions> identityChecks,
    IStringLocalizer<CustomerText> customerText,
    ILogger<LiveSessionService> logger)
{
    /// <summary>The longest address the audit trail keeps (its column's length).</summary>

    /// <summary>The audit events that make up a session's activity, and the kind each one is.</summary>
    private static readonly Dictionary<string, LiveSessionActivityKind> ActivityKinds = new(StringComparer.Ordinal)
    {
        [AuditEventTypes.SessionStarted] = LiveSessionActivityKind.Started,
        [AuditEventTypes.LinkSent] = LiveSessionActivityKind.LinkSent,
        [AuditEventTypes.LinkRevoked] = LiveSessionActivityKind.LinkRevoked,
        [AuditEventTypes.LinkUsed] = LiveSessionActivityKind.LinkUsed,
        [AuditEventTypes.ParticipantJoined] = LiveSessionActivityKind.Joined,
        [AuditEventTypes.ParticipantLeft] = LiveSessionActivityKind.Left,
        [AuditEventTypes.SessionEnded] = LiveSessionActivityKind.Ended,
        [AuditEventTypes.SessionCompleted] = LiveSessionActivityKind.Completed,
    };

    private static readonly string[] ActivityTypes = [.. ActivityKinds.Keys];

    private static readonly OperationError AlreadyActive =
        new(ErrorKind.Conflict, "This contract already has a live session; end it before starting another.");

    private static readonly OperationError NotTheAdvisor =
        new(ErrorKind.Forbidden, "Only the contract's advisor can send or revoke the customer's link; administrators can end the session.");

    private static readonly OperationError AdminsWatch =
        new(ErrorKind.Forbidden, "Administrators can watch sessions from the management page; only the contract's advisor takes part.");

    private static readonly OperationError AccountLocked =
        new(ErrorKind.Forbidden, "Your account is locked or deactivated; you can no longer take part in live sessions.");

    private static readonly OperationError LinkRevoked =
        OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Link.Revoked");

    /// <summary>The refusal for a customer whose device has not passed the identity check.</summary>
    public static readonly OperationError IdentityNotChecked =
        OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Link.IdentityNotChecked");

    private static readonly OperationError LinkOfCompletedSession =
        new(ErrorKind.Conflict, "This contract is signed and its live session is complete: its customer link can no longer be sent again or revoked.");

    private static readonly OperationError LinkExpired =
        OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Link.Expired");

    /// <summary>Starts the contract's live session (own advisor; Draft or Review; at least one document; one active session per contract) and emails the customer a link under the public address (<see cref="IPublicUrl"/>).</summary>
    public async Task<Outcome<StartedLiveSession>> StartAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var created = await AuditWrites.RunAsync<IssuedLink>(
            databases,
            async db =>
            {
                var contract = await db.Contracts.AsNoTracking().VisibleTo(actor)
                    .Include(c => c.Customer)
                    .Include(c => c.Advisor)
                    .SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
                if (contract is null)
                {
                    return OperationError.NotFound("That contract");
                }

                if (ContractRules.CanChange(contract.AdvisorId, actor) is { } forbidden)
                {
                    return forbidden;
                }

                if (contract.Status == ContractStatus.Signed)
                {
                    return new OperationError(ErrorKind.Conflict, "This contract is signed and final: a live session can no longer be started.");
                }

                if ((await LiveSessionNotifier.OriginalDocumentsAsync(db, contractId, cancellationToken)).Count == 0)
                {
                    return new OperationError(ErrorKind.Conflict, "Add a document before starting a live session.");
                }

                if (await db.LiveSessions.AnyAsync(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active, cancellationToken))
                {
                    return AlreadyActive;
                }

                var now = time.GetUtcNow();
                var session = new LiveSession
                {
                    Id = Guid.NewGuid(),
                    ContractId = contractId,
                    AdvisorId = contract.AdvisorId,
                    CustomerId = contract.CustomerId,
                    Status = LiveSessionStatus.Active,
                    StartedAt = now,
                };
                var (link, token) = NewLink(session.Id, now);
                db.LiveSessions.Add(session);
                db.SessionLinks.Add(link);
                var stream = AuditStreams.Contract(contractId);
                var who = AuditActor.For(actor);
                await AuditTrail.AppendAsync(db, stream, AuditEventTypes.SessionStarted, who, new { sessionId = session.Id }, now, cancellationToken);
                await AuditTrail.AppendAsync(db, stream, AuditEventTypes.LinkSent, who, LinkSentData(link), now, cancellationToken);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException e) when (!AuditWrites.IsSequenceTaken(e))
                {
                    // Another start won the race; the unique index on the contract's active session decided.
                    if (await HasActiveSessionAsync(contractId))
                    {
                        return AlreadyActive;
                    }

                    throw;
                }

                return new IssuedLink(contract, link, token);
            },
            cancellationToken);
        if (!created.Succeeded)
        {
            return created.Error!;
        }

        var issued = created.Value!;
        var sessionId = issued.Link.SessionId;
        var customerLink = LinkUrl(issued.Token);
        var emailSent = await SendInvitationAsync(sessionId, issued.Contract, customerLink, issued.Link.ExpiresAt, cancellationToken);
        logger.LogInformation("Live session {SessionId} of contract {ContractId} started by {UserId}", sessionId, contractId, actor.UserId);
        await using var read = await databases.CreateDbContextAsync(cancellationToken);
        var info = await FindInfoAsync(read, actor, sessionId, cancellationToken);
        return new StartedLiveSession(info!, customerLink, emailSent);
    }

    /// <summary>A session the actor may see (their own contract's; admins all).</summary>
    public async Task<Outcome<LiveSessionInfo>> GetAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await FindInfoAsync(db, actor, sessionId, cancellationToken) is { } info ? info : LiveSessionErrors.UnknownSession;
    }

    /// <summary>The contract's active session, or null when it has none (or the actor may not see the contract).</summary>
    public async Task<LiveSessionInfo?> GetActiveAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await Sessions(db).VisibleTo(actor)
            .SingleOrDefaultAsync(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active, cancellationToken);
        return session is null ? null : ToInfo(session, time.GetUtcNow());
    }

    /// <summary>
    /// The contract's session as its page shows it: the active one, or else the newest completed one
    /// (the contract is signed); null when it has neither (or the actor may not see the contract).
    /// </summary>
    public async Task<LiveSessionInfo?> GetCurrentAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var current = (await Sessions(db).VisibleTo(actor)
                .Where(s => s.ContractId == contractId && (s.Status == LiveSessionStatus.Active || s.Status == LiveSessionStatus.Completed))
                .ToListAsync(cancellationToken))
            .OrderBy(s => s.Status == LiveSessionStatus.Active ? 0 : 1)
            .ThenByDescending(s => s.StartedAt)
            .FirstOrDefault();
        return current is null ? null : ToInfo(current, time.GetUtcNow());
    }

    /// <summary>Revokes the session's links and emails a new one.</summary>
    public async Task<Outcome<IssuedCustomerLink>> ResendLinkAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var replaced = await AuditWrites.RunAsync<IssuedLink>(
            databases,
            async db =>
            {
                var found = await FindOwnSessionAsync(db, actor, sessionId, cancellationToken);
                if (!found.Succeeded)
                {
                    return found.Error!;
                }

                var session = found.Value!;

                if (session.Status == LiveSessionStatus.Ended)
                {
                    return LiveSessionErrors.Ended;
                }

                if (session.Status == LiveSessionStatus.Completed)
                {
                    return LinkOfCompletedSession;
                }

                var now = time.GetUtcNow();
                var stream = AuditStreams.Contract(session.ContractId);
                var who = AuditActor.For(actor);
                if (RevokeLinks(session, now))
                {
                    await AuditTrail.AppendAsync(db, stream, AuditEventTypes.LinkRevoked, who, new { sessionId, replaced = true }, now, cancellationToken);
                }

                var (link, token) = NewLink(sessionId, now);
                db.SessionLinks.Add(link);
                await AuditTrail.AppendAsync(db, stream, AuditEventTypes.LinkSent, who, LinkSentData(link), now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return new IssuedLink(session.Contract!, link, token);
            },
            cancellationToken);
        if (!replaced.Succeeded)
        {
            return replaced.Error!;
        }

        var issued = replaced.Value!;
        var customerLink = LinkUrl(issued.Token);
        var emailSent = await SendInvitationAsync(sessionId, issued.Contract, customerLink, issued.Link.ExpiresAt, cancellationToken);
        await using var read = await databases.CreateDbContextAsync(cancellationToken);
        return new IssuedCustomerLink((await FindInfoAsync(read, actor, sessionId, cancellationToken))!, customerLink, emailSent);
    }

    /// <summary>
    /// The session (tracked, with its contract) for its advisor to change: not found when the actor
    /// may not see it, refused when they see it without being its advisor (an admin).
    /// </summary>
    private static async Task<Outcome<LiveSession>> FindOwnSessionAsync(LiveContractDbContext db, Actor actor, Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await Sessions(db, tracked: true).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        return session.Contract!.AdvisorId != actor.UserId ? NotTheAdvisor : session;
    }

    /// <summary>Revokes the session's links; the customer can no longer open or use them.</summary>
    public async Task<Outcome<LiveSessionInfo>> RevokeLinkAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var revoked = await AuditWrites.RunAsync<bool>(
            databases,
            async db =>
            {
                var found = await FindOwnSessionAsync(db, actor, sessionId, cancellationToken);
                if (!found.Succeeded)
                {
                    return found.Error!;
                }

                var session = found.Value!;
                if (session.Status == LiveSessionStatus.Completed)
                {
                    // Revoking would cut off the customer still looking at the signed contract; the link joins nobody any more anyway.
                    return LinkOfCompletedSession;
                }

                var now = time.GetUtcNow();
                if (!RevokeLinks(session, now))
                {
                    return false;
                }

                await AuditTrail.AppendAsync(
                    db,
                    AuditStreams.Contract(session.ContractId),
                    AuditEventTypes.LinkRevoked,
                    AuditActor.For(actor),
                    new { sessionId, replaced = false },
                    now,
                    cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return true;
            },
            cancellationToken);
        if (!revoked.Succeeded)
        {
            return revoked.Error!;
        }

        await using var read = await databases.CreateDbContextAsync(cancellationToken);
        return (await FindInfoAsync(read, actor, sessionId, cancellationToken))!;
    }

    /// <summary>
    /// Ends the session for everyone (its advisor, or an admin). Ending an ended session changes
    /// nothing, nor does ending a completed one (its contract is signed; those still in it keep the
    /// signed contract until they leave). The end writes <c>session.ended</c> and, when this server counted the customer's time
    /// in the session, the <c>session.pages_viewed</c> summary before it, in the same transaction.
    /// </summary>
    public async Task<Outcome<LiveSessionInfo>> EndAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await Sessions(db).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        if (session.Status == LiveSessionStatus.Completed)
        {
            return ToInfo(session, time.GetUtcNow());
        }

        if (session.Status == LiveSessionStatus.Active)
        {
            // Leaves still within their grace period belong before the end.
            await presence.FlushAsync(sessionId);
            var ended = await AuditWrites.RunAsync<bool>(databases, attempt => EndRowAsync(attempt, actor, session, cancellationToken), cancellationToken);
            if (!ended.Succeeded)
            {
                return ended.Error!;
            }

            if (ended.Value)
            {
                logger.LogInformation("Live session {SessionId} ended by {UserId}", sessionId, actor.UserId);
            }
        }

        // Also when the database says it has ended already: a coordinator that still holds it (an
        // end interrupted half-way) catches up. Not open here, or ended there too, is fine.
        await coordinator.EndAsync(sessionId, new LiveSessionActor(actor.UserId, ParticipantRole.Advisor), CancellationToken.None);
        return await FindInfoAsync(db, actor, sessionId, cancellationToken) is { } info ? info : LiveSessionErrors.UnknownSession;
    }

    /// <summary>What the customer link token opens, without recording anything.</summary>
    public async Task<LinkCheck> CheckLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!LiveSessionTokens.IsWellFormed(token))
        {
            return new LinkCheck(null, LinkProblem.Unknown);
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var hash = LiveSessionTokens.Hash(token);
        var link = await Links(db).SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        return Check(link, time.GetUtcNow());
    }

    /// <summary>Whether the link <paramref name="linkId"/> still opens its session (for re-checking a signed-in customer).</summary>
    public async Task<LinkCheck> CheckLinkAsync(Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var link = await Links(db).SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken);
        return Check(link, time.GetUtcNow());
    }

    /// <summary>
    /// The customer opens the link: like <see cref="CheckLinkAsync(string, CancellationToken)"/>, and
    /// records its use (<c>session.link_used</c>, with the address it came from) when it joins: a
    /// link of a completed session is answered (<see cref="LinkCheck.SessionCompleted"/>) and recorded as nothing.
    /// </summary>
    public async Task<LinkCheck> RedeemLinkAsync(string token, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (!LiveSessionTokens.IsWellFormed(token))
        {
            return new LinkCheck(null, LinkProblem.Unknown);
        }

        var hash = LiveSessionTokens.Hash(token);
        return await AuditWrites.RunOrThrowAsync(
            databases,
            async db =>
            {
                var link = await Links(db, tracked: true).SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
                var now = time.GetUtcNow();
                var check = Check(link, now);
                if (check.CanJoin && check.Grant is { } grant)
                {
                    link!.LastUsedAt = now;
                    await AuditTrail.AppendAsync(
                        db,
                        AuditStreams.Contract(grant.ContractId),
                        AuditEventTypes.LinkUsed,
                        AuditActor.ForCustomer(grant.CustomerId, ClientLimits.Clip(ipAddress, ClientLimits.MaxIpAddressLength)),
                        new { sessionId = grant.SessionId, linkId = grant.LinkId },
                        now,
                        cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }

                return check;
            },
            cancellationToken);
    }

    /// <summary>
    /// Authorizes <paramref name="caller"/> for the session (the contract's advisor, or the customer
    /// with a valid link to this session) and opens it in the coordinator. A completed session (its
    /// contract is signed) admits its advisor, and the customer only while they are still in it:
    /// connected (on any server the coordinator knows of), or back within
    /// <see cref="LiveSessionOptions.PresenceGracePeriod"/> of their last connection closing, as a
    /// reload or a reconnection is; a customer who has left, or comes by the link, is refused
    /// (<see cref="LiveSessionErrors.Completed"/>).
    /// </summary>
    public async Task<Outcome<LiveSessionAccess>> OpenForAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var authorized = await AuthorizeAsync(db, caller, sessionId, now, cancellationToken);
        if (!authorized.Succeeded)
        {
            return authorized.Error!;
        }

        var (session, participant) = authorized.Value;
        if (session.Status == LiveSessionStatus.Completed && participant.Role == ParticipantRole.Customer && !await StillInAsync(sessionId, participant))
        {
            return LiveSessionErrors.Completed;
        }

        var documents = await LiveSessionNotifier.OriginalDocumentsAsync(db, session.ContractId, cancellationToken);
        if (documents.Count == 0)
        {
            return LiveSessionErrors.NoDocuments;
        }

        var info = ToInfo(session, now);
        var fields = await ContractFieldValues.LoadAsync(db, session.ContractId, cancellationToken);
        var setup = new LiveSessionSetup(
            session.ContractId,
            documents.Select(d => new SessionDocument(d.Id, d.FileName, d.PageCount)).ToList(),
            documents[0].Id,
            1,
            session.Contract!.Status)
        {
            Fields = fields.Fields,
            FieldValues = fields.Fields
                .Where(f => fields.Values.ContainsKey(f.Id))
                .Select(f =>
                {
                    var stored = fields.Values[f.Id];
                    var setBy = stored.SetByParty == FieldParty.Advisor ? info.AdvisorName : info.CustomerName;
                    return new LiveFieldValue(f.Id, stored.Value, stored.Version, stored.SetById, setBy, stored.SetAt, FieldValueRules.Problem(f, stored.Value));
                })
                .ToList(),
            FieldsFrozen = await db.Signatures.AnyAsync(s => s.ContractId == session.ContractId, cancellationToken),
            Sealed = await db.Documents.AsNoTracking()
                .Where(d => d.ContractId == session.ContractId && d.Kind == DocumentKind.Sealed)
                .Select(d => new SessionSealedPdf(d.Id, d.UploadedAt))
                .SingleOrDefaultAsync(cancellationToken),
        };
        var opened = await coordinator.OpenAsync(sessionId, setup, cancellationToken);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }

        return new LiveSessionAccess(
            info,
            participant,
            opened.Value!.Documents);
    }

    /// <summary>Whether <paramref name="participant"/> is still in the completed session: connected, or gone for less than the grace period.</summary>
    private async Task<bool> StillInAsync(Guid sessionId, LiveParticipant participant) =>
        presence.IsPresent(sessionId, participant.ParticipantId)
        || (await coordinator.GetSnapshotAsync(sessionId))?.Participants.Any(p => p.ParticipantId == participant.ParticipantId) == true;

    /// <summary>
    /// Completes the active session <paramref name="sessionId"/> inside the caller's transaction, the
    /// one that makes its contract Signed: the session becomes <see cref="LiveSessionStatus.Completed"/>
    /// (at <paramref name="now"/>), and, as at an end, the customer's time per page (when counted on
    /// this server) and then <c>session.completed</c> (by the system) are added for the caller's
    /// SaveChanges. Leaves still in their grace period belong before it: call
    /// <see cref="FlushPresenceAsync"/> before the transaction. False when the session was not active.
    /// </summary>
    internal async Task<bool> CompleteInTransactionAsync(LiveContractDbContext db, Guid sessionId, Guid contractId, Guid customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var completed = await db.LiveSessions
            .Where(s => s.Id == sessionId && s.Status == LiveSessionStatus.Active)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, LiveSessionStatus.Completed).SetProperty(s => s.EndedAt, now), cancellationToken);
        if (completed == 0)
        {
            return false;
        }

        var stream = AuditStreams.Contract(contractId);
        if (pageViews.Summarize(sessionId) is { } views)
        {
            await AuditTrail.AppendAsync(db, stream, AuditEventTypes.PagesViewed, AuditActor.ForCustomer(customerId, null), await PagesViewedDataAsync(db, sessionId, views, cancellationToken), now, cancellationToken);
        }

        await AuditTrail.AppendAsync(db, stream, AuditEventTypes.SessionCompleted, AuditActor.System, new { sessionId }, now, cancellationToken);
        return true;
    }

    /// <summary>Writes now the leaves of the session still waiting for their grace period (before the session completes, as before it ends).</summary>
    public Task FlushPresenceAsync(Guid sessionId) => presence.FlushAsync(sessionId);

    /// <summary>
    /// Whether <paramref name="caller"/> may still take part in the session, with the same answers as
    /// <see cref="OpenForAsync"/> but without opening it: for re-checking a connection that joined.
    /// A completed session's participants may still read it (signing state, documents, the signed PDF).
    /// </summary>
    public async Task<OperationError?> AuthorizeAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return (await AuthorizeAsync(db, caller, sessionId, time.GetUtcNow(), cancellationToken)).Error;
    }

    private async Task<Outcome<(LiveSession Session, LiveParticipant Participant)>> AuthorizeAsync(
        LiveContractDbContext db,
        SessionCaller caller,
        Guid sessionId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        LiveSession? session;
        LiveParticipant participant;
        switch (caller)
        {
            case SessionCaller.Staff staff:
                session = await Sessions(db).VisibleTo(staff.Actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
                if (session is null)
                {
                    return LiveSessionErrors.UnknownSession;
                }

                if (session.Contract!.AdvisorId != staff.Actor.UserId)
                {
                    return AdminsWatch;
                }

                // Claims outlive a lock or a deactivation by up to a minute; the account decides.
                if (!await db.Users.AnyAsync(u => u.Id == staff.Actor.UserId && u.DeactivatedAt == null && (u.LockoutEnd == null || u.LockoutEnd <= now), cancellationToken))
                {
                    return AccountLocked;
                }

                participant = new LiveParticipant(staff.Actor.UserId, ParticipantRole.Advisor, staff.DisplayName);
                break;

            case SessionCaller.Customer customer:
                var link = await db.SessionLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Id == customer.LinkId, cancellationToken);
                if (link is null || link.SessionId != sessionId)
                {
                    return LiveSessionErrors.UnknownSession;
                }

                session = await Sessions(db).SingleAsync(s => s.Id == sessionId, cancellationToken);
                if (session.Status != LiveSessionStatus.Ended && link.RevokedAt is not null)
                {
                    return LinkRevoked;
                }

                if (session.Status != LiveSessionStatus.Ended && link.ExpiresAt <= now)
                {
                    return LinkExpired;
                }

                if (session.Status != LiveSessionStatus.Ended
                    && IdentityCheckService.CodeRequired(session.Contract!, identityChecks.Value)
                    && !await IdentityCheckService.HasPassedAsync(db, link.Id, customer.IdentityCheckId, cancellationToken))
                {
                    return IdentityNotChecked;
                }

                participant = new LiveParticipant(session.CustomerId.ToString(), ParticipantRole.Customer, session.Contract!.Customer!.FullName);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller.");
        }

        return session.Status == LiveSessionStatus.Ended ? LiveSessionErrors.Ended : (session, participant);
    }

    /// <summary>The session's recorded steps, oldest first: its events on the contract's audit trail (start, links, joins and leaves, end).</summary>
    public async Task<Outcome<IReadOnlyList<LiveSessionActivityEntry>>> GetActivityAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contractId = await db.LiveSessions.VisibleTo(actor).Where(s => s.Id == sessionId).Select(s => (Guid?)s.ContractId).SingleOrDefaultAsync(cancellationToken);
        if (contractId is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        var stream = AuditStreams.Contract(contractId.Value);
        var id = sessionId.ToString("D");
        var events = (await db.AuditEvents.AsNoTracking()
                .Where(e => e.Stream == stream && ActivityTypes.Contains(e.Type) && e.Data.Contains(id))
                .OrderBy(e => e.Sequence)
                .ToListAsync(cancellationToken))
            .Where(e => IsOfSession(e, id))
            .ToList();
        var names = await AuditActorNames.LoadAsync(db, events, cancellationToken);
        return events
            .Select(e => new LiveSessionActivityEntry(
                e.At,
                ActivityKinds[e.Type],
                e.ActorId,
                e.ActorRole switch
                {
                    AuditActor.AdvisorRole => ParticipantRole.Advisor,
                    AuditActor.CustomerRole => ParticipantRole.Customer,
                    _ => null,
                },
                names.NameOf(e),
                e.IpAddress))
            .ToList();
    }

    private static IQueryable<LiveSession> Sessions(LiveContractDbContext db, bool tracked = false)
    {
        var sessions = db.LiveSessions
            .Include(s => s.Contract!).ThenInclude(c => c.Customer)
            .Include(s => s.Contract!).ThenInclude(c => c.Advisor)
            .Include(s => s.Links);
        return tracked ? sessions : sessions.AsNoTracking();
    }

    private static IQueryable<SessionLink> Links(LiveContractDbContext db, bool tracked = false)
    {
        var links = db.SessionLinks
            .Include(l => l.Session!).ThenInclude(s => s.Contract!).ThenInclude(c => c.Customer)
            .Include(l => l.Session!).ThenInclude(s => s.Contract!).ThenInclude(c => c.Advisor);
        return tracked ? links : links.AsNoTracking();
    }

    private static LinkCheck Check(SessionLink? link, DateTimeOffset now)
    {
        if (link is null)
        {
            return new LinkCheck(null, LinkProblem.Unknown);
        }

        var session = link.Session!;
        var contract = session.Contract!;
        var advisorName = contract.Advisor!.DisplayName;
        LinkProblem? problem = session.Status == LiveSessionStatus.Ended ? LinkProblem.SessionEnded
            : link.RevokedAt is not null ? LinkProblem.Revoked
            : link.ExpiresAt <= now ? LinkProblem.Expired
            : null;
        if (problem is not null)
        {
            return new LinkCheck(null, problem, advisorName);
        }

        // A completed session's link still says who the customer is (for whoever is still in it), but joins nobody.

        var grant = new CustomerLinkGrant(
            link.Id,
            session.Id,
            contract.Id,
            contract.Reference,
            contract.Title,
            session.CustomerId,
            contract.Customer!.FullName,
            advisorName,
            link.ExpiresAt,
            contract.Language);
        return new LinkCheck(grant, null, advisorName) { SessionCompleted = session.Status == LiveSessionStatus.Completed };
    }

    private async Task<LiveSessionInfo?> FindInfoAsync(LiveContractDbContext db, Actor actor, Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await Sessions(db).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        return session is null ? null : ToInfo(session, time.GetUtcNow());
    }

    private static LiveSessionInfo ToInfo(LiveSession s, DateTimeOffset now)
    {
        var contract = s.Contract!;

        // The link in force: the one not revoked, else the newest.
        var link = s.Links
            .OrderBy(l => l.RevokedAt is null ? 0 : 1)
            .ThenByDescending(l => l.CreatedAt)
            .ThenByDescending(l => l.RevokedAt)
            .FirstOrDefault();
        return new LiveSessionInfo(
            s.Id,
            s.ContractId,
            contract.Reference,
            contract.Title,
            contract.Status,
            contract.AdvisorId,
            contract.Advisor!.DisplayName,
            s.CustomerId,
            contract.Customer!.FullName,
            contract.Customer.Email,
            s.Status,
            s.StartedAt,
            s.EndedAt,
            link is null
                ? null
                : new CustomerLinkInfo(
                    link.CreatedAt,
                    link.ExpiresAt,
                    link.RevokedAt,
                    link.LastUsedAt,
                    s.Status == LiveSessionStatus.Active && link.RevokedAt is null && link.ExpiresAt > now));
    }

    /// <summary>Revokes every link of the session not yet revoked; true when one could still be used.</summary>
    private static bool RevokeLinks(LiveSession session, DateTimeOffset now)
    {
        var wasUsable = false;
        foreach (var link in session.Links.Where(l => l.RevokedAt is null))
        {
            wasUsable |= link.ExpiresAt > now;
            link.RevokedAt = now;
        }

        return wasUsable;
    }

    private (SessionLink Link, string Token) NewLink(Guid sessionId, DateTimeOffset now)
    {
        var token = LiveSessionTokens.Create();
        var link = new SessionLink
        {
            Id = Guid.NewGuid(),
            SessionId = sessionId,
            TokenHash = LiveSessionTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + options.Value.LinkLifetime,
        };
        return (link, token);
    }

    private string LinkUrl(string token) => publicUrl.Resolve($"join/{token}").AbsoluteUri;

    private static object LinkSentData(SessionLink link) => new { sessionId = link.SessionId, linkId = link.Id, expiresAt = link.ExpiresAt };

    /// <summary>Whether <paramref name="audit"/>'s data names the session <paramref name="sessionId"/>.</summary>
    private static bool IsOfSession(AuditEvent audit, string sessionId)
    {
        using var data = JsonDocument.Parse(audit.Data);
        return data.RootElement.ValueKind == JsonValueKind.Object
            && data.RootElement.TryGetProperty("sessionId", out var id)
            && id.ValueKind == JsonValueKind.String
            && string.Equals(id.GetString(), sessionId, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// One attempt at ending <paramref name="session"/>: one statement decides which of two
    /// simultaneous ends records the end; the winner writes the customer's page views (when
    /// counted here) and <c>session.ended</c> in the same transaction. True when this attempt ended it.
    /// </summary>
    private async Task<Outcome<bool>> EndRowAsync(LiveContractDbContext db, Actor actor, LiveSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await db.LiveSessions
            .Where(s => s.Id == session.Id && s.Status == LiveSessionStatus.Active)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.Status, LiveSessionStatus.Ended)
                    .SetProperty(s => s.EndedAt, now)
                    .SetProperty(s => s.EndedById, actor.UserId),
                cancellationToken);
        if (ended == 1)
        {
            var stream = AuditStreams.Contract(session.ContractId);
            if (pageViews.Summarize(session.Id) is { } views)
            {
                await AuditTrail.AppendAsync(
                    db,
                    stream,
                    AuditEventTypes.PagesViewed,
                    AuditActor.ForCustomer(session.CustomerId, null),
                    await PagesViewedDataAsync(db, session.Id, views, cancellationToken),
                    now,
                    cancellationToken);
            }

            await AuditTrail.AppendAsync(db, stream, AuditEventTypes.SessionEnded, AuditActor.For(actor), new { sessionId = session.Id }, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ended == 1;
    }

    /// <summary>The <c>session.pages_viewed</c> data: seconds per page (tenths), with the documents' names while they exist.</summary>
    private static async Task<object> PagesViewedDataAsync(LiveContractDbContext db, Guid sessionId, PageViews views, CancellationToken cancellationToken)
    {
        var ids = views.Pages.Select(p => p.DocumentId).Distinct().ToList();
        var names = await db.Documents.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.FileName, cancellationToken);
        return new
        {
            sessionId,
            countedSince = views.CountedSince,
            totalSeconds = Seconds(views.Total),
            pages = views.Pages
                .Select(p => new { documentId = p.DocumentId, fileName = names.GetValueOrDefault(p.DocumentId), page = p.Page, seconds = Seconds(p.Duration) })
                .ToList(),
        };

        static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 1);
    }


    private async Task<bool> HasActiveSessionAsync(Guid contractId)
    {
        await using var db = await databases.CreateDbContextAsync();
        return await db.LiveSessions.AnyAsync(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active);
    }

    /// <summary>Emails the customer their link; a failure is logged (without the link) and reported as false.</summary>
    private async Task<bool> SendInvitationAsync(Guid sessionId, Contract contract, string customerLink, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        EmailMessage message;
        using (Languages.Use(contract.Language))
        {
            message = LiveSessionEmails.Invitation(
                customerText,
                contract.Customer!.Email,
                contract.Customer.FullName,
                contract.Advisor!.DisplayName,
                contract.Reference,
                contract.Title,
                customerLink,
                expiresAt,
                contract.CustomerTimeZone);
        }

        try
        {
            await emailSender.SendAsync(message, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Emailing the link of live session {SessionId} to the customer failed; the advisor can copy the link or resend it", sessionId);
            return false;
        }
    }

    /// <summary>A customer link just issued, with what the invitation email needs.</summary>
    private sealed record IssuedLink(Contract Contract, SessionLink Link, string Token);
}

internal static class LiveSessionVisibility
{
    /// <summary>An advisor sees the sessions of their own contracts, an admin all.</summary>
    public static IQueryable<LiveSession> VisibleTo(this IQueryable<LiveSession> sessions, Actor actor) =>
        actor.IsAdmin ? sessions : sessions.Where(s => s.Contract!.AdvisorId == actor.UserId);
}
