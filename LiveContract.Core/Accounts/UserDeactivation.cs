using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Accounts;

/// <summary>
/// When a person leaves: their account is deactivated (locked for good, signed out everywhere, so
/// sign-in and API tokens refuse it), their open contracts go to another advisor and their live
/// sessions end. Signed contracts stay theirs: they are final. Reactivation gives the account back,
/// not the contracts. Both write their event on the system stream in the same transaction as the
/// change (<see cref="UserUnitOfWork"/>), and each reassigned contract its <c>contract.reassigned</c>.
/// </summary>
public sealed class UserDeactivation(
    IServiceScopeFactory scopes,
    ContractReassignment reassignment,
    UserAdministration accounts,
    TimeProvider time,
    ILogger<UserDeactivation> logger)
{
    /// <summary>What deactivating the account would touch, and who could take its open contracts over.</summary>
    public async Task<Outcome<DeactivationImpact>> GetImpactAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return UserAdministration.UnknownUser;
        }

        var open = await db.Contracts.CountAsync(c => c.AdvisorId == userId && c.Status != ContractStatus.Signed, cancellationToken);
        var sessions = await db.LiveSessions.CountAsync(s => s.AdvisorId == userId && s.Status == LiveSessionStatus.Active, cancellationToken);
        var advisors = await UserAdministration.ActiveAdvisors(db, time.GetUtcNow())
            .Where(u => u.Id != userId)
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new AdvisorChoice(u.Id, u.DisplayName, u.Email!))
            .ToListAsync(cancellationToken);
        return new DeactivationImpact(user.Id, user.DisplayName, user.Email!, open, sessions, advisors);
    }

    /// <summary>
    /// Deactivates the account and gives its open contracts to <paramref name="reassignTo"/>
    /// (required when there are any; an active advisor other than the person). Nobody deactivates
    /// themselves or the last active admin. An account already deactivated is left as it is and the
    /// answer says nothing was moved, so a repeated request is harmless; two admins deactivating
    /// each other at the same instant cannot both succeed (the system stream's sequence serialises
    /// them and the second sees the first).
    /// </summary>
    public async Task<Outcome<Deactivation>> DeactivateAsync(Actor admin, string userId, string? reassignTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (userId == admin.UserId)
        {
            return new OperationError(ErrorKind.Conflict, "You cannot deactivate your own account; another admin can.");
        }

        var who = AuditActor.For(admin);
        var done = await UserUnitOfWork.RunAsync<Outcome<Deactivation>>(scopes, admin, async (db, users) =>
        {
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return UserAdministration.UnknownUser;
            }

            var now = time.GetUtcNow();
            if (user.DeactivatedAt is not null)
            {
                return await MoveLateArrivalsAsync(db, user, reassignTo, who, now, cancellationToken);
            }

            if (!await UserAdministration.OtherActiveAdminsExistAsync(db, user.Id, now, cancellationToken))
            {
                return UserAdministration.LastAdmin(user);
            }

            var open = await db.Contracts
                .Where(c => c.AdvisorId == user.Id && c.Status != ContractStatus.Signed)
                .OrderBy(c => c.Reference)
                .ToListAsync(cancellationToken);
            ApplicationUser? target = null;
            if (open.Count > 0 || !string.IsNullOrWhiteSpace(reassignTo))
            {
                if (string.IsNullOrWhiteSpace(reassignTo))
                {
                    return new OperationError(ErrorKind.Invalid, $"{user.DisplayName} has {Count(open.Count, "open contract")}: choose the advisor who takes them over.");
                }

                target = reassignTo == user.Id ? null : await UserAdministration.ActiveAdvisors(db, now).SingleOrDefaultAsync(u => u.Id == reassignTo, cancellationToken);
                if (target is null)
                {
                    return ContractReassignment.NotAnAdvisor;
                }
            }

            var sessions = await db.LiveSessions.CountAsync(s => s.AdvisorId == user.Id && s.Status == LiveSessionStatus.Active, cancellationToken);

            // Identity saves first (the user row, with a new security stamp that signs the person out
            // everywhere); the contracts and the events follow in the unit's own save.
            user.DeactivatedAt = now;
            user.LockoutEnabled = true;
            user.LockoutEnd = DateTimeOffset.MaxValue;
            var result = UserUnitOfWork.RetryOnConflict(await users.UpdateSecurityStampAsync(user));
            if (!result.Succeeded)
            {
                return new OperationError(ErrorKind.Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            foreach (var contract in open)
            {
                await ContractReassignment.MoveAsync(db, contract, user, target!, who, now, cancellationToken);
            }

            // Revoked, not just refused while locked: a reactivation must not revive a token the person took with them.
            var tokens = await ApiTokenService.RevokeAllAsync(db, user.Id, who, now, cancellationToken);
            await UserAdministration.AppendAsync(
                db,
                AuditEventTypes.UserDeactivated,
                who,
                UserUnitOfWork.EventData(
                    user,
                    ("reassignedToId", target?.Id),
                    ("reassignedToName", target?.DisplayName),
                    ("contractsReassigned", open.Count),
                    ("sessionsEnded", sessions),
                    ("tokensRevoked", tokens)),
                now,
                cancellationToken);
            return new Deactivation(user.Id, DeactivatedNow: true, target?.Id, open.Count, sessions);
        }, outcome => outcome is { Succeeded: true, Value: { DeactivatedNow: true } or { ContractsReassigned: > 0 } }, refusal => refusal, time, cancellationToken);
        if (!done.Succeeded)
        {
            return done.Error!;
        }

        if (done.Value!.DeactivatedNow)
        {
            logger.LogInformation("User {UserId} deactivated by {AdminId}; {Contracts} open contracts went to {TargetId}", userId, admin.UserId, done.Value.ContractsReassigned, done.Value.ReassignedToId);
        }

        // After the commit: the sessions still belong to the person who left. Also on a repeated
        // request, so an end cut short the first time is finished now.
        var ended = await reassignment.EndSessionsAsync(admin, all => all.Where(s => s.AdvisorId == userId), cancellationToken);
        return done.Value with { SessionsEnded = ended };
    }

    /// <summary>
    /// Gives a deactivated account back its sign-in (no lock, no failed attempts) and records
    /// <c>user.reactivated</c>. The contracts that went to others stay there. An active account
    /// is left as it is.
    /// </summary>
    public async Task<Outcome<UserSummary>> ReactivateAsync(Actor admin, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var done = await UserUnitOfWork.RunAsync<Outcome<bool>>(scopes, admin, async (db, users) =>
        {
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return UserAdministration.UnknownUser;
            }

            if (user.DeactivatedAt is null)
            {
                return false;
            }

            user.DeactivatedAt = null;
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            var result = UserUnitOfWork.RetryOnConflict(await users.UpdateAsync(user));
            if (!result.Succeeded)
            {
                return new OperationError(ErrorKind.Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            await UserAdministration.AppendAsync(db, AuditEventTypes.UserReactivated, AuditActor.For(admin), UserUnitOfWork.EventData(user), time.GetUtcNow(), cancellationToken);
            return true;
        }, outcome => outcome is { Succeeded: true, Value: true }, refusal => refusal, time, cancellationToken);
        if (!done.Succeeded)
        {
            return done.Error!;
        }

        return await accounts.GetAsync(userId, cancellationToken);
    }

    /// <summary>
    /// An account deactivated already can still hold open contracts that reached it a moment
    /// after (a reassignment to it racing its deactivation, a contract it created before its page
    /// noticed): a repeated deactivation naming <paramref name="reassignTo"/> moves those; without
    /// any, it changes nothing.
    /// </summary>
    private static async Task<Outcome<Deactivation>> MoveLateArrivalsAsync(
        LiveContractDbContext db, ApplicationUser user, string? reassignTo, AuditActor who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Contracts
            .Where(c => c.AdvisorId == user.Id && c.Status != ContractStatus.Signed)
            .OrderBy(c => c.Reference)
            .ToListAsync(cancellationToken);
        if (open.Count == 0 || string.IsNullOrWhiteSpace(reassignTo))
        {
            return new Deactivation(user.Id, DeactivatedNow: false, null, 0, 0);
        }

        var target = reassignTo == user.Id ? null : await UserAdministration.ActiveAdvisors(db, now).SingleOrDefaultAsync(u => u.Id == reassignTo, cancellationToken);
        if (target is null)
        {
            return ContractReassignment.NotAnAdvisor;
        }

        foreach (var contract in open)
        {
            await ContractReassignment.MoveAsync(db, contract, user, target, who, now, cancellationToken);
        }

        return new Deactivation(user.Id, DeactivatedNow: false, target.Id, open.Count, 0);
    }

    private static string Count(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";
}
