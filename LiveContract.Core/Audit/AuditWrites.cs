using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveContract.Core.Audit;

/// <summary>
/// Runs a unit of work that appends to the audit trail, and runs it again from the start when
/// another writer took the stream's next sequence number first: the unique index on
/// (Stream, Sequence) made this attempt's SaveChanges fail, so nothing of it was written. Each
/// attempt gets a fresh context (and, when the work opens one, a fresh transaction), so it reads
/// again what it decides on and chains its events after the one that won.
/// </summary>
public static class AuditWrites
{
    /// <summary>Attempts before giving up; only a stream written by many at the same instant needs more than two.</summary>
    public const int MaxAttempts = 16;

    private const string SequenceIndex = "IX_AuditEvents_Stream_Sequence";

    /// <summary>The refusal when every attempt lost the race (nothing was saved).</summary>
    public static readonly OperationError Busy =
        new(ErrorKind.Conflict, "Others changed this contract at the same moment and nothing was saved; try again.");

    /// <summary>
    /// Runs <paramref name="work"/> until it is not beaten to a sequence number, at most
    /// <see cref="MaxAttempts"/> times; then answers <see cref="Busy"/>. Refusals of the work are returned as they are.
    /// </summary>
    public static async Task<Outcome<T>> RunAsync<T>(
        IDbContextFactory<LiveContractDbContext> databases,
        Func<LiveContractDbContext, Task<Outcome<T>>> work,
        CancellationToken cancellationToken = default,
        bool alsoOnVersionConflict = false)
    {
        try
        {
            return await RunOrThrowAsync(databases, work, cancellationToken, alsoOnVersionConflict);
        }
        catch (DbUpdateException e) when (IsSequenceTaken(e))
        {
            return Busy;
        }
    }

    /// <summary>
    /// Like <see cref="RunAsync{T}"/>, for work that has no refusal to give: the last attempt's
    /// exception propagates. With <paramref name="alsoOnVersionConflict"/> the work also runs again
    /// when a row it changed was changed by someone else meanwhile (a concurrency token): only for
    /// work that decides afresh on what it reads and overwrites nothing another writer chose, such
    /// as adding a document to a contract.
    /// </summary>
    public static async Task<T> RunOrThrowAsync<T>(
        IDbContextFactory<LiveContractDbContext> databases,
        Func<LiveContractDbContext, Task<T>> work,
        CancellationToken cancellationToken = default,
        bool alsoOnVersionConflict = false)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            {
                try
                {
                    return await work(db);
                }
                catch (DbUpdateException e) when (attempt < MaxAttempts && (IsSequenceTaken(e) || (alsoOnVersionConflict && e is DbUpdateConcurrencyException)))
                {
                }
            }

            // A short random pause, so writers that collided do not collide again in step.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 8 * attempt)), cancellationToken);
        }
    }

    /// <summary>Whether the save failed because another writer had just taken the stream's next sequence number.</summary>
    public static bool IsSequenceTaken(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IsSequenceTaken(exception.InnerException);
    }

    /// <summary>Whether <paramref name="providerException"/> (SQLite's or PostgreSQL's own) is the unique index on (Stream, Sequence) refusing a second writer.</summary>
    public static bool IsSequenceTaken(Exception? providerException) =>
        providerException switch
        {
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation && postgres.ConstraintName == SequenceIndex,

            // SQLITE_CONSTRAINT_UNIQUE, naming the columns of the index.
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067
                && sqlite.Message.Contains("AuditEvents.Stream, AuditEvents.Sequence", StringComparison.Ordinal),
            _ => false,
        };
}
