using LiveContract.Core.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Core.Health;

/// <summary>Healthy when the data directory exists and a file can be written to it.</summary>
public sealed class DataDirectoryHealthCheck(DataDirectory dataDirectory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(dataDirectory.Path, $".health-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy("The data directory is writable.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The data directory is missing or not writable.");
        }
    }
}
