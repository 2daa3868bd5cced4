using LiveContract.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Accounts;

internal static class UserAccounts
{
    /// <summary>
    /// Creates a user with one role in one transaction: either the account exists with its role
    /// and (optional) password, or nothing was written.
    /// </summary>
    public static async Task<IdentityResult> CreateAsync(
        LiveContractDbContext db,
        UserManager<ApplicationUser> users,
        TimeProvider time,
        string displayName,
        string email,
        string role,
        string? password,
        CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            return IdentityResult.Failed(new IdentityError { Code = "UnknownRole", Description = $"'{role}' is not a role. Use {string.Join(" or ", Roles.All)}." });
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            return IdentityResult.Failed(new IdentityError { Code = "NameRequired", Description = "A name is required." });
        }

        email = email.Trim();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
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
                await transaction.CommitAsync(cancellationToken);
            }

            return result;
        }
        catch (DbUpdateException)
        {
            // Two requests for the same email at once: Identity's check passed for both, the
            // database's unique index decides.
            return DuplicateEmail(email);
        }
    }

    private static IdentityResult DuplicateEmail(string email) =>
        IdentityResult.Failed(new IdentityError { Code = "DuplicateEmail", Description = $"An account with the email '{email}' exists already." });
}
