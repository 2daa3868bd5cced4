using System.Globalization;
using System.Text;

namespace LiveContract.LoadTest;

/// <summary>The Markdown report of a hub load test: the app against the relay, side by side, and the issue's targets.</summary>
public static class Report
{
    /// <summary>The issue's targets: p99 within this many times the relay's p99 …</summary>
    public const double MaxRatio = 2;

    /// <summary>… and under this many milliseconds.</summary>
    public const double MaxP99Milliseconds = 100;

    public static string Hub(MachineInfo machine, LoadTestOptions options, LoadResult? app, LoadResult? relay)
    {
        var results = new[] { app, relay }.OfType<LoadResult>().ToArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Hub load test, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}.");
        if (options.AppSettings.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"App settings changed for this run (an experiment, not the defaults): {string.Join(", ", options.AppSettings.Select(s => $"`{s.Key}={s.Value}`"))}.");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Pattern: {options.Sessions} sessions ({options.Sessions * 2} connections), {F(options.Rate)} page change/s per session, {F(options.Warmup.TotalSeconds)} s warm-up, {F(options.Duration.TotalSeconds)} s measured.");
        md.AppendLine();
        md.Append("| | ").AppendJoin(" | ", results.Select(r => r.Target));
        md.AppendLine(app is not null && relay is not null ? " | app / relay |" : " |");
        md.Append("|---|").AppendJoin("", results.Select(_ => "---:|"));
        md.AppendLine(app is not null && relay is not null ? "---:|" : "");

        Row(md, "Sessions joined (connections)", results, r => $"{r.SessionsJoined} / {r.Sessions} ({r.Connections})");
        Row(md, "Connect + join time", results, r => $"{r.ConnectTime.TotalSeconds:F1} s");
        Row(md, "Page changes sent (measured)", results, r => r.Sent.ToString(CultureInfo.InvariantCulture));
        Row(md, "Delivered to the customer", results, r => r.Delivered.ToString(CultureInfo.InvariantCulture));
        Row(md, "Delivered per second", results, r => F(r.DeliveredPerSecond));
        Row(md, "Latency p50", results, r => Ms(r.Latency.P50), Ratio(app, relay, r => r.Latency.P50));
        Row(md, "Latency p95", results, r => Ms(r.Latency.P95), Ratio(app, relay, r => r.Latency.P95));
        Row(md, "**Latency p99**", results, r => $"**{Ms(r.Latency.P99)}**", $"**{Ratio(app, relay, r => r.Latency.P99)}**");
        Row(md, "Latency max", results, r => Ms(r.Latency.Max));
        Row(md, "Latency mean", results, r => Ms(r.Latency.Mean));
        Row(md, "Missing events", results, r => r.Missing.ToString(CultureInfo.InvariantCulture));
        Row(md, "Unmatched events", results, r => r.Unmatched.ToString(CultureInfo.InvariantCulture));
        Row(md, "Errors", results, r => r.Errors.ToString(CultureInfo.InvariantCulture));
        Row(md, "Echoes to the sender", results, r => r.Echoes.ToString(CultureInfo.InvariantCulture));
        Row(md, "Late sends (client > 100 ms behind)", results, r => r.ScheduleSlips.ToString(CultureInfo.InvariantCulture));
        Row(md, "Server CPU, % of one core", results, r => $"{r.ServerCpuPercentOfOneCore:F1} %", Ratio(app, relay, r => r.ServerCpuPercentOfOneCore));
        Row(md, $"Server CPU, % of all {machine.Cores} cores", results, r => $"{r.ServerCpuPercentOfOneCore / machine.Cores:F1} %");
        Row(md, "Server threads, before connecting → peak while measuring", results, r => $"{r.ServerIdleThreads} → {r.ServerPeakThreads}");
        Row(md, "Server RSS before connecting", results, r => MiB(r.ServerIdleBytes));
        Row(md, "Server RSS, all connected", results, r => MiB(r.ServerConnectedBytes));
        Row(md, "Server RSS, end of run", results, r => MiB(r.ServerEndBytes));
        Row(md, "RSS per connection (connected)", results, r => KiB(r.BytesPerConnection), Ratio(app, relay, r => r.BytesPerConnection));
        Row(md, "RSS per connection (end of run)", results, r => KiB(r.BytesPerConnectionUnderLoad));
        Row(md, "Load client CPU, % of one core", results, r => $"{r.ClientCpuPercentOfOneCore:F1} %");
        Row(md, $"Machine busy, % of all {machine.Cores} cores", results, r => $"{r.MachineBusyPercent:F1} %");
        Row(md, "… of which other processes, % of one core", results, r => $"{Math.Max(0, r.MachineBusyPercent * machine.Cores - r.ServerCpuPercentOfOneCore - r.ClientCpuPercentOfOneCore):F1} %");
        md.AppendLine();

        foreach (var r in results.Where(r => r.ErrorSamples.Count > 0))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{r.Target} errors (first kinds):");
            foreach (var sample in r.ErrorSamples)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{sample}`");
            }

            md.AppendLine();
        }

        if (app is not null)
        {
            md.AppendLine("Targets (issue #4):");
            md.AppendLine(CultureInfo.InvariantCulture, $"- p99 under {MaxP99Milliseconds:F0} ms: {Verdict(app.Latency.P99 < MaxP99Milliseconds)} ({Ms(app.Latency.P99)})");
            if (relay is not null)
            {
                var ratio = app.Latency.P99 / relay.Latency.P99;
                md.AppendLine(CultureInfo.InvariantCulture, $"- p99 within {MaxRatio:F0}× the relay's p99: {Verdict(ratio <= MaxRatio)} ({ratio:F2}×)");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"- every session joined, no errors, no event lost: {Verdict(app.Clean)}");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, IEnumerable<LoadResult> results, Func<LoadResult, string> value, string? ratio = null)
    {
        var paired = results.Count() == 2;
        md.Append("| ").Append(name).Append(" | ").AppendJoin(" | ", results.Select(value));
        md.AppendLine(paired ? $" | {ratio} |" : " |");
    }

    private static string Ratio(LoadResult? app, LoadResult? relay, Func<LoadResult, double> value) =>
        app is null || relay is null || value(relay) == 0 ? "" : $"{value(app) / value(relay):F2}×";

    private static string Verdict(bool met) => met ? "met" : "**not met**";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsNaN(value) ? "n/a" : $"{value:F2} ms";

    private static string MiB(long bytes) => $"{bytes / 1024.0 / 1024:F0} MiB";

    private static string KiB(double bytes) => double.IsNaN(bytes) ? "n/a" : $"{bytes / 1024:F1} KiB";
}
