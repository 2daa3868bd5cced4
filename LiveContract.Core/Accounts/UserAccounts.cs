using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

internal static class UserAccounts
{
    /// <summary>
    /// Creates a user with one role and records <c>user.created</c> in one transaction: either the
    /// account exists with its role, (optional) password and event, or nothing was written.
    /// <paramref name="createdBy"/> null means the account created itself (the first administrator,
    /// at first-run setup). <paramref name="admin"/>, when an admin creates it, must be an active
    /// admin at that moment. <paramref name="firstAdministrator"/> refuses (<see cref="FirstRunSetup.SetupCompleteCode"/>)
    /// when an administrator exists, checked inside the transaction: the unit of work reruns when
    /// another server created an account meanwhile (both write the system stream's next event),
    /// so two servers' setup pages cannot both create one.
    /// </summary>
    public static async Task<IdentityResult> CreateAsync(
        IServiceScopeFactory scopes,
        TimeProvider time,
        AuditActor? createdBy,
        Actor? admin,
        string displayName,
        string email,
        string role,
        string? password,
        CancellationToken cancellationToken,
        bool firstAdministrator = false)
    {
        if (!Roles.All.Contains(role))
        {
            return IdentityResult.Failed(new IdentityError { Code = "UnknownRole", Description = $"'{role}' is not a role. Use {string.Join(" or ", Roles.All)}." });
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            return IdentityResult.Failed(new IdentityError { Code = "NameRequired", Description = "A name is required." });
        }

        if (FreeText.Check(displayName, "name") is { } hidden)
        {
            return IdentityResult.Failed(new IdentityError { Code = "NameNotShowable", Description = hidden.Message });
        }

        email = email.Trim();
        try
        {
            return await UserUnitOfWork.RunAsync(scopes, admin, async (db, users) =>
            {
                if (firstAdministrator && await FirstRunSetup.AdminExistsAsync(db, cancellationToken))
                {
                    return FirstRunSetup.SetupComplete;
                }

                var now = time.GetUtcNow();
                var user = new ApplicationUser
                {
                    UserName = email,
                    Email = email,
                    EmailConfirmed = true,
                    DisplayName = displayName.Trim(),
                    CreatedAt = now,
                    LockoutEnabled = true,
                };
                var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
                if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
                {
                    return DuplicateEmail(email);
                }

                if (result.Succeeded)
                {
                    result = await users.AddToRoleAsync(user, role);
                }

                if (result.Succeeded)
                {
                    var who = createdBy ?? new AuditActor(user.Id, role, null);
                    await UserAdministration.AppendAsync(
                        db,
                        AuditEventTypes.UserCreated,
                        who,
                        UserUnitOfWork.EventData(user, ("displayName", user.DisplayName), ("role", role)),
                        now,
                        cancellationToken);
                }

                return result;
            }, result => result.Succeeded, refusal => IdentityResult.Failed(new IdentityError { Code = "AccountAdministration", Description = refusal.Message }), time, cancellationToken);
        }
        catch (DbUpdateException e) when (!AuditWrites.IsSequenceTaken(e))
        {
            // Two requests for the same email at once: Identity's check passed for both, the
            // database's unique index decides.
            return DuplicateEmail(email);
        }
    }

    private static IdentityResult DuplicateEmail(string email) =>
        IdentityResult.Failed(new IdentityError { Code = "DuplicateEmail", Description = $"An account with the email '{email}' exists already." });
}
