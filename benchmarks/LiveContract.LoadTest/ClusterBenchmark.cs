using LiveContract.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveContract.LoadTest;

/// <summary>
/// The cross-instance load test: <c>deploy/cluster.sh</c> runs two app instances on the Redis
/// backend behind HAProxy (HTTPS); each session's advisor is pinned to instance a and its customer
/// to instance b, so every measured page change goes advisor → a → Redis → b → customer. Then the
/// single instance and the raw relay run the same pattern on the same machine, for comparison.
/// </summary>
public static class ClusterBenchmark
{
    private const int SetupConcurrency = 8;
    private const int DocumentPages = 10;

    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        Console.Error.WriteLine($"Machine: {machine.Describe()}");
        options.AppDirectory ??= await AppInstallation.PublishAsync(cancellationToken);
        var settings = new LoadSettings(options.Rate, options.Warmup, options.Duration);

        LoadResult cluster;
        await using (var running = await LocalCluster.StartAsync(options.AppDirectory, options.KeepData, cancellationToken))
        {
            Console.Error.WriteLine($"[cluster] running at {running.Url} (instances: pids {string.Join(", ", running.InstanceProcessIds)})");
            try
            {
                cluster = await RunAcrossAsync(running, options, settings, cancellationToken);
            }
            catch
            {
                Console.Error.WriteLine($"The cluster script's last output:{Environment.NewLine}{running.Output}");
                throw;
            }
        }

        var single = options.SkipApp ? null : await HubBenchmark.RunAppAsync(options, settings, 0, cancellationToken);
        var relay = options.SkipRelay ? null : await HubBenchmark.RunRelayAsync(options, settings, cancellationToken);
        await HubBenchmark.WriteAsync(Report.Cluster(machine, options, cluster, single, relay), options, cancellationToken);
        return 0;
    }

    private static async Task<LoadResult> RunAcrossAsync(LocalCluster cluster, LoadTestOptions options, LoadSettings settings, CancellationToken cancellationToken)
    {
        string token;
        using (var core = BuildCoreHost(cluster))
        {
            token = await AppInstallation.CreateAdvisorTokenAsync(core.Services, cancellationToken);
        }

        Console.Error.WriteLine($"[cluster] creating {options.Sessions} contracts and sessions through HAProxy…");
        var pdf = SamplePdf.Create(DocumentPages);
        var sessions = new StartedSession[options.Sessions];
        using (var api = new LiveContractApi(cluster.Url, token, anyCertificate: true))
        {
            await Parallel.ForAsync(0, options.Sessions, new ParallelOptions { MaxDegreeOfParallelism = SetupConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
                sessions[i] = await api.CreateSessionAsync(i + 1, pdf, 0, ct));
        }

        // Through HAProxy's HTTPS address whatever address the app's answer names.
        var endpoints = sessions
            .Select(s => new PairEndpoint(s.SessionId, new Uri(cluster.Url, s.HubUrl.AbsolutePath), token, s.CustomerToken, AdvisorServer: "a", CustomerServer: "b", AnyCertificate: true))
            .ToList();
        return await LoadRun.RunAsync("Two instances (advisor on a, customer on b)", new ProcessGroupProbe(cluster.InstanceProcessIds), endpoints, settings, cancellationToken);
    }

    /// <summary>LiveContract.Core on the cluster's database, to create the load test's advisor and API token.</summary>
    private static IHost BuildCoreHost(LocalCluster cluster)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = cluster.StateDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(cluster.CoreSettings);
        builder.Services.AddLiveContractCore();
        return builder.Build();
    }
}
