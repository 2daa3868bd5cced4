namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Allows a number of actions per second on average and as many at once, measured on the
/// monotonic clock of <see cref="TimeProvider"/>. Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double perSecond;
    private readonly TimeProvider time;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double perSecond, TimeProvider time)
    {
        this.perSecond = perSecond;
        this.time = time;
        tokens = perSecond;
        refilledAt = time.GetTimestamp();
    }

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        tokens = Math.Min(perSecond, tokens + (time.GetElapsedTime(refilledAt, now).TotalSeconds * perSecond));
        refilledAt = now;
        if (tokens < 1)
        {
            return false;
        }

        tokens -= 1;
        return true;
    }
}
