using LiveContract.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

/// <summary>
/// Knows whether the installation still needs its first administrator, and creates that account
/// exactly once, also when several servers share the database (checked in the account's
/// transaction). Once an administrator exists the answer is cached: setup never opens again.
/// </summary>
public sealed class FirstRunSetup(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>The error code of a refused setup: an administrator exists already.</summary>
    public const string SetupCompleteCode = "SetupComplete";

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool complete;

    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken = default)
    {
        if (complete)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
        complete = await AdminExistsAsync(db, cancellationToken);
        return !complete;
    }

    /// <summary>
    /// Creates the first administrator, or fails with a readable error when one exists already
    /// (a second browser that submitted the form at the same time gets that error too).
    /// </summary>
    public async Task<IdentityResult> CreateAdministratorAsync(string displayName, string email, string password, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
            if (complete || await AdminExistsAsync(db, cancellationToken))
            {
                complete = true;
                return SetupComplete;
            }

            var result = await UserAccounts.CreateAsync(scopes, time, createdBy: null, admin: null, displayName, email, Roles.Admin, password, cancellationToken, firstAdministrator: true);
            complete = result.Succeeded || result.Errors.Any(e => e.Code == SetupCompleteCode);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    internal static IdentityResult SetupComplete => IdentityResult.Failed(new IdentityError
    {
        Code = SetupCompleteCode,
        Description = "LiveContract already has an administrator. Sign in instead.",
    });

    internal static Task<bool> AdminExistsAsync(LiveContractDbContext db, CancellationToken cancellationToken) =>
        db.UserRoles.AnyAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin), cancellationToken);
}
