using System.Data.Common;
using LiveContract.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LiveContract.Core.Data;

/// <summary>
/// Logs failed database commands and saves at Error, except the failures that are expected: two
/// writers taking the same audit sequence number at once (<see cref="AuditWrites.IsSequenceTaken(Exception?)"/>),
/// which <see cref="AuditWrites"/> answers by running the work again, and PostgreSQL's migrator
/// finding no history table in a new database; those are Debug lines without a stack trace. EF Core's own Error logs of the same failures (<see cref="RelationalEventId.CommandError"/>,
/// <see cref="CoreEventId.SaveChangesFailed"/>) are lowered to Debug by <see cref="Use"/>, so every
/// failure is logged once, here, at the level it deserves.
/// </summary>
public sealed partial class DatabaseFailureLogging(ILogger<DatabaseFailureLogging> logger) : IDbCommandInterceptor, ISaveChangesInterceptor
{
    /// <summary>Adds this interceptor to <paramref name="options"/> and lowers EF Core's own failure logs to Debug.</summary>
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder options, DatabaseFailureLogging logging)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .AddInterceptors(logging)
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (AuditWrites.IsSequenceTaken(eventData.Exception))
        {
            SequenceTaken(logger, eventData.Exception.Message);
        }
        else if (IsFirstMigrationCheck(command, eventData))
        {
            NoHistoryYet(logger);
        }
        else
        {
            CommandError(logger, eventData.Exception, (long)eventData.Duration.TotalMilliseconds, command.CommandText);
        }
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!AuditWrites.IsSequenceTaken(eventData.Exception.InnerException))
        {
            SaveError(logger, eventData.Exception, eventData.Context?.GetType().Name ?? "(unknown)");
        }
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    /// <summary>PostgreSQL's migrator reads its history table before it knows whether it exists: on a new database it does not, and it is made next.</summary>
    private static bool IsFirstMigrationCheck(DbCommand command, CommandErrorEventData eventData) =>
        eventData.CommandSource == CommandSource.Migrations
        && eventData.Exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable }
        && command.CommandText.Contains("__EFMigrationsHistory", StringComparison.Ordinal);

    [LoggerMessage(4, LogLevel.Debug, "The database has no migrations history yet; it is created with the schema")]
    private static partial void NoHistoryYet(ILogger logger);

    [LoggerMessage(1, LogLevel.Debug, "Another writer took the audit sequence number first; the work runs again ({Reason})")]
    private static partial void SequenceTaken(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "A database command failed after {Elapsed} ms: {CommandText}")]
    private static partial void CommandError(ILogger logger, Exception exception, long elapsed, string commandText);

    [LoggerMessage(3, LogLevel.Error, "Saving changes of {Context} failed")]
    private static partial void SaveError(ILogger logger, Exception exception, string context);
}
