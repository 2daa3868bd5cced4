using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Contracts;

/// <summary>
/// Gives an open contract (Draft or Review) to another advisor, e.g. when its advisor is away or
/// leaves. Only admins do this. The contract's version moves on and <c>contract.reassigned</c> is
/// written on its stream in the same transaction; a live session still running on it belonged to
/// the previous advisor and is ended for everyone. Signed contracts stay with the advisor who
/// signed them: they are final (the database refuses any update).
/// </summary>
public sealed class ContractReassignment(
    IDbContextFactory<LiveContractDbContext> databases,
    ContractService contracts,
    LiveSessionService liveSessions,
    TimeProvider time,
    ILogger<ContractReassignment> logger)
{
    /// <summary>Asked by someone who is not an admin; said without looking at the contract, so it reveals nothing.</summary>
    public static readonly OperationError AdminsOnly =
        new(ErrorKind.Forbidden, "Only administrators can give a contract to another advisor.");

    /// <summary>
    /// Makes <paramref name="newAdvisorId"/> the advisor of the contract. The current advisor again
    /// succeeds without change (a repeated click or request is harmless).
    /// </summary>
    public async Task<Outcome<ContractDetails>> ReassignAsync(Actor admin, Guid contractId, string newAdvisorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsAdmin)
        {
            return AdminsOnly;
        }

        if (string.IsNullOrWhiteSpace(newAdvisorId))
        {
            return new OperationError(ErrorKind.Invalid, "Choose the advisor who takes the contract over.");
        }

        var moved = await AuditWrites.RunAsync<bool>(databases, async db =>
        {
            var contract = await db.Contracts.Include(c => c.Advisor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
            if (contract is null)
            {
                return OperationError.NotFound("That contract");
            }

            if (contract.Status == ContractStatus.Signed)
            {
                return new OperationError(ErrorKind.Conflict, "This contract is signed and final: it stays with the advisor who took it to signature.");
            }

            if (contract.AdvisorId == newAdvisorId)
            {
                return false;
            }

            var now = time.GetUtcNow();
            var target = await UserAdministration.ActiveAdvisors(db, now).SingleOrDefaultAsync(u => u.Id == newAdvisorId, cancellationToken);
            if (target is null)
            {
                return NotAnAdvisor;
            }

            await MoveAsync(db, contract, contract.Advisor!, target, AuditActor.For(admin), now, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new OperationError(ErrorKind.Conflict, "The contract was changed by someone else at the same time. Reload it and try again.");
            }

            return true;
        }, cancellationToken);
        if (!moved.Succeeded)
        {
            return moved.Error!;
        }

        if (moved.Value)
        {
            await EndSessionsAsync(admin, all => all.Where(s => s.ContractId == contractId && s.AdvisorId != newAdvisorId), cancellationToken);
        }

        return await contracts.GetAsync(admin, contractId, cancellationToken);
    }

    /// <summary>The refusal when the chosen person cannot take contracts over.</summary>
    internal static readonly OperationError NotAnAdvisor =
        new(ErrorKind.Invalid, "Choose an active advisor: that account does not exist, is locked or deactivated, or is not an advisor.");

    /// <summary>
    /// Gives <paramref name="contract"/> (tracked, not signed) to <paramref name="to"/> in
    /// <paramref name="db"/> and appends <c>contract.reassigned</c>; the caller saves.
    /// </summary>
    internal static Task MoveAsync(LiveContractDbContext db, Contract contract, ApplicationUser from, ApplicationUser to, AuditActor who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        contract.AdvisorId = to.Id;
        contract.Touch(now);
        return AuditTrail.AppendAsync(
            db,
            AuditStreams.Contract(contract.Id),
            AuditEventTypes.ContractReassigned,
            who,
            new { fromAdvisorId = from.Id, fromAdvisorName = from.DisplayName, toAdvisorId = to.Id, toAdvisorName = to.DisplayName },
            now,
            cancellationToken);
    }

    /// <summary>
    /// Ends, as <paramref name="admin"/>, the active live sessions <paramref name="sessions"/> selects
    /// (sessions of an advisor who no longer has the contract); the number ended. A session that
    /// cannot be ended is logged and left to the live-sessions page.
    /// </summary>
    internal async Task<int> EndSessionsAsync(Actor admin, Func<IQueryable<LiveSession>, IQueryable<LiveSession>> sessions, CancellationToken cancellationToken)
    {
        List<Guid> ids;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            ids = await sessions(db.LiveSessions.AsNoTracking().Where(s => s.Status == LiveSessionStatus.Active))
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
        }

        var ended = 0;
        foreach (var id in ids)
        {
            var outcome = await liveSessions.EndAsync(admin, id, cancellationToken);
            if (outcome.Succeeded)
            {
                ended++;
            }
            else
            {
                logger.LogWarning("Live session {SessionId} of a reassigned contract could not be ended: {Reason}", id, outcome.Error!.Message);
            }
        }

        return ended;
    }
}
