using System.Globalization;

namespace LiveContract.LoadTest;

/// <summary>A point-in-time reading of a Linux process from <c>/proc</c>: CPU time used so far, resident memory and threads.</summary>
public readonly record struct ProcessSample(long Timestamp, double CpuSeconds, long ResidentBytes, int Threads)
{
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>Reads <c>/proc/{pid}/stat</c> (utime + stime) and <c>/proc/{pid}/status</c> (VmRSS).</summary>
    public static ProcessSample Read(int pid)
    {
        var timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessSample(timestamp, ticks / TicksPerSecond, rss, threads);
    }

    /// <summary>CPU used between two samples, in percent of one core.</summary>
    public static double CpuPercentOfOneCore(ProcessSample from, ProcessSample to)
    {
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
        return elapsed > 0 ? (to.CpuSeconds - from.CpuSeconds) / elapsed * 100 : 0;
    }

    private static double ClockTicks()
    {
        // USER_HZ is 100 on every mainstream Linux build; getconf confirms it where available.
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = getconf!.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}

/// <summary>The whole machine's CPU time from <c>/proc/stat</c>: busy and total, in clock ticks over all cores.</summary>
public readonly record struct MachineCpuSample(long Busy, long Total)
{
    public static MachineCpuSample Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();

        // user nice system idle iowait irq softirq steal (guest time is already in user).
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return new MachineCpuSample(total - idle, total);
    }

    /// <summary>How busy all cores were between two samples, in percent of all cores.</summary>
    public static double BusyPercent(MachineCpuSample from, MachineCpuSample to) =>
        to.Total > from.Total ? (to.Busy - from.Busy) * 100.0 / (to.Total - from.Total) : 0;
}
