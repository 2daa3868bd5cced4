using System.Globalization;
using System.Text;

namespace LiveContract.LoadTest;

/// <summary>The Markdown reports of the hub load tests: the app against the relay, side by side, and the issue's targets; page changes beside typed field values.</summary>
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

        ErrorSamples(md, results);

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

    /// <summary>
    /// The cross-instance load test: page changes from an advisor on one instance to a customer on
    /// the other (through Redis), beside the single instance and the raw relay under the same pattern.
    /// </summary>
    public static string Cluster(MachineInfo machine, LoadTestOptions options, LoadResult cluster, LoadResult? single, LoadResult? relay)
    {
        var results = new[] { cluster, single, relay }.OfType<LoadResult>().ToArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Cross-instance load test, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}. Everything ran on it: PostgreSQL, Redis, s3rver, HAProxy (TLS), both instances, the load client.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Pattern: {options.Sessions} sessions ({options.Sessions * 2} connections), {F(options.Rate)} page change/s per session, {F(options.Warmup.TotalSeconds)} s warm-up, {F(options.Duration.TotalSeconds)} s measured.");
        md.AppendLine();
        md.Append("| | ").AppendJoin(" | ", results.Select(r => r.Target)).AppendLine(" |");
        md.Append("|---|").AppendJoin("", results.Select(_ => "---:|")).AppendLine();
        Row(md, "Sessions joined (connections)", results, r => $"{r.SessionsJoined} / {r.Sessions} ({r.Connections})");
        Row(md, "Page changes sent (measured)", results, r => N(r.Sent));
        Row(md, "Delivered to the customer", results, r => N(r.Delivered));
        Row(md, "**Latency p50**", results, r => $"**{Ms(r.Latency.P50)}**");
        Row(md, "Latency p95", results, r => Ms(r.Latency.P95));
        Row(md, "**Latency p99**", results, r => $"**{Ms(r.Latency.P99)}**");
        Row(md, "Latency max", results, r => Ms(r.Latency.Max));
        Row(md, "Missing events", results, r => N(r.Missing));
        Row(md, "Errors", results, r => N(r.Errors));
        Row(md, "Server CPU (all instances), % of one core", results, r => $"{r.ServerCpuPercentOfOneCore:F1} %");
        Row(md, "Server RSS (all instances), all connected", results, r => MiB(r.ServerConnectedBytes));
        Row(md, $"Machine busy, % of all {machine.Cores} cores", results, r => $"{r.MachineBusyPercent:F1} %");
        md.AppendLine();
        ErrorSamples(md, results);

        md.AppendLine(CultureInfo.InvariantCulture, $"Every session joined on both instances, no errors, no event lost: {Verdict(cluster.Clean)}.");
        return md.ToString();
    }

    /// <summary>
    /// The fields load test: page changes (advisor → customer) and typed field values
    /// (customer → advisor) side by side, the durable saves the typing caused, and the server.
    /// </summary>
    public static string Fields(MachineInfo machine, LoadTestOptions options, LoadResult app)
    {
        var typing = app.Typing ?? throw new InvalidOperationException("The run typed nothing, so there is no fields report.");
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Fields load test, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}.");
        if (options.AppSettings.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"App settings changed for this run (an experiment, not the defaults): {string.Join(", ", options.AppSettings.Select(s => $"`{s.Key}={s.Value}`"))}.");
        }

        md.AppendLine(CultureInfo.InvariantCulture,
            $"Pattern: {options.Sessions} sessions ({options.Sessions * 2} connections); each advisor changes pages {F(options.Rate)} time(s)/s; " +
            $"each customer types into {options.FieldsPerSession} text field(s) one after the other at {F(typing.Rate)} value batches/s (1–2 characters more each, a commit as a blur at the end of each line), " +
            $"{F(options.Warmup.TotalSeconds)} s warm-up, {F(options.Duration.TotalSeconds)} s measured.");
        md.AppendLine();
        md.AppendLine("| | Page changes (advisor → customer) | Field values (customer → advisor) |");
        md.AppendLine("|---|---:|---:|");
        Pair(md, "Sessions joined (connections)", $"{app.SessionsJoined} / {app.Sessions} ({app.Connections})", $"{typing.TypingSessions} typing");
        Pair(md, "Connect + join time", $"{app.ConnectTime.TotalSeconds:F1} s", "");
        Pair(md, "Sent (measured)", N(app.Sent), N(typing.Sent));
        Pair(md, "Delivered", N(app.Delivered), N(typing.Delivered));
        Pair(md, "Delivered per second", F(app.DeliveredPerSecond), F(typing.DeliveredPerSecond));
        Pair(md, "Latency p50", Ms(app.Latency.P50), Ms(typing.Latency.P50));
        Pair(md, "Latency p95", Ms(app.Latency.P95), Ms(typing.Latency.P95));
        Pair(md, "**Latency p99**", $"**{Ms(app.Latency.P99)}**", $"**{Ms(typing.Latency.P99)}**");
        Pair(md, "Latency max", Ms(app.Latency.Max), Ms(typing.Latency.Max));
        Pair(md, "Latency mean", Ms(app.Latency.Mean), Ms(typing.Latency.Mean));
        Pair(md, "Missing events", N(app.Missing), N(typing.Missing));
        Pair(md, "Unmatched events", N(app.Unmatched), N(typing.Unmatched));
        Pair(md, "Echoes to the sender", N(app.Echoes), N(typing.Echoes));
        Pair(md, "Late sends (client > 100 ms behind)", N(app.ScheduleSlips), N(typing.ScheduleSlips));
        Pair(md, "Commits (blurs) sent", "", N(typing.Commits));
        md.AppendLine();

        if (app.Saves is { } saves)
        {
            md.AppendLine("Durable saves of field values (counted in the app's database: one `field.value_set` audit event and `FieldValues` row write per saved value):");
            md.AppendLine();
            md.AppendLine("| | |");
            md.AppendLine("|---|---:|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Values saved in {saves.Seconds:F1} s | {N(saves.ValuesSaved)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| **Values saved per second** | **{F(saves.ValuesSavedPerSecond)}** |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Save transactions per second | {F(saves.TransactionsPerSecond)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Fields being typed into | {N(saves.ActiveFields)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Saves per typed field per second | {F(saves.SavesPerActiveFieldPerSecond)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Value batches sent per save | {F(saves.BatchesPerSave)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Save after the value's last change, p50 | {Ms(saves.SaveDelay.P50)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Save after the value's last change, p99 | {Ms(saves.SaveDelay.P99)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Save after the value's last change, max | {Ms(saves.SaveDelay.Max)} |");
            md.AppendLine();
        }

        md.AppendLine("| Server and client | |");
        md.AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Errors | {N(app.Errors)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server warnings logged while measuring | {N(app.ServerWarnings)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server CPU, % of one core | {app.ServerCpuPercentOfOneCore:F1} % |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server CPU, % of all {machine.Cores} cores | {app.ServerCpuPercentOfOneCore / machine.Cores:F1} % |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server threads, before connecting → peak while measuring | {app.ServerIdleThreads} → {app.ServerPeakThreads} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server RSS before connecting | {MiB(app.ServerIdleBytes)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server RSS, all connected | {MiB(app.ServerConnectedBytes)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Server RSS, end of run | {MiB(app.ServerEndBytes)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Load client CPU, % of one core | {app.ClientCpuPercentOfOneCore:F1} % |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Machine busy, % of all {machine.Cores} cores | {app.MachineBusyPercent:F1} % |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| … of which other processes, % of one core | {Math.Max(0, app.MachineBusyPercent * machine.Cores - app.ServerCpuPercentOfOneCore - app.ClientCpuPercentOfOneCore):F1} % |");
        md.AppendLine();

        if (app.ErrorSamples.Count > 0)
        {
            md.AppendLine("Errors (first kinds):");
            foreach (var sample in app.ErrorSamples)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{sample}`");
            }

            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Every session joined, no errors, no page change or value lost: {Verdict(app.Clean)}");
        return md.ToString();
    }

    private static void Pair(StringBuilder md, string name, string pages, string values) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {pages} | {values} |");

    /// <summary>The first kinds of error of each target that had any.</summary>
    private static void ErrorSamples(StringBuilder md, IEnumerable<LoadResult> results)
    {
        foreach (var r in results.Where(r => r.ErrorSamples.Count > 0))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{r.Target} errors (first kinds):");
            foreach (var sample in r.ErrorSamples)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{sample}`");
            }

            md.AppendLine();
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

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
