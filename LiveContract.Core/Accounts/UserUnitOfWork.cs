using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Accounts;

/// <summary>
/// One administrative change of an account and its audit event, all or nothing. Identity's
/// <see cref="UserManager{TUser}"/> saves through the scope's <see cref="LiveContractDbContext"/>, so
/// the unit opens a transaction on that context, lets the work do the Identity calls and append its
/// events, saves and commits. Every such change appends to the one system stream, and the unit
/// reads the stream's head before the work reads anything it decides on: when the event it appends
/// is not the very next one, or another writer takes that number first, someone changed accounts
/// meanwhile, so the whole unit runs again in a fresh scope and decides on fresh data; so does a refusal
/// when the stream's head moved while the unit was deciding. That is what
/// makes "not the last active admin" hold when two admins act at once. An account or contract row
/// changed by someone else meanwhile (Identity's concurrency stamp, the contract's version) reruns
/// the unit the same way. The acting admin is checked inside the same transaction: an admin who
/// was deactivated, locked or lost the Admin role a moment ago (their open page has not noticed
/// yet) changes nothing.
/// </summary>
internal static class UserUnitOfWork
{
    /// <summary>The refusal when the acting admin may no longer administer accounts.</summary>
    public static readonly OperationError NotAnActiveAdmin =
        new(ErrorKind.Forbidden, "Your account may no longer administer accounts (it was locked, deactivated or is no longer an admin); nothing was changed.");

    /// <summary>The refusal when every attempt found accounts changed meanwhile (nothing was saved).</summary>
    public static readonly OperationError Busy =
        new(ErrorKind.Conflict, "Accounts were changed by others at the same moment and nothing was saved; try again.");

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="admin"/> (refused with
    /// <see cref="NotAnActiveAdmin"/> unless they are an active admin now; null: LiveContract
    /// itself, such as the first-run setup) until it is not beaten
    /// to a sequence number, at most <see cref="AuditWrites.MaxAttempts"/> times, then answers
    /// <see cref="Busy"/>; commits when <paramref name="succeeded"/> says the result is a success,
    /// rolls back otherwise. <paramref name="refuse"/> turns a refusal into the caller's result.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        IServiceScopeFactory scopes,
        Actor? admin,
        Func<LiveContractDbContext, UserManager<ApplicationUser>, Task<T>> work,
        Func<T, bool> succeeded,
        Func<OperationError, T> refuse,
        TimeProvider time,
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
                    var head = await HeadAsync(db, cancellationToken);
                    var now = time.GetUtcNow();
                    if (admin is not null && !await UserAdministration.InRole(db, UserAdministration.ActiveUsers(db, now), Roles.Admin).AnyAsync(u => u.Id == admin.UserId, cancellationToken))
                    {
                        return refuse(NotAnActiveAdmin);
                    }

                    var result = await work(db, users);
                    if (succeeded(result))
                    {
                        var first = db.AuditEvents.Local
                            .Where(e => e.Stream == AuditStreams.System && db.Entry(e).State == EntityState.Added)
                            .Min(e => (long?)e.Sequence);
                        if (first is { } sequence && sequence != head + 1)
                        {
                            throw new ChangedMeanwhileException();
                        }

                        await db.SaveChangesAsync(cancellationToken);
                        await transaction.CommitAsync(cancellationToken);
                    }
                    else if (await HeadAsync(db, cancellationToken) != head)
                    {
                        // Refused on data another admin changed meanwhile (their change committed while this
                        // unit was reading): decide again on fresh data, where the refusal may be another one.
                        throw new ChangedMeanwhileException();
                    }

                    return result;
                }
                catch (Exception e) when (e is ChangedMeanwhileException or DbUpdateConcurrencyException || (e is DbUpdateException update && AuditWrites.IsSequenceTaken(update)))
                {
                    if (attempt == AuditWrites.MaxAttempts)
                    {
                        return refuse(Busy);
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 8 * attempt)), cancellationToken);
        }
    }

    private static async Task<long> HeadAsync(LiveContractDbContext db, CancellationToken cancellationToken) =>
        await db.AuditEvents.Where(e => e.Stream == AuditStreams.System).MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;

    /// <summary>
    /// <paramref name="result"/> as it is, unless Identity lost a race on the account's concurrency
    /// stamp: then the unit runs again on the account as the other writer left it.
    /// </summary>
    public static IdentityResult RetryOnConflict(IdentityResult result) =>
        result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)) ? throw new ChangedMeanwhileException() : result;

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

/// <summary>Someone else changed what the unit of work decided on; it runs again.</summary>
internal sealed class ChangedMeanwhileException : Exception
{
    public ChangedMeanwhileException()
        : base("Accounts were changed at the same moment.")
    {
    }
}
