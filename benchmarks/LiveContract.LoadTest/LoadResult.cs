namespace LiveContract.LoadTest;

/// <summary>Percentiles of the advisor→customer propagation latency (nearest rank), in milliseconds.</summary>
public sealed record LatencySummary(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    /// <summary>From latencies in microseconds, sorted ascending.</summary>
    public static LatencySummary From(int[] sortedMicroseconds)
    {
        if (sortedMicroseconds.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double Rank(double percentile) => sortedMicroseconds[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sortedMicroseconds.Length) - 1)] / 1000.0;
        return new LatencySummary(
            sortedMicroseconds.Length,
            sortedMicroseconds.Average(v => (double)v) / 1000,
            Rank(50),
            Rank(95),
            Rank(99),
            sortedMicroseconds[^1] / 1000.0);
    }
}

/// <summary>What one target (the app or the relay) did under the pattern.</summary>
public sealed record LoadResult(
    string Target,
    int Sessions,
    int SessionsJoined,
    double Rate,
    TimeSpan Duration,
    TimeSpan ConnectTime,
    LatencySummary Latency,
    long Sent,
    long Delivered,
    double DeliveredPerSecond,
    long Missing,
    long Unmatched,
    long Echoes,
    long ScheduleSlips,
    long Errors,
    IReadOnlyList<string> ErrorSamples,
    double ServerCpuPercentOfOneCore,
    long ServerIdleBytes,
    long ServerConnectedBytes,
    long ServerEndBytes,
    double ClientCpuPercentOfOneCore,
    double MachineBusyPercent,
    int ServerIdleThreads,
    int ServerPeakThreads)
{
    public int Connections => SessionsJoined * 2;

    /// <summary>Lines the server logged as a warning or worse during the measured window.</summary>
    public long ServerWarnings { get; init; }

    /// <summary>The customers' typing, when the run typed into fields.</summary>
    public FieldTypingResult? Typing { get; init; }

    /// <summary>The durable saves of field values the typing caused, when counted.</summary>
    public FieldSaveResult? Saves { get; init; }

    /// <summary>Resident memory the server grew by per connected client, from before connecting to all joined.</summary>
    public double BytesPerConnection => Connections == 0 ? double.NaN : (ServerConnectedBytes - ServerIdleBytes) / (double)Connections;

    /// <summary>The same at the end of the measured window (with the buffers traffic leaves behind).</summary>
    public double BytesPerConnectionUnderLoad => Connections == 0 ? double.NaN : (ServerEndBytes - ServerIdleBytes) / (double)Connections;

    /// <summary>No failed connection, call, or event lost (page changes and typed values).</summary>
    public bool Clean => SessionsJoined == Sessions && Errors == 0 && Missing == 0 && Unmatched == 0
        && (Typing is null || (Typing.Missing == 0 && Typing.Unmatched == 0));
}

/// <summary>
/// The customers' typing into fields: value batches per second per session, the
/// customer→advisor propagation of <c>fieldValue</c>, and what got lost or late.
/// </summary>
public sealed record FieldTypingResult(
    double Rate,
    int TypingSessions,
    LatencySummary Latency,
    long Sent,
    long Delivered,
    double DeliveredPerSecond,
    long Missing,
    long Unmatched,
    long Echoes,
    long ScheduleSlips,
    long Commits);
