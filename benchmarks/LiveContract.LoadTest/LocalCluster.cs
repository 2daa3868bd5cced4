using System.Diagnostics;

namespace LiveContract.LoadTest;

/// <summary>
/// The repository's local cluster (<c>deploy/cluster.sh</c>: PostgreSQL, Redis, s3rver, two app
/// instances on the Redis backend, HAProxy over HTTPS) run for a load test from a published app,
/// read back from the <c>cluster.env</c> file the script writes once everything answers, and
/// stopped the way a person stops it (SIGTERM: the script stops what it started).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process script;
    private readonly Queue<string> lastLines = new();
    private readonly bool keep;

    private LocalCluster(Process script, string stateDirectory, bool keep)
    {
        this.script = script;
        this.keep = keep;
        StateDirectory = stateDirectory;
        script.OutputDataReceived += (_, e) => Keep(e.Data);
        script.ErrorDataReceived += (_, e) => Keep(e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
    }

    public string StateDirectory { get; }

    /// <summary>The values of <c>cluster.env</c> (URL, ports, process ids, paths).</summary>
    public IReadOnlyDictionary<string, string> Values { get; private set; } = new Dictionary<string, string>();

    /// <summary>HAProxy's HTTPS address.</summary>
    public Uri Url => new(Values["URL"]);

    public IReadOnlyList<int> InstanceProcessIds => [int.Parse(Values["INSTANCE_A_PID"]), int.Parse(Values["INSTANCE_B_PID"])];

    /// <summary>The settings under which LiveContract.Core reaches the cluster's database (for seeding accounts).</summary>
    public Dictionary<string, string?> CoreSettings => new()
    {
        ["LiveContract:DataDirectory"] = Path.Combine(StateDirectory, "load-test"),
        ["LiveContract:PublicUrl"] = Values["URL"],
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = $"Host=127.0.0.1;Port={Values["POSTGRES_PORT"]};Username=postgres;Database=livecontract",
        ["Storage:MasterKey"] = File.ReadAllText(Path.Combine(StateDirectory, "master.key")).Trim(),
    };

    /// <summary>Starts the cluster from the published app in <paramref name="appDirectory"/> and waits (up to five minutes) until it answers.</summary>
    public static async Task<LocalCluster> StartAsync(string appDirectory, bool keep, CancellationToken cancellationToken)
    {
        var repository = AppInstallation.RepositoryRoot();
        var state = Directory.CreateTempSubdirectory("livecontract-cluster-").FullName;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(repository, "deploy", "cluster.sh"), "--state-dir", state, "--app-dir", appDirectory, "--no-publish", "--port", ChildServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        var cluster = new LocalCluster(Process.Start(start)!, state, keep);
        var envFile = Path.Combine(state, "cluster.env");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(envFile) || !File.ReadAllText(envFile).Contains("HAPROXY_PID=", StringComparison.Ordinal))
        {
            if (cluster.script.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                var output = cluster.Output;
                await cluster.DisposeAsync();
                throw new InvalidOperationException($"deploy/cluster.sh did not bring the cluster up:{Environment.NewLine}{output}");
            }

            await Task.Delay(200, cancellationToken);
        }

        cluster.Values = File.ReadAllLines(envFile)
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return cluster;
    }

    /// <summary>The script's last lines, for error messages.</summary>
    public string Output
    {
        get
        {
            lock (lastLines)
            {
                return string.Join(Environment.NewLine, lastLines);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!script.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(CancellationToken.None);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await script.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"deploy/cluster.sh did not stop within a minute; see {StateDirectory}.");
            }
        }

        script.Dispose();
        if (keep)
        {
            Console.Error.WriteLine($"Kept the cluster's state directory {StateDirectory}.");
            return;
        }

        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {StateDirectory}; remove it by hand.");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > KeptLines)
            {
                lastLines.Dequeue();
            }
        }
    }
}
