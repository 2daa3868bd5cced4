using System.Collections.Concurrent;

namespace LiveContract.Core.IdentityChecks;

/// <summary>
/// Counts what one client address does per hour (codes asked for, codes tried) over every link,
/// in fixed windows on <see cref="TimeProvider"/>. In memory, per server: with several servers an
/// address gets the allowance on each, which still bounds it.
/// </summary>
public sealed class AddressLimits(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<(string Kind, string Address), Counter> counters = new();

    /// <summary>Counts one more <paramref name="kind"/> for <paramref name="address"/>; false (and not counted) when it already had <paramref name="limit"/> in this window.</summary>
    public bool TryTake(string kind, string? address, int limit)
    {
        var now = time.GetUtcNow();
        if (counters.Count > 10_000)
        {
            foreach (var stale in counters.Where(c => now - c.Value.Since >= Window).Select(c => c.Key).ToList())
            {
                counters.TryRemove(stale, out _);
            }
        }

        var counter = counters.GetOrAdd((kind, address ?? "unknown"), _ => new Counter(now));
        lock (counter)
        {
            if (now - counter.Since >= Window)
            {
                counter.Since = now;
                counter.Count = 0;
            }

            if (counter.Count >= limit)
            {
                return false;
            }

            counter.Count++;
            return true;
        }
    }

    private sealed class Counter(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; set; } = since;

        public int Count { get; set; }
    }
}
