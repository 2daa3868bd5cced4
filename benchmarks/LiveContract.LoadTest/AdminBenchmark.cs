using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.LoadTest;

/// <summary>
/// The administration API on a large installation (by default 100,000 contracts with their
/// documents, audit events, live sessions and API tokens, seeded before the app starts): each
/// admin table's first page, a deep page and its filters, timed one request at a time (an admin
/// clicking), and "verify all chains" over every stream.
/// </summary>
public static class AdminBenchmark
{
    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        Console.Error.WriteLine($"Machine: {machine.Describe()}");
        var seed = new ScaleSeed { Contracts = options.Contracts };
        var seeding = Stopwatch.StartNew();
        using var installation = await AppInstallation.CreateAsync(
            options.AppDirectory,
            options.KeepData,
            options.AppSettings,
            cancellationToken,
            (services, ct) => seed.SeedAsync(services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(), DateTimeOffset.UtcNow, ct));
        Console.Error.WriteLine($"[admin] seeded {options.Contracts:N0} contracts in {seeding.Elapsed.TotalSeconds:0.0} s.");
        await using var server = await installation.StartAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", installation.AdminApiToken);

        var advisor = seed.AdvisorIds[7];
        var lastPage = options.Contracts / 20;
        (string Name, HttpMethod Method, string Path, int Iterations)[] requests =
        [
            ("Users, first page (with contract counts)", HttpMethod.Get, "api/admin/users?page=1&pageSize=20", options.Iterations),
            ("Contracts, first page (newest first)", HttpMethod.Get, "api/admin/contracts?page=1&pageSize=20", options.Iterations),
            ("Contracts, last page", HttpMethod.Get, $"api/admin/contracts?page={lastPage}&pageSize=20", options.Iterations),
            ("Contracts of one advisor, Review", HttpMethod.Get, $"api/admin/contracts?advisorId={advisor}&status=Review&pageSize=20", options.Iterations),
            ("Contracts, search by reference", HttpMethod.Get, $"api/admin/contracts?search={ScaleSeed.Reference(options.Contracts / 2)}", options.Iterations),
            ("Contracts, search by customer name", HttpMethod.Get, "api/admin/contracts?search=customer%20042", options.Iterations),
            ("Live sessions, active", HttpMethod.Get, "api/admin/sessions?state=active&page=1&pageSize=20", options.Iterations),
            ("Live sessions, recently ended", HttpMethod.Get, "api/admin/sessions?state=ended&page=1&pageSize=20", options.Iterations),
            ("API tokens, first page", HttpMethod.Get, "api/admin/tokens?page=1&pageSize=20", options.Iterations),
            ("System audit stream, first page", HttpMethod.Get, "api/admin/audit/system?page=1&pageSize=20", options.Iterations),
            ("System overview (counts, health)", HttpMethod.Get, "api/admin/system", options.Iterations),
            ("Verify all chains", HttpMethod.Post, "api/admin/audit/verify", 3),
        ];

        var rows = new List<string>();
        foreach (var (name, method, path, iterations) in requests)
        {
            await SendAsync(http, method, path, cancellationToken);
            var times = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var clock = Stopwatch.StartNew();
                await SendAsync(http, method, path, cancellationToken);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var row = string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | `{method} /{path.Split('?')[0]}` | {iterations} | {Percentile(times, 0.5):0.0} | {Percentile(times, 0.95):0.0} | {times[^1]:0.0} |");
            Console.Error.WriteLine(row);
            rows.Add(row);
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}")
            .AppendLine(CultureInfo.InvariantCulture, $"Installation: SQLite, {options.Contracts:N0} contracts ({Describe(seed)}), {seed.Advisors} advisors, {seed.ActiveSessions} active and {seed.EndedSessions} ended live sessions, {seed.ApiTokens} API tokens.")
            .AppendLine()
            .AppendLine("| Request | Endpoint | Requests | p50 ms | p95 ms | max ms |")
            .AppendLine("|---|---|---:|---:|---:|---:|")
            .AppendJoin(Environment.NewLine, rows)
            .AppendLine()
            .ToString();
        Console.WriteLine(report);
        if (options.Output is not null)
        {
            await File.WriteAllTextAsync(options.Output, report, cancellationToken);
            Console.Error.WriteLine($"Report written to {options.Output}.");
        }

        return 0;
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} /{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static string Describe(ScaleSeed seed) =>
        string.Join(", ", seed.ByStatus.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Value:N0} {s.Key}")))
        + string.Create(CultureInfo.InvariantCulture, $"; {seed.Documents.Count:N0} documents");

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
