using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.LoadTest;

/// <summary>
/// The hub load test: the same pattern against the LiveContract app and against the raw relay;
/// or, as <c>fields</c>, against the app alone with the customers typing into fields while the
/// advisors change pages, and the durable saves that typing causes counted in the app's database.
/// </summary>
public static class HubBenchmark
{
    private const int SetupConcurrency = 8;
    private const int DocumentPages = 10;

    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        Console.Error.WriteLine($"Machine: {machine.Describe()}");
        var needed = options.Sessions * 2L + 1024;
        if (machine.OpenFilesLimit < needed)
        {
            Console.Error.WriteLine(
                $"Warning: this process may open {machine.OpenFilesLimit} files, and {options.Sessions * 2} connections need about {needed} " +
                $"(the server needs as many). Raise the limit first, for example 'ulimit -n 65536' (the hard limit, 'ulimit -Hn', may need raising in /etc/security/limits.conf).");
        }

        if (options.Command == "fields")
        {
            var typing = await RunAppAsync(options, new LoadSettings(options.Rate, options.Warmup, options.Duration, options.TypingRate), options.FieldsPerSession, cancellationToken);
            await WriteAsync(Report.Fields(machine, options, typing), options, cancellationToken);
            return 0;
        }

        var settings = new LoadSettings(options.Rate, options.Warmup, options.Duration);
        LoadResult? app = null;
        LoadResult? relay = null;
        if (!options.SkipApp)
        {
            app = await RunAppAsync(options, settings, 0, cancellationToken);
        }

        if (!options.SkipRelay)
        {
            relay = await RunRelayAsync(options, settings, cancellationToken);
        }

        await WriteAsync(Report.Hub(machine, options, app, relay), options, cancellationToken);
        return 0;
    }

    internal static async Task WriteAsync(string report, LoadTestOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine(report);
        if (options.Output is not null)
        {
            await File.WriteAllTextAsync(options.Output, report, cancellationToken);
            Console.Error.WriteLine($"Report written to {options.Output}.");
        }
    }

    /// <summary>Runs the pattern on a fresh installation; with <paramref name="customerFields"/> above 0 the contracts get that many customer fields and go to review first.</summary>
    internal static async Task<LoadResult> RunAppAsync(LoadTestOptions options, LoadSettings settings, int customerFields, CancellationToken cancellationToken)
    {
        using var installation = await AppInstallation.CreateAsync(options.AppDirectory, options.KeepData, options.AppSettings, cancellationToken);
        await using var server = await installation.StartAsync(cancellationToken);
        Console.Error.WriteLine(
            $"[app] running at {server.BaseAddress} (pid {server.ProcessId}); creating {options.Sessions} contracts " +
            (customerFields > 0 ? $"with {customerFields} customer field(s) each, in review, " : "") + "and sessions through the REST API…");

        var pdf = SamplePdf.Create(DocumentPages);
        var sessions = new StartedSession[options.Sessions];
        using (var api = new LiveContractApi(server.BaseAddress, installation.ApiToken))
        {
            await Parallel.ForAsync(0, options.Sessions, new ParallelOptions { MaxDegreeOfParallelism = SetupConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
                sessions[i] = await api.CreateSessionAsync(i + 1, pdf, customerFields, ct));
        }

        var endpoints = sessions.Select(s => new PairEndpoint(s.SessionId, s.HubUrl, installation.ApiToken, s.CustomerToken, s.CustomerFieldIds)).ToList();
        try
        {
            if (customerFields == 0)
            {
                return await LoadRun.RunAsync("LiveContract app", server, endpoints, settings, cancellationToken);
            }

            using var core = installation.BuildCoreHost();
            var probe = new FieldSaveProbe(core.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>());
            var result = await LoadRun.RunAsync("LiveContract app", server, endpoints, settings, cancellationToken, probe);
            return result with { Saves = await probe.SummarizeAsync(result.Typing!.TypingSessions, result.Typing.Sent, cancellationToken) };
        }
        catch
        {
            Console.Error.WriteLine($"The app's last output:{Environment.NewLine}{server.Output}");
            throw;
        }
    }

    internal static async Task<LoadResult> RunRelayAsync(LoadTestOptions options, LoadSettings settings, CancellationToken cancellationToken)
    {
        var tool = typeof(HubBenchmark).Assembly.Location;
        var environment = new Dictionary<string, string>
        {
            // The same garbage collector as the app: the Web SDK turns on server GC, a console tool does not.
            ["DOTNET_gcServer"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        await using var server = await ChildServer.StartAsync("raw SignalR relay", [tool, "relay-server", "--urls", "{urls}"], AppContext.BaseDirectory, environment, "/health", cancellationToken);
        Console.Error.WriteLine($"[relay] running at {server.BaseAddress} (pid {server.ProcessId}).");
        var hub = new Uri(server.BaseAddress, RelayServer.HubPath.TrimStart('/'));
        var endpoints = Enumerable.Range(0, options.Sessions).Select(_ => new PairEndpoint(Guid.NewGuid(), hub, null, null)).ToList();
        return await LoadRun.RunAsync("Raw SignalR relay", server, endpoints, settings, cancellationToken);
    }
}
