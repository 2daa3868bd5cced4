using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Core.Documents.Storage;

/// <summary>Healthy when the document store answers within a few seconds; reports the provider, nothing secret.</summary>
public sealed class DocumentStoreHealthCheck(IDocumentStore store, TimeProvider time) : IHealthCheck
{
    /// <summary>How long the store may take to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = store.Provider.ToString() };
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await store.IsReachableAsync(linked.Token)
                ? HealthCheckResult.Healthy("The document store is reachable.", data)
                : HealthCheckResult.Unhealthy("The document store cannot be reached.", data: data);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The document store did not answer in time.", data: data);
        }
    }
}
