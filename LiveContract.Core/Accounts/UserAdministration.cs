using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Email;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

/// <summary>
/// What administrators do with accounts. Every call runs in its own scope, so a long-lived Blazor
/// circuit never works on a stale DbContext, and every change writes its event on the system audit
/// stream in the same transaction (<see cref="UserUnitOfWork"/>). Callers must already be
/// authorized as Admin; deactivation is in <see cref="UserDeactivation"/>.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, IPublicUrl publicUrl, TimeProvider time)
{
    /// <summary>One page of accounts, searched by name or email, with their roles and contract counts (three queries).</summary>
    public async Task<PagedResult<UserSummary>> ListAsync(UserQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, UserQuery.MaxPageSize);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            users = users.Where(u => u.DisplayName.ToLower().Contains(term) || u.Email!.ToLower().Contains(term));
        }

        var total = await users.CountAsync(cancellationToken);
        var items = await Sort(users, query.Sort, query.Descending).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedResult<UserSummary>(await SummarizeAsync(db, items, cancellationToken), total, page, size);
    }

    /// <summary>Every account by name; for short lists such as the advisor filter (staff are few, contracts are many).</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        return await SummarizeAsync(db, users, cancellationToken);
    }

    /// <summary>
    /// Everyone who holds contracts, by name, deactivated people too (their signed contracts stay
    /// theirs): the admin's advisor filter. One query over the contracts' advisor index, no counts.
    /// </summary>
    public async Task<IReadOnlyList<ContractOwner>> ListContractOwnersAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        return await db.Users.AsNoTracking()
            .Where(u => db.Contracts.Any(c => c.AdvisorId == u.Id))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new ContractOwner(u.Id, u.DisplayName, u.DeactivatedAt != null))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The advisors who can take over contracts now: active, not locked, with the Advisor role, by name.</summary>
    public async Task<IReadOnlyList<AdvisorChoice>> ListActiveAdvisorsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        return await ActiveAdvisors(db, time.GetUtcNow())
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new AdvisorChoice(u.Id, u.DisplayName, u.Email!))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Creates an account and records <c>user.created</c> by <paramref name="createdBy"/> (null:
    /// LiveContract itself, e.g. a seeding script). With no <paramref name="initialPassword"/> the
    /// person gets an email with a link to choose one (under the public address, <see cref="IPublicUrl"/>).
    /// </summary>
    public async Task<IdentityResult> CreateAsync(
        string displayName,
        string email,
        string role,
        string? initialPassword,
        Actor? createdBy = null,
        CancellationToken cancellationToken = default)
    {
        var who = createdBy is null ? AuditActor.System : AuditActor.For(createdBy);
        var result = await UserAccounts.CreateAsync(scopes, time, who, createdBy, displayName, email, role, initialPassword, cancellationToken);
        if (result.Succeeded && initialPassword is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email.Trim());
            return await SendPasswordLinkAsync(who, user!.Id, newAccount: true, cancellationToken);
        }

        return result;
    }

    public Task<IdentityResult> LockAsync(Actor admin, string userId, CancellationToken cancellationToken = default) =>
        WithUserAsync(admin, userId, async (db, users, user, who, now) =>
        {
            if (user.Id == admin.UserId)
            {
                return Failure("You cannot lock your own account.");
            }

            if (user.DeactivatedAt is not null)
            {
                return Failure($"{user.DisplayName} is deactivated and cannot sign in already.");
            }

            user.LockoutEnabled = true;
            user.LockoutEnd = DateTimeOffset.MaxValue;

            // A new security stamp signs the person out everywhere at the next validation.
            var result = UserUnitOfWork.RetryOnConflict(await users.UpdateSecurityStampAsync(user));
            if (result.Succeeded)
            {
                await AppendAsync(db, AuditEventTypes.UserLocked, who, UserUnitOfWork.EventData(user), now, cancellationToken);
            }

            return result;
        }, cancellationToken);

    /// <summary>Lifts a lock. A deactivated account stays locked: reactivating it is the way back.</summary>
    public Task<IdentityResult> UnlockAsync(Actor admin, string userId, CancellationToken cancellationToken = default) =>
        WithUserAsync(admin, userId, async (db, users, user, who, now) =>
        {
            if (user.DeactivatedAt is not null)
            {
                return Failure($"{user.DisplayName} is deactivated, not just locked. Reactivate instead.");
            }

            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            var result = UserUnitOfWork.RetryOnConflict(await users.UpdateAsync(user));
            if (result.Succeeded)
            {
                await AppendAsync(db, AuditEventTypes.UserUnlocked, who, UserUnitOfWork.EventData(user), now, cancellationToken);
            }

            return result;
        }, cancellationToken);

    /// <summary>Sets a new password chosen by the administrator; the person's other sessions end.</summary>
    public Task<IdentityResult> SetPasswordAsync(Actor admin, string userId, string newPassword, CancellationToken cancellationToken = default) =>
        WithUserAsync(admin, userId, async (db, users, user, who, now) =>
        {
            // Remove and add in the unit's transaction: a password the rules refuse rolls back the
            // removal. (A reset token would need Data Protection, whose first key is written through
            // another context: on SQLite that waits for this transaction's write lock.)
            var result = UserUnitOfWork.RetryOnConflict(await users.RemovePasswordAsync(user));
            if (result.Succeeded)
            {
                result = UserUnitOfWork.RetryOnConflict(await users.AddPasswordAsync(user, newPassword));
            }

            if (result.Succeeded)
            {
                await AppendAsync(db, AuditEventTypes.UserPasswordSet, who, UserUnitOfWork.EventData(user), now, cancellationToken);
            }

            return result;
        }, cancellationToken);

    /// <summary>Emails the person a link to choose a new password.</summary>
    public Task<IdentityResult> SendPasswordResetLinkAsync(Actor admin, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return SendPasswordLinkAsync(AuditActor.For(admin), userId, newAccount: false, cancellationToken);
    }

    /// <summary>
    /// Gives the account exactly <paramref name="roles"/> (Advisor, Admin or both) and records
    /// <c>user.roles_changed</c> {from, to}. An admin cannot take their own Admin role, and the last
    /// active admin keeps theirs. The same roles again change nothing.
    /// </summary>
    public async Task<Outcome<UserSummary>> ChangeRolesAsync(Actor admin, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(roles);
        var wanted = roles
            .Select(r => r?.Trim() ?? "")
            .Select(r => Roles.All.FirstOrDefault(known => string.Equals(known, r, StringComparison.OrdinalIgnoreCase)) ?? r)
            .Distinct()
            .Order()
            .ToList();
        if (wanted.Count == 0)
        {
            return new OperationError(ErrorKind.Invalid, "Choose at least one role: Advisor, Admin or both.");
        }

        if (wanted.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
        {
            return new OperationError(ErrorKind.Invalid, $"'{unknown}' is not a role. Use {string.Join(" or ", Roles.All)}.");
        }

        var changed = await UserUnitOfWork.RunAsync<Outcome<bool>>(scopes, admin, async (db, users) =>
        {
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return UnknownUser;
            }

            var current = (await users.GetRolesAsync(user)).Order().ToList();
            if (current.SequenceEqual(wanted))
            {
                return false;
            }

            var now = time.GetUtcNow();
            if (current.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin))
            {
                if (user.Id == admin.UserId)
                {
                    return new OperationError(ErrorKind.Conflict, "You cannot take away your own Admin role; another admin can.");
                }

                if (!await OtherActiveAdminsExistAsync(db, user.Id, now, cancellationToken))
                {
                    return LastAdmin(user);
                }
            }

            var result = UserUnitOfWork.RetryOnConflict(await users.RemoveFromRolesAsync(user, current.Except(wanted)));
            if (result.Succeeded)
            {
                result = UserUnitOfWork.RetryOnConflict(await users.AddToRolesAsync(user, wanted.Except(current)));
            }

            if (result.Succeeded)
            {
                // Signs the person out, so their next sign-in carries the new roles.
                result = UserUnitOfWork.RetryOnConflict(await users.UpdateSecurityStampAsync(user));
            }

            if (!result.Succeeded)
            {
                return new OperationError(ErrorKind.Invalid, Describe(result));
            }

            await AppendAsync(db, AuditEventTypes.UserRolesChanged, AuditActor.For(admin), UserUnitOfWork.EventData(user, ("from", current), ("to", wanted)), now, cancellationToken);
            return true;
        }, outcome => outcome is { Succeeded: true, Value: true }, refusal => refusal, time, cancellationToken);
        return changed.Succeeded ? await GetAsync(userId, cancellationToken) : changed.Error!;
    }

    /// <summary>One account as the users table shows it.</summary>
    public async Task<Outcome<UserSummary>> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var users = await db.Users.AsNoTracking().Where(u => u.Id == userId).ToListAsync(cancellationToken);
        return users.Count == 0 ? UnknownUser : (await SummarizeAsync(db, users, cancellationToken))[0];
    }

    /// <summary>Remembers when the person last signed in (shown to administrators).</summary>
    public async Task RecordSignInAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLoginAt, now), cancellationToken);
    }

    internal static readonly OperationError UnknownUser = new(ErrorKind.NotFound, "That account does not exist (any more).");

    /// <summary>Accounts that may sign in now: not deactivated, not locked.</summary>
    internal static IQueryable<ApplicationUser> ActiveUsers(LiveContractDbContext db, DateTimeOffset now) =>
        db.Users.Where(u => u.DeactivatedAt == null && (u.LockoutEnd == null || u.LockoutEnd <= now));

    internal static IQueryable<ApplicationUser> InRole(LiveContractDbContext db, IQueryable<ApplicationUser> users, string role) =>
        users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));

    /// <summary>Active accounts with the Advisor role: those who can take over contracts.</summary>
    internal static IQueryable<ApplicationUser> ActiveAdvisors(LiveContractDbContext db, DateTimeOffset now) =>
        InRole(db, ActiveUsers(db, now), Roles.Advisor);

    /// <summary>Whether an active admin other than <paramref name="userId"/> remains.</summary>
    internal static Task<bool> OtherActiveAdminsExistAsync(LiveContractDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        InRole(db, ActiveUsers(db, now), Roles.Admin).AnyAsync(u => u.Id != userId, cancellationToken);

    internal static OperationError LastAdmin(ApplicationUser user) =>
        new(ErrorKind.Conflict, $"{user.DisplayName} is the last active admin; make someone else an admin first.");

    internal static Task AppendAsync(LiveContractDbContext db, string type, AuditActor who, object data, DateTimeOffset now, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(db, AuditStreams.System, type, who, data, now, cancellationToken);

    private static IQueryable<ApplicationUser> Sort(IQueryable<ApplicationUser> users, UserSort sort, bool descending) => (sort, descending) switch
    {
        (UserSort.Email, false) => users.OrderBy(u => u.Email),
        (UserSort.Email, true) => users.OrderByDescending(u => u.Email),
        (UserSort.LastLogin, false) => users.OrderBy(u => u.LastLoginAt).ThenBy(u => u.Email),
        (UserSort.LastLogin, true) => users.OrderByDescending(u => u.LastLoginAt).ThenBy(u => u.Email),
        (UserSort.CreatedAt, false) => users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Email),
        (UserSort.CreatedAt, true) => users.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Email),
        (_, false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.Email),
        _ => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.Email),
    };

    /// <summary>The rows of <paramref name="users"/>, in their order: roles and contract counts in one grouped query each.</summary>
    private async Task<IReadOnlyList<UserSummary>> SummarizeAsync(LiveContractDbContext db, IReadOnlyList<ApplicationUser> users, CancellationToken cancellationToken)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = await db.UserRoles.AsNoTracking()
            .Where(ur => ids.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var counts = await db.Contracts.AsNoTracking()
            .Where(c => ids.Contains(c.AdvisorId))
            .GroupBy(c => new { c.AdvisorId, Signed = c.Status == ContractStatus.Signed })
            .Select(g => new { g.Key.AdvisorId, g.Key.Signed, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        var now = time.GetUtcNow();
        return users.Select(u => new UserSummary(
            u.Id,
            u.DisplayName,
            u.Email!,
            rolesByUser[u.Id].Order().ToList(),
            u.DeactivatedAt is not null ? UserStatus.Deactivated : u.LockoutEnd is { } end && end > now ? UserStatus.Locked : UserStatus.Active,
            u.CreatedAt,
            u.LastLoginAt,
            u.DeactivatedAt,
            counts.Where(c => c.AdvisorId == u.Id && !c.Signed).Sum(c => c.Count),
            counts.Where(c => c.AdvisorId == u.Id && c.Signed).Sum(c => c.Count))).ToList();
    }

    private async Task<IdentityResult> SendPasswordLinkAsync(AuditActor who, string userId, bool newAccount, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure(UnknownUser.Message);
        }

        var link = await PasswordLinks.CreateAsync(users, user, publicUrl);
        var email = scope.ServiceProvider.GetRequiredService<IEmailSender>();
        try
        {
            await email.SendAsync(AccountEmails.SetPassword(user, link, newAccount, PasswordLinks.Lifetime), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var what = newAccount ? "The account was created, but the email with its set-password link" : "The email with the password link";
            return Failure($"{what} could not be sent ({e.Message}). Check the email settings, then use 'Send password link' again.");
        }

        // Recorded once sent: the event says a link went out, which only the send can tell.
        await AuditWrites.RunOrThrowAsync(
            scope.ServiceProvider.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(),
            async db =>
            {
                await AppendAsync(db, AuditEventTypes.UserPasswordLinkSent, who, UserUnitOfWork.EventData(user, ("newAccount", newAccount)), time.GetUtcNow(), cancellationToken);
                return await db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);
        return IdentityResult.Success;
    }

    private Task<IdentityResult> WithUserAsync(
        Actor admin,
        string userId,
        Func<LiveContractDbContext, UserManager<ApplicationUser>, ApplicationUser, AuditActor, DateTimeOffset, Task<IdentityResult>> action,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return UserUnitOfWork.RunAsync(scopes, admin, async (db, users) =>
        {
            var user = await users.FindByIdAsync(userId);
            return user is null ? Failure(UnknownUser.Message) : await action(db, users, user, AuditActor.For(admin), time.GetUtcNow());
        }, result => result.Succeeded, refusal => Failure(refusal.Message), time, cancellationToken);
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static IdentityResult Failure(string description) =>
        IdentityResult.Failed(new IdentityError { Code = "AccountAdministration", Description = description });
}
