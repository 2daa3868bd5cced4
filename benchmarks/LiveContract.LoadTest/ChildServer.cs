using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveContract.LoadTest;

/// <summary>
/// A server run as a child process on a free loopback port: started, waited for until its health
/// address answers, sampled through <c>/proc</c>, and stopped. Its output is kept (last lines only)
/// to explain a failure.
/// </summary>
public sealed class ChildServer : IServerProbe, IAsyncDisposable
{
    private const int KeptLines = 60;
    private readonly Process process;
    private readonly Queue<string> lastLines = new();
    private long warningLines;

    private ChildServer(string name, Process process, Uri baseAddress)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    /// <summary>Lines logged so far at warning level or worse (the console logger's <c>warn:</c>, <c>fail:</c> and <c>crit:</c>).</summary>
    public long WarningLines => Interlocked.Read(ref warningLines);

    /// <summary>The last lines the server wrote, for error messages.</summary>
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

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> and waits until <paramref name="healthPath"/> answers 200.</summary>
    public static async Task<ChildServer> StartAsync(
        string name,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        string healthPath,
        CancellationToken cancellationToken)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument.Replace("{urls}", baseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal));
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        // The links the app hands out (customer links, hub URLs) point at where it really listens.
        start.Environment["LiveContract__PublicUrl"] = baseAddress.ToString();
        var server = new ChildServer(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started; is the .NET SDK on PATH?"), baseAddress);
        try
        {
            await server.WaitUntilHealthyAsync(healthPath, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ProcessSample Sample() => ProcessSample.Read(process.Id);

    private async Task WaitUntilHealthyAsync(string healthPath, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The {Name} stopped at start-up (exit code {process.ExitCode}). Its last output:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(healthPath, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow first answer; ask again.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The {Name} did not answer {healthPath} with 200 within 2 minutes. Its last output:{Environment.NewLine}{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref warningLines);
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            while (lastLines.Count > KeptLines)
            {
                lastLines.Dequeue();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM lets Kestrel shut down; kill after a grace period.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }
}
