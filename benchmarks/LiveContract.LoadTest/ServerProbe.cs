namespace LiveContract.LoadTest;

/// <summary>What a load run samples of the server side while it measures: CPU, memory and threads, and warnings logged.</summary>
public interface IServerProbe
{
    ProcessSample Sample();

    /// <summary>Lines logged so far at warning level or worse, or 0 when the output is not read.</summary>
    long WarningLines { get; }
}

/// <summary>Several server processes read as one (the instances of a cluster): CPU, memory and threads summed.</summary>
public sealed class ProcessGroupProbe(IReadOnlyList<int> processIds) : IServerProbe
{
    public long WarningLines => 0;

    public ProcessSample Sample()
    {
        var samples = processIds.Select(ProcessSample.Read).ToArray();
        return new ProcessSample(samples[0].Timestamp, samples.Sum(s => s.CpuSeconds), samples.Sum(s => s.ResidentBytes), samples.Sum(s => s.Threads));
    }
}
