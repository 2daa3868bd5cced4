using System.Reflection;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Email;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Administration;

/// <summary>
/// Builds the administration's <see cref="SystemOverview"/> from the settings in force, the
/// database (migrations and counts, all SQL aggregates), this server's live-session coordinator,
/// the live-session backend's report of every server sharing it, and the registered health checks (the same ones <c>/health</c> runs). It reads settings field by
/// field and never copies a connection string, password or key into its answer.
/// </summary>
public sealed class SystemOverviewService(
    IDbContextFactory<LiveContractDbContext> databases,
    DatabaseConnection database,
    IOptions<StorageOptions> storage,
    IOptions<EmailOptions> email,
    DataDirectory dataDirectory,
    ILiveSessionCoordinator coordinator,
    ILiveSessionCluster cluster,
    HealthCheckService health,
    TimeProvider time,
    ILogger<SystemOverviewService> logger)
{
    /// <summary>The name of the document store's health check (see <see cref="DocumentStorageServiceCollectionExtensions"/>).</summary>
    private const string DocumentStoreCheck = "documentStore";

    /// <summary>The version this build carries: the assembly's informational version (with the commit, when the build knows it).</summary>
    public static string Version { get; } =
        typeof(SystemOverviewService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SystemOverviewService).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public async Task<SystemOverview> GetAsync(CancellationToken cancellationToken = default)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var entries = report.Entries
            .Select(e => new HealthEntry(e.Key, e.Value.Status, e.Value.Description))
            .ToList();
        var storeReachable = report.Entries.TryGetValue(DocumentStoreCheck, out var store) && store.Status == HealthStatus.Healthy;

        DatabaseOverview databaseOverview;
        SystemCounts? counts;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            databaseOverview = await DatabaseAsync(db, cancellationToken);
            counts = await CountAsync(db, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The system overview could not read the database");
            databaseOverview = new DatabaseOverview(database.Provider, SafeLocations.Database(database), null, null, null);
            counts = null;
        }

        return new SystemOverview(
            Version,
            databaseOverview,
            DocumentStore(storeReachable),
            Email(),
            await coordinator.GetServerLoadAsync(cancellationToken),
            counts,
            entries,
            time.GetUtcNow(),
            await cluster.GetReportAsync(cancellationToken));
    }

    private async Task<DatabaseOverview> DatabaseAsync(LiveContractDbContext db, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return new DatabaseOverview(database.Provider, SafeLocations.Database(database), applied.Count, applied.LastOrDefault(), pending);
    }

    private static async Task<SystemCounts> CountAsync(LiveContractDbContext db, CancellationToken cancellationToken)
    {
        var byStatus = await db.Contracts
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new SystemCounts(
            Enum.GetValues<ContractStatus>().Select(s => new ContractStatusCount(s, byStatus.GetValueOrDefault(s))).ToList(),
            await db.Documents.CountAsync(cancellationToken),
            await db.Documents.SumAsync(d => (long?)d.Size, cancellationToken) ?? 0,
            await db.Users.CountAsync(cancellationToken),
            await db.LiveSessions.CountAsync(s => s.Status == LiveSessionStatus.Active, cancellationToken));
    }

    private DocumentStoreOverview DocumentStore(bool reachable)
    {
        var options = storage.Value;
        if (options.ResolveProvider() == StorageProvider.S3)
        {
            var endpoint = string.IsNullOrWhiteSpace(options.S3.ServiceUrl)
                ? $"AWS region {options.S3.Region}"
                : SafeLocations.Endpoint(options.S3.ServiceUrl);
            return new DocumentStoreOverview(StorageProvider.S3, $"bucket {options.S3.Bucket} at {endpoint}", reachable);
        }

        return new DocumentStoreOverview(StorageProvider.FileSystem, options.ResolveDirectory(dataDirectory), reachable);
    }

    private EmailOverview Email()
    {
        var options = email.Value;
        return options.Mode == EmailMode.Smtp
            ? new EmailOverview(
                EmailMode.Smtp,
                options.From,
                $"{options.Smtp.Host}:{options.Smtp.Port}",
                options.Smtp.Security,
                !string.IsNullOrEmpty(options.Smtp.UserName),
                null)
            : new EmailOverview(EmailMode.Pickup, options.From, null, null, null, dataDirectory.Resolve(options.PickupDirectory));
    }
}
