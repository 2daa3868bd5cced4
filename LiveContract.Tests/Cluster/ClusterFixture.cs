using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LiveContract.Tests.Cluster;

/// <summary>
/// A real cluster started by the repository's own <c>deploy/cluster.sh</c>: PostgreSQL, Redis,
/// s3rver, two published app instances (a and b) and HAProxy with <c>deploy/haproxy.cfg</c> over
/// HTTPS. The tests read <c>cluster.env</c> for ports and PIDs and use the script's subcommands to
/// break and restore parts. Disposing it stops the script with SIGTERM and checks nothing is left.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim PublishGate = new(1, 1);
    private static string? published;

    private readonly StringBuilder output = new();
    private ClusterScenario? scenario;
    private Process? script;
    private X509Certificate2? certificate;

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("lc-cluster-").FullName;

    /// <summary>HAProxy's HTTPS address, e.g. https://127.0.0.1:8443/.</summary>
    public Uri Url { get; private set; } = default!;

    public string MailDirectory => Value("MAIL_DIR");

    public int RedisPort => int.Parse(Value("REDIS_PORT"), CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public static string RepositoryRoot { get; } = Fixtures.RepositoryRoot.Path;

    /// <summary>People and contracts on this cluster (the first administrator is made once).</summary>
    public ClusterScenario Scenario => scenario ??= new ClusterScenario(this);

    /// <summary>An instance's own address, past HAProxy (plain HTTP on loopback).</summary>
    public Uri InstanceUrl(string name) => new($"http://127.0.0.1:{Value($"INSTANCE_{name.ToUpperInvariant()}_PORT")}/");

    public int InstancePid(string name) => int.Parse(Value($"INSTANCE_{name.ToUpperInvariant()}_PID"), CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        var app = await PublishOnceAsync();
        var port = FreePort();
        script = StartScript([
            "--state-dir", StateDirectory, "--port", port.ToString(CultureInfo.InvariantCulture), "--app-dir", app, "--no-publish"]);
        var envFile = Path.Combine(StateDirectory, "cluster.env");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!File.Exists(envFile))
        {
            if (script.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"deploy/cluster.sh did not start the cluster:\n{Output}");
            }

            await Task.Delay(200);
        }

        Reload();
        Url = new Uri(Value("URL"));
        certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(StateDirectory, "tls", "site.crt"));
    }

    /// <summary>What the script printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Reads <c>cluster.env</c> again (after a part was restarted and has a new PID).</summary>
    public void Reload() =>
        Environment = File.ReadAllLines(Path.Combine(StateDirectory, "cluster.env"))
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    public string Value(string name) =>
        Environment.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"cluster.env has no {name}.");

    /// <summary>Runs a subcommand of the script against this cluster, e.g. <c>stop-redis</c> or <c>start-instance a</c>.</summary>
    public async Task RunAsync(string subcommand, params string[] arguments)
    {
        using var process = StartScript([subcommand, StateDirectory, .. arguments]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"deploy/cluster.sh {subcommand} failed:\n{Output}");
        Reload();
    }

    /// <summary>Waits until both instances and HAProxy answer /health with 200 again (after a part was restarted).</summary>
    public async Task WaitForHealthyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var address in new[] { InstanceUrl("a"), InstanceUrl("b"), Url })
        {
            using var http = new HttpClient(Handler()) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync("health");
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Too slow to answer yet.
                }

                Assert.True(DateTime.UtcNow < deadline, $"{address}health did not answer 200 within a minute.");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>An HTTP handler that trusts exactly this cluster's self-signed certificate.</summary>
    public HttpClientHandler Handler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
            presented is not null && certificate is not null
            && CryptographicOperations.FixedTimeEquals(presented.RawData, certificate.RawData),
    };

    public async Task DisposeAsync()
    {
        if (script is { HasExited: false })
        {
            _ = Kill(script.Id, Sigterm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await script.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                script.Kill(entireProcessTree: true);
            }
        }

        // The script stops what it started; make sure of it, so a failed test leaves nothing running.
        foreach (var (_, value) in Environment.Where(e => e.Key.EndsWith("_PID", StringComparison.Ordinal)))
        {
            var pid = int.Parse(value, CultureInfo.InvariantCulture);
            if (Kill(pid, 0) == 0 && IsOurs(pid))
            {
                _ = Kill(pid, Sigkill);
            }
        }

        script?.Dispose();
        certificate?.Dispose();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // PostgreSQL may still be removing its files; the temporary folder is cleaned up by the system.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>Publishes the app once per test run (or reuses a publish of the same build) with <c>deploy/cluster.sh publish</c>.</summary>
    private static async Task<string> PublishOnceAsync()
    {
        await PublishGate.WaitAsync();
        try
        {
            if (published is not null)
            {
                return published;
            }

            var directory = Path.Combine(AppContext.BaseDirectory, "cluster-app");
            var stamp = Path.Combine(directory, ".build-stamp");
            var build = BuildStamp();
            if (!File.Exists(stamp) || await File.ReadAllTextAsync(stamp) != build)
            {
#if DEBUG
                const string configuration = "Debug";
#else
                const string configuration = "Release";
#endif
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                var log = new StringBuilder();
                using var process = StartProcess(Path.Combine(RepositoryRoot, "deploy", "cluster.sh"), ["publish", directory, "-c", configuration, "--no-build"], log);
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"Publishing the app failed:\n{log}");
                }

                await File.WriteAllTextAsync(stamp, build);
            }

            published = directory;
            return directory;
        }
        finally
        {
            PublishGate.Release();
        }
    }

    /// <summary>The hash of the app's assemblies in this test build: a publish of another build is redone.</summary>
    private static string BuildStamp()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in new[] { "LiveContract.Web.dll", "LiveContract.Core.dll" })
        {
            sha.AppendData(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, name)));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private Process StartScript(IReadOnlyList<string> arguments) =>
        StartProcess(Path.Combine(RepositoryRoot, "deploy", "cluster.sh"), arguments, output);

    private static Process StartProcess(string file, IReadOnlyList<string> arguments, StringBuilder log)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };

        // The instances inherit it: these tests join as the customer without a one-time code.
        info.Environment["IdentityCheck__Enabled"] = "false";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Whether a PID is still one of the programs the script starts (and not a reused number).</summary>
    private static bool IsOurs(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return new[] { "redis-server", "haproxy", "s3rver", "LiveContract.Web.dll" }.Any(p => commandLine.Contains(p, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigkill = 9;
    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
