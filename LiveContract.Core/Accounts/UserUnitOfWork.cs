using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

/// <summary>
/// One administrative change of an account and its audit event, all or nothing. Identity's
/// <see cref="UserManager{TUser}"/> saves through the scope's <see cref="LiveContractDbContext"/>, so
/// the unit opens a transaction on that context, lets the work do the Identity calls and append its
/// events, saves and commits. Every such change appends to the one system stream, so two changes at
/// the same instant collide on its sequence number: the loser's save fails, and the whole unit runs
/// again in a fresh scope, reading again what it decides on (this is what makes "not the last
/// active admin" hold when two admins act at once). A contract row changed by someone else meanwhile
/// (its version moved on) reruns the unit the same way.
/// </summary>
internal static class UserUnitOfWork
{
    /// <summary>
    /// Runs <paramref name="work"/> until it is not beaten to a sequence number; commits when
    /// <paramref name="succeeded"/> says the result is a success, rolls back otherwise.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        IServiceScopeFactory scopes,
        Func<LiveContractDbContext, UserManager<ApplicationUser>, Task<T>> work,
        Func<T, bool> succeeded,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiveContractDbContext>();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                try
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var result = await work(db, users);
                    if (succeeded(result))
                    {
                        await db.SaveChangesAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }

                    return result;
                }
                catch (DbUpdateException e) when (attempt < AuditWrites.MaxAttempts && (e is DbUpdateConcurrencyException || AuditWrites.IsSequenceTaken(e)))
                {
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 8 * attempt)), cancellationToken);
        }
    }

    /// <summary>The data every user event carries: the account concerned, then <paramref name="more"/>.</summary>
    public static Dictionary<string, object?> EventData(ApplicationUser user, params (string Name, object? Value)[] more)
    {
        var data = new Dictionary<string, object?> { ["userId"] = user.Id, ["email"] = user.Email };
        foreach (var (name, value) in more)
        {
            data[name] = value;
        }

        return data;
    }
}
