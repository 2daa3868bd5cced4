using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Core.Health;

/// <summary>
/// Healthy when the live-session backend works as configured (always, in memory); Degraded while
/// the Redis backend cannot reach Redis (sessions go on on each server alone). The description is
/// the backend's sentence, which never holds a connection string.
/// </summary>
public sealed class LiveSessionsHealthCheck(ILiveSessionCluster cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await cluster.GetReportAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["backend"] = report.Backend, ["servers"] = report.Instances.Count };
        return report.State == LiveSessionBackendState.Connected
            ? HealthCheckResult.Healthy(report.Detail, data)
            : HealthCheckResult.Degraded(report.Detail, data: data);
    }
}
