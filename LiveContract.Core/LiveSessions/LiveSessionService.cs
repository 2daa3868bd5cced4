using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The durable side of live sessions: starting and ending them, customer links (random tokens
/// stored only as SHA-256 hashes, emailed to the customer), who may take part, and the record of
/// starts, links, joins, leaves and ends. The moment-to-moment state (document, page, pointer,
/// presence) belongs to the <see cref="ILiveSessionCoordinator"/>.
/// </summary>
public sealed class LiveSessionService(
    IDbContextFactory<LiveContractDbContext> databases,
    ILiveSessionCoordinator coordinator,
    IEmailSender emailSender,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<LiveSessionService> logger)
{
    private static readonly OperationError AlreadyActive =
        new(ErrorKind.Conflict, "This contract already has a live session; end it before starting another.");

    private static readonly OperationError NotTheAdvisor =
        new(ErrorKind.Forbidden, "Only the contract's advisor can send or revoke the customer's link; administrators can end the session.");

    private static readonly OperationError AdminsWatch =
        new(ErrorKind.Forbidden, "Administrators can watch sessions from the management page; only the contract's advisor takes part.");

    private static readonly OperationError LinkRevoked =
        new(ErrorKind.Forbidden, "Your link to this live session was revoked; ask your advisor for a new one.");

    private static readonly OperationError LinkExpired =
        new(ErrorKind.Forbidden, "Your link to this live session has expired; ask your advisor for a new one.");

    /// <summary>Starts the contract's live session (own advisor; Draft or Review; at least one document; one active session per contract) and emails the customer a link under <paramref name="baseUri"/>.</summary>
    public async Task<Outcome<StartedLiveSession>> StartAsync(Actor actor, Guid contractId, Uri baseUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(baseUri);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
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
        var advisor = contract.Advisor!;
        db.LiveSessionActivities.AddRange(
            Activity(session.Id, now, LiveSessionActivityKind.Started, actor.UserId, ParticipantRole.Advisor, advisor.DisplayName),
            Activity(session.Id, now, LiveSessionActivityKind.LinkSent, actor.UserId, ParticipantRole.Advisor, advisor.DisplayName));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another start won the race; the unique index on the contract's active session decided.
            if (await HasActiveSessionAsync(contractId))
            {
                return AlreadyActive;
            }

            throw;
        }

        var customerLink = LinkUrl(baseUri, token);
        var emailSent = await SendInvitationAsync(session.Id, contract, customerLink, link.ExpiresAt, cancellationToken);
        logger.LogInformation("Live session {SessionId} of contract {ContractId} started by {UserId}", session.Id, contractId, actor.UserId);
        var info = await FindInfoAsync(db, actor, session.Id, cancellationToken);
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

    /// <summary>Revokes the session's links and emails a new one.</summary>
    public async Task<Outcome<IssuedCustomerLink>> ResendLinkAsync(Actor actor, Guid sessionId, Uri baseUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(baseUri);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await Sessions(db, tracked: true).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        if (session.Contract!.AdvisorId != actor.UserId)
        {
            return NotTheAdvisor;
        }

        if (session.Status == LiveSessionStatus.Ended)
        {
            return LiveSessionErrors.Ended;
        }

        var now = time.GetUtcNow();
        var advisorName = session.Contract.Advisor!.DisplayName;
        if (RevokeLinks(session, now))
        {
            db.LiveSessionActivities.Add(Activity(sessionId, now, LiveSessionActivityKind.LinkRevoked, actor.UserId, ParticipantRole.Advisor, advisorName));
        }

        var (link, token) = NewLink(sessionId, now);
        db.SessionLinks.Add(link);
        db.LiveSessionActivities.Add(Activity(sessionId, now, LiveSessionActivityKind.LinkSent, actor.UserId, ParticipantRole.Advisor, advisorName));
        await db.SaveChangesAsync(cancellationToken);

        var customerLink = LinkUrl(baseUri, token);
        var emailSent = await SendInvitationAsync(sessionId, session.Contract, customerLink, link.ExpiresAt, cancellationToken);
        return new IssuedCustomerLink((await FindInfoAsync(db, actor, sessionId, cancellationToken))!, customerLink, emailSent);
    }

    /// <summary>Revokes the session's links; the customer can no longer open or use them.</summary>
    public async Task<Outcome<LiveSessionInfo>> RevokeLinkAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await Sessions(db, tracked: true).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        if (session.Contract!.AdvisorId != actor.UserId)
        {
            return NotTheAdvisor;
        }

        var now = time.GetUtcNow();
        if (RevokeLinks(session, now))
        {
            db.LiveSessionActivities.Add(Activity(sessionId, now, LiveSessionActivityKind.LinkRevoked, actor.UserId, ParticipantRole.Advisor, session.Contract.Advisor!.DisplayName));
            await db.SaveChangesAsync(cancellationToken);
        }

        return (await FindInfoAsync(db, actor, sessionId, cancellationToken))!;
    }

    /// <summary>Ends the session for everyone (its advisor, or an admin). Ending an ended session changes nothing.</summary>
    public async Task<Outcome<LiveSessionInfo>> EndAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await Sessions(db).VisibleTo(actor).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return LiveSessionErrors.UnknownSession;
        }

        if (session.Status == LiveSessionStatus.Active)
        {
            var now = time.GetUtcNow();
            var isAdvisor = session.Contract!.AdvisorId == actor.UserId;
            var name = isAdvisor
                ? session.Contract.Advisor!.DisplayName
                : await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);

            // One statement decides which of two simultaneous ends records the end.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ended = await db.LiveSessions
                .Where(s => s.Id == sessionId && s.Status == LiveSessionStatus.Active)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(s => s.Status, LiveSessionStatus.Ended)
                        .SetProperty(s => s.EndedAt, now)
                        .SetProperty(s => s.EndedById, actor.UserId),
                    cancellationToken);
            if (ended == 1)
            {
                db.LiveSessionActivities.Add(Activity(sessionId, now, LiveSessionActivityKind.Ended, actor.UserId, isAdvisor ? ParticipantRole.Advisor : null, name));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (ended == 1)
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

    /// <summary>The customer opens the link: like <see cref="CheckLinkAsync(string, CancellationToken)"/>, and records its use.</summary>
    public async Task<LinkCheck> RedeemLinkAsync(string token, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (!LiveSessionTokens.IsWellFormed(token))
        {
            return new LinkCheck(null, LinkProblem.Unknown);
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var hash = LiveSessionTokens.Hash(token);
        var link = await Links(db, tracked: true).SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        var now = time.GetUtcNow();
        var check = Check(link, now);
        if (check.Grant is { } grant)
        {
            link!.LastUsedAt = now;
            db.LiveSessionActivities.Add(Activity(
                grant.SessionId,
                now,
                LiveSessionActivityKind.LinkUsed,
                grant.CustomerId.ToString(),
                ParticipantRole.Customer,
                grant.CustomerName,
                Truncate(ipAddress, 64)));
            await db.SaveChangesAsync(cancellationToken);
        }

        return check;
    }

    /// <summary>Authorizes <paramref name="caller"/> for the session (the contract's advisor, or the customer with a valid link to this session) and opens it in the coordinator.</summary>
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
        var documents = await LiveSessionNotifier.OriginalDocumentsAsync(db, session.ContractId, cancellationToken);
        if (documents.Count == 0)
        {
            return LiveSessionErrors.NoDocuments;
        }

        var setup = new LiveSessionSetup(
            session.ContractId,
            documents.Select(d => new SessionDocument(d.Id, d.FileName, d.PageCount)).ToList(),
            documents[0].Id,
            1,
            session.Contract!.Status);
        var opened = await coordinator.OpenAsync(sessionId, setup, cancellationToken);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }

        return new LiveSessionAccess(
            ToInfo(session, now),
            participant,
            opened.Value!.Documents);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may still take part in the session, with the same answers as
    /// <see cref="OpenForAsync"/> but without opening it: for re-checking a connection that joined.
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

                participant = new LiveParticipant(staff.Actor.UserId, ParticipantRole.Advisor, staff.DisplayName);
                break;

            case SessionCaller.Customer customer:
                var link = await db.SessionLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Id == customer.LinkId, cancellationToken);
                if (link is null || link.SessionId != sessionId)
                {
                    return LiveSessionErrors.UnknownSession;
                }

                session = await Sessions(db).SingleAsync(s => s.Id == sessionId, cancellationToken);
                if (session.Status == LiveSessionStatus.Active && link.RevokedAt is not null)
                {
                    return LinkRevoked;
                }

                if (session.Status == LiveSessionStatus.Active && link.ExpiresAt <= now)
                {
                    return LinkExpired;
                }

                participant = new LiveParticipant(session.CustomerId.ToString(), ParticipantRole.Customer, session.Contract!.Customer!.FullName);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller.");
        }

        return session.Status == LiveSessionStatus.Ended ? LiveSessionErrors.Ended : (session, participant);
    }

    /// <summary>Records that a participant's connection joined or left.</summary>
    public async Task RecordPresenceAsync(Guid sessionId, LiveParticipant participant, bool joined, string? ipAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.LiveSessionActivities.Add(Activity(
                sessionId,
                time.GetUtcNow(),
                joined ? LiveSessionActivityKind.Joined : LiveSessionActivityKind.Left,
                participant.ParticipantId,
                participant.Role,
                participant.DisplayName,
                Truncate(ipAddress, 64)));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Runs while connections close: losing one line of the record must not break that.
            logger.LogWarning(e, "Could not record that {ParticipantId} {Movement} live session {SessionId}", participant.ParticipantId, joined ? "joined" : "left", sessionId);
        }
    }

    /// <summary>The session's recorded steps, oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<LiveSessionActivityEntry>>> GetActivityAsync(Actor actor, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.LiveSessions.VisibleTo(actor).AnyAsync(s => s.Id == sessionId, cancellationToken))
        {
            return LiveSessionErrors.UnknownSession;
        }

        var entries = await db.LiveSessionActivities.AsNoTracking()
            .Where(a => a.SessionId == sessionId)
            .OrderBy(a => a.Id)
            .Select(a => new LiveSessionActivityEntry(a.At, a.Kind, a.ParticipantId, a.Role, a.DisplayName, a.IpAddress))
            .ToListAsync(cancellationToken);
        return entries;
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

        var grant = new CustomerLinkGrant(
            link.Id,
            session.Id,
            contract.Id,
            contract.Reference,
            contract.Title,
            session.CustomerId,
            contract.Customer!.FullName,
            advisorName,
            link.ExpiresAt);
        return new LinkCheck(grant, null, advisorName);
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

    private static string LinkUrl(Uri baseUri, string token) => $"{baseUri.AbsoluteUri.TrimEnd('/')}/join/{token}";

    private static LiveSessionActivity Activity(
        Guid sessionId,
        DateTimeOffset at,
        LiveSessionActivityKind kind,
        string? participantId,
        ParticipantRole? role,
        string? displayName,
        string? ipAddress = null) => new()
        {
            SessionId = sessionId,
            At = at,
            Kind = kind,
            ParticipantId = participantId,
            Role = role,
            DisplayName = Truncate(displayName, ContractRules.MaxNameLength),
            IpAddress = ipAddress,
        };

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private async Task<bool> HasActiveSessionAsync(Guid contractId)
    {
        await using var db = await databases.CreateDbContextAsync();
        return await db.LiveSessions.AnyAsync(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active);
    }

    /// <summary>Emails the customer their link; a failure is logged (without the link) and reported as false.</summary>
    private async Task<bool> SendInvitationAsync(Guid sessionId, Contract contract, string customerLink, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var message = LiveSessionEmails.Invitation(
            contract.Customer!.Email,
            contract.Customer.FullName,
            contract.Advisor!.DisplayName,
            contract.Reference,
            contract.Title,
            customerLink,
            expiresAt);
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
}

internal static class LiveSessionVisibility
{
    /// <summary>An advisor sees the sessions of their own contracts, an admin all.</summary>
    public static IQueryable<LiveSession> VisibleTo(this IQueryable<LiveSession> sessions, Actor actor) =>
        actor.IsAdmin ? sessions : sessions.Where(s => s.Contract!.AdvisorId == actor.UserId);
}
