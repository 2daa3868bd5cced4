using LiveContract.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Core.Health;

/// <summary>Healthy when the database answers.</summary>
public sealed class DatabaseHealthCheck(LiveContractDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var provider = db is PostgresLiveContractDbContext ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var data = new Dictionary<string, object> { ["provider"] = provider.ToString() };
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.", data)
                : HealthCheckResult.Unhealthy("The database cannot be reached.", data: data);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", data: data);
        }
    }
}
