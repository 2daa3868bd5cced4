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

    /// <summary>
    /// Takes <paramref name="cost"/> tokens (at most the bucket's size), or none and returns false
    /// when fewer are left. A cost of n lets this bucket allow a 1/n share of its rate: how a
    /// server takes its share of a participant connected to n servers.
    /// </summary>
    public bool TryTake(int cost = 1)
    {
        var needed = Math.Min(Math.Max(cost, 1), perSecond);
        var now = time.GetTimestamp();
        tokens = Math.Min(perSecond, tokens + (time.GetElapsedTime(refilledAt, now).TotalSeconds * perSecond));
        refilledAt = now;
        if (tokens < needed)
        {
            return false;
        }

        tokens -= needed;
        return true;
    }
}

/// <summary>
/// One participant's budgets in one session, shared by all of their connections and kept for the
/// session's life, so that opening more connections, or reconnecting, never buys a fresh budget.
/// Guarded by the session's lock.
/// </summary>
internal sealed class ParticipantLimits(LiveSessionOptions options, TimeProvider time)
{
    public TokenBucket PointerMoves { get; } = new(options.PointerMovesPerSecond, time);

    public TokenBucket PageChanges { get; } = new(options.PageChangesPerSecond, time);

    /// <summary>Field values, focus moves, guides and commits.</summary>
    public TokenBucket FieldChanges { get; } = new(options.FieldChangesPerSecond, time);
}
