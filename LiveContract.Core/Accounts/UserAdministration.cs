using LiveContract.Core.Data;
using LiveContract.Core.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

public sealed record UserSummary(
    string Id,
    string DisplayName,
    string Email,
    IReadOnlyList<string> Roles,
    bool IsLocked,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt);

/// <summary>
/// What administrators do with accounts. Every call runs in its own scope, so a long-lived Blazor
/// circuit never works on a stale DbContext. Callers must already be authorized as Admin.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return users.Select(u => new UserSummary(
            u.Id,
            u.DisplayName,
            u.Email!,
            rolesByUser[u.Id].Order().ToList(),
            u.LockoutEnd is { } end && end > now,
            u.CreatedAt,
            u.LastLoginAt)).ToList();
    }

    /// <summary>
    /// Creates an account. With no <paramref name="initialPassword"/> the person gets an email
    /// with a link to choose one (built on <paramref name="baseUri"/>).
    /// </summary>
    public async Task<IdentityResult> CreateAsync(string displayName, string email, string role, string? initialPassword, Uri baseUri, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = await UserAccounts.CreateAsync(db, users, time, displayName, email, role, initialPassword, cancellationToken);
        if (result.Succeeded && initialPassword is null)
        {
            var user = await users.FindByEmailAsync(email.Trim());
            return await SendPasswordLinkAsync(scope.ServiceProvider, users, user!, newAccount: true, baseUri, cancellationToken);
        }

        return result;
    }

    public Task<IdentityResult> LockAsync(string userId, string actingUserId, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            if (user.Id == actingUserId)
            {
                return Failure("You cannot lock your own account.");
            }

            var result = await users.SetLockoutEnabledAsync(user, true);
            if (result.Succeeded)
            {
                result = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            }

            // A new security stamp signs the person out everywhere at the next validation.
            return result.Succeeded ? await users.UpdateSecurityStampAsync(user) : result;
        }, cancellationToken);

    public Task<IdentityResult> UnlockAsync(string userId, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var result = await users.SetLockoutEndDateAsync(user, null);
            return result.Succeeded ? await users.ResetAccessFailedCountAsync(user) : result;
        }, cancellationToken);

    /// <summary>Sets a new password chosen by the administrator; the person's other sessions end.</summary>
    public Task<IdentityResult> SetPasswordAsync(string userId, string newPassword, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            return await users.ResetPasswordAsync(user, token, newPassword);
        }, cancellationToken);

    /// <summary>Emails the person a link to choose a new password.</summary>
    public async Task<IdentityResult> SendPasswordResetLinkAsync(string userId, Uri baseUri, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserNotFound();
        }

        return await SendPasswordLinkAsync(scope.ServiceProvider, users, user, newAccount: false, baseUri, cancellationToken);
    }

    /// <summary>Remembers when the person last signed in (shown to administrators).</summary>
    public async Task RecordSignInAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLoginAt, now), cancellationToken);
    }

    private static async Task<IdentityResult> SendPasswordLinkAsync(IServiceProvider services, UserManager<ApplicationUser> users, ApplicationUser user, bool newAccount, Uri baseUri, CancellationToken cancellationToken)
    {
        var link = await PasswordLinks.CreateAsync(users, user, baseUri);
        var email = services.GetRequiredService<IEmailSender>();
        try
        {
            await email.SendAsync(AccountEmails.SetPassword(user, link, newAccount, PasswordLinks.Lifetime), cancellationToken);
            return IdentityResult.Success;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var what = newAccount ? "The account was created, but the email with its set-password link" : "The email with the password link";
            return Failure($"{what} could not be sent ({e.Message}). Check the email settings, then use 'Send password link' again.");
        }
    }

    private async Task<IdentityResult> WithUserAsync(string userId, Func<UserManager<ApplicationUser>, ApplicationUser, Task<IdentityResult>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null ? UserNotFound() : await action(users, user);
    }

    private static IdentityResult UserNotFound() => Failure("That account does not exist (any more).");

    private static IdentityResult Failure(string description) =>
        IdentityResult.Failed(new IdentityError { Code = "AccountAdministration", Description = description });
}
