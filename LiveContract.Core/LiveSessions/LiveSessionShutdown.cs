using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Stops the coordinator while the host stops, before its services are disposed, so the positions
/// and field values not yet saved reach their stores while the database can still be used. When
/// the host's shutdown timeout comes first (a store that does not answer, a connection whose
/// delivery hangs), the stop is logged as a warning and the host goes on stopping.
/// </summary>
internal sealed class LiveSessionShutdown(ILiveSessionCoordinator coordinator, ILogger<LiveSessionShutdown> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (coordinator is not IAsyncDisposable disposable)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "The live sessions had not finished stopping when the host's shutdown timeout was reached: a save or a delivery to a connection was still running. Changes of the last moments before the stop may not have been saved.");
        }
    }
}
