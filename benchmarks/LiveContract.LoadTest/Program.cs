using LiveContract.LoadTest;

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Command == "help")
{
    Console.WriteLine(LoadTestOptions.Usage);
    return 0;
}

if (options.Command == "relay-server")
{
    return await RelayServer.RunAsync(options.Urls!);
}

// Client side only: thousands of connections start at once; do not wait for the thread pool to grow.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return options.Command switch
    {
        "browser" => await BrowserBenchmark.RunAsync(options, stop.Token),
        "admin" => await AdminBenchmark.RunAsync(options, stop.Token),
        "cluster" => await ClusterBenchmark.RunAsync(options, stop.Token),
        "sealing" => await SealingBenchmark.RunAsync(options, stop.Token),
        _ => await HubBenchmark.RunAsync(options, stop.Token),
    };
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"The load test failed: {e.Message}");
    return 1;
}
