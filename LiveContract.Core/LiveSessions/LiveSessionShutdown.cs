using Microsoft.Extensions.Hosting;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Stops the coordinator while the host stops, before its services are disposed, so the positions
/// not yet saved reach the <see cref="ILiveSessionStateStore"/> while the database can still be used.
/// </summary>
internal sealed class LiveSessionShutdown(ILiveSessionCoordinator coordinator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (coordinator is IAsyncDisposable disposable)
        {
            // A delivery loop stuck in a callback must not hold the host past its shutdown timeout.
            await disposable.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        }
    }
}
