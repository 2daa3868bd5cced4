namespace LiveContract.Web.Features.Signing;

/// <summary>
/// Asks again, once a contract is signed, until its signed PDF is ready: first after
/// <see cref="FirstInterval"/>, then twice as long each time up to <see cref="LongestInterval"/>,
/// so a contract that cannot be sealed is not asked about every few seconds forever.
/// Used by the contract page's signatures panel, which is in no live session (the live view hears
/// of the sealed PDF from its session's <c>contractSealed</c> event instead); one watch runs at a time.
/// </summary>
internal sealed class SealingWatch(TimeProvider time)
{
    /// <summary>The pause before the first re-check.</summary>
    internal static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between two re-checks.</summary>
    internal static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(30);

    private bool running;

    /// <summary>The pause after <paramref name="interval"/>: twice as long, at most <see cref="LongestInterval"/>.</summary>
    internal static TimeSpan After(TimeSpan interval) => interval * 2 < LongestInterval ? interval * 2 : LongestInterval;

    /// <summary>
    /// Starts re-checking, unless a watch already runs: <paramref name="recheck"/> after each pause while
    /// <paramref name="waiting"/> holds, until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public void Start(Func<bool> waiting, Func<Task> recheck, CancellationToken cancellationToken)
    {
        if (running)
        {
            return;
        }

        running = true;
        _ = WatchAsync(waiting, recheck, cancellationToken);
    }

    private async Task WatchAsync(Func<bool> waiting, Func<Task> recheck, CancellationToken cancellationToken)
    {
        try
        {
            for (var interval = FirstInterval; waiting(); interval = After(interval))
            {
                await Task.Delay(interval, time, cancellationToken);
                if (!waiting())
                {
                    break;
                }

                await recheck();
            }
        }
        catch (OperationCanceledException)
        {
            // The panel is gone.
        }
        finally
        {
            running = false;
        }
    }
}
