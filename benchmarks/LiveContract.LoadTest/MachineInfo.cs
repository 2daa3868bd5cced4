using System.Runtime.InteropServices;

namespace LiveContract.LoadTest;

/// <summary>The machine a result was measured on, as the report names it.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string OperatingSystem, string Kernel, string Runtime, long OpenFilesLimit)
{
    public static MachineInfo Current()
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memTotal = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var memory = memTotal is null ? "unknown" : $"{long.Parse(memTotal.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024:F1} GiB";
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "unknown";
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, kernel, RuntimeInformation.FrameworkDescription, ReadOpenFilesLimit());
    }

    /// <summary>This process's limit of open files (the .NET runtime raises the soft limit to the hard one at start).</summary>
    public static long ReadOpenFilesLimit()
    {
        var line = ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft is null ? -1 : soft == "unlimited" ? long.MaxValue : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Describe() => $"{Cores} × {Cpu}, {Memory} RAM, {OperatingSystem} (Linux {Kernel}), {Runtime}, open files limit {OpenFilesLimit}";

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
