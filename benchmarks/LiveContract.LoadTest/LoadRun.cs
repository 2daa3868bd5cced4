using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveContract.LoadTest;

/// <summary>
/// One session's two ends as the load test sees them: where the hub is, what each side presents
/// as its bearer token, and the customer's fields to type into (none for the page-change test).
/// </summary>
/// <para>
/// Behind HAProxy, <see cref="AdvisorServer"/> and <see cref="CustomerServer"/> pin each side to an
/// instance (the value of the proxy's <c>SRV</c> affinity cookie), and <see cref="AnyCertificate"/>
/// accepts the cluster's self-signed certificate.
/// </para>
public sealed record PairEndpoint(
    Guid SessionId,
    Uri HubUrl,
    string? AdvisorToken,
    string? CustomerToken,
    IReadOnlyList<Guid>? CustomerFieldIds = null,
    string? AdvisorServer = null,
    string? CustomerServer = null,
    bool AnyCertificate = false);

/// <summary>
/// The pattern both targets get: sessions, page changes per second per session, warm-up and
/// measured time; and, when <see cref="TypingRate"/> is above 0, field-value batches per second
/// per session from the customer.
/// </summary>
public sealed record LoadSettings(double Rate, TimeSpan Warmup, TimeSpan Duration, double TypingRate = 0)
{
    /// <summary>How long the test waits, after the last measured send, for events still on their way.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Drives the pattern against one server: connects an advisor and a customer client per session
/// (WebSockets), joins both, then has each advisor change pages at the set rate, spread evenly
/// over the period. The customer's <c>pageChange</c> handler takes the receive time; the send
/// time is kept per session and page (the pages cycle, so an event names the send it answers).
/// Both ends live in this process and share one clock (<see cref="Stopwatch"/>).
/// <para>
/// With typing, each customer also types into its fields at <see cref="LoadSettings.TypingRate"/>
/// batches per second (one or two more characters each, like a client that coalesces keystrokes),
/// one field after the other: focus, type a line, commit (a blur), next field. The advisor's
/// <c>fieldValue</c> handler takes the receive time; the send time is kept per field and value.
/// </para>
/// </summary>
public static class LoadRun
{
    private const int ConnectConcurrency = 50;
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    public static async Task<LoadResult> RunAsync(
        string target,
        IServerProbe server,
        IReadOnlyList<PairEndpoint> endpoints,
        LoadSettings settings,
        CancellationToken cancellationToken,
        FieldSaveProbe? saves = null)
    {
        var errors = new ErrorLog();
        var pairs = endpoints.Select(e => new Pair(e, errors)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idle = server.Sample();

        Console.Error.WriteLine($"[{target}] connecting {pairs.Length * 2} clients…");
        var connecting = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(ConnectConcurrency))
        {
            await Task.WhenAll(pairs.Select(async pair =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await pair.ConnectAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        connecting.Stop();
        var ready = pairs.Where(p => p.Ready).ToArray();
        Console.Error.WriteLine($"[{target}] {ready.Length} of {pairs.Length} sessions joined in {connecting.Elapsed.TotalSeconds:F1} s; warming up {settings.Warmup.TotalSeconds:F0} s, measuring {settings.Duration.TotalSeconds:F0} s…");
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var connected = server.Sample();

        var period = TimeSpan.FromSeconds(1 / settings.Rate);
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var measureFrom = start + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var window = new MeasureWindow(measureFrom, measureTo);

        var drivers = ready.Select((pair, i) => pair.DriveAsync(start + (long)(period.TotalSeconds * Stopwatch.Frequency * i / ready.Length), period, window, cancellationToken)).ToList();
        if (settings.TypingRate > 0)
        {
            var typingPeriod = TimeSpan.FromSeconds(1 / settings.TypingRate);
            drivers.AddRange(ready.Select((pair, i) => pair.TypeAsync(start + (long)(typingPeriod.TotalSeconds * Stopwatch.Frequency * i / ready.Length), typingPeriod, window, cancellationToken)));
        }

        await DelayUntilAsync(measureFrom, cancellationToken);
        if (saves is not null)
        {
            await saves.MarkStartAsync(cancellationToken);
        }

        var warningsAtStart = server.WarningLines;
        var serverAtStart = server.Sample();
        var clientAtStart = ProcessSample.Read(Environment.ProcessId);
        var machineAtStart = MachineCpuSample.Read();
        var peakThreads = serverAtStart.Threads;
        while (Stopwatch.GetTimestamp() < measureTo)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(1, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureTo).TotalMilliseconds))), cancellationToken);
            peakThreads = Math.Max(peakThreads, server.Sample().Threads);
        }

        var serverAtEnd = server.Sample();
        var clientAtEnd = ProcessSample.Read(Environment.ProcessId);
        var machineAtEnd = MachineCpuSample.Read();
        var warnings = server.WarningLines - warningsAtStart;
        if (saves is not null)
        {
            await saves.MarkEndAsync(cancellationToken);
        }

        await Task.WhenAll(drivers);

        var drainUntil = Stopwatch.GetTimestamp() + (long)(LoadSettings.Drain.TotalSeconds * Stopwatch.Frequency);
        while (ready.Any(p => p.Outstanding > 0 || p.TypingOutstanding > 0) && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(100, cancellationToken);
        }

        var latencies = ready.SelectMany(p => p.Latencies).ToArray();
        Array.Sort(latencies);
        var sent = ready.Sum(p => p.MeasuredSent);
        var delivered = ready.Sum(p => p.MeasuredReceived);
        var result = new LoadResult(
            target,
            pairs.Length,
            ready.Length,
            settings.Rate,
            settings.Duration,
            connecting.Elapsed,
            LatencySummary.From(latencies),
            sent,
            delivered,
            delivered / settings.Duration.TotalSeconds,
            sent - delivered,
            ready.Sum(p => p.Unmatched),
            ready.Sum(p => p.Echoes),
            ready.Sum(p => p.Slips),
            errors.Count,
            errors.Samples,
            ProcessSample.CpuPercentOfOneCore(serverAtStart, serverAtEnd),
            idle.ResidentBytes,
            connected.ResidentBytes,
            serverAtEnd.ResidentBytes,
            ProcessSample.CpuPercentOfOneCore(clientAtStart, clientAtEnd),
            MachineCpuSample.BusyPercent(machineAtStart, machineAtEnd),
            idle.Threads,
            Math.Max(peakThreads, serverAtEnd.Threads))
        {
            ServerWarnings = warnings,
            Typing = settings.TypingRate > 0 ? Typing(ready, settings) : null,
        };

        errors.Closing = true;
        Console.Error.WriteLine($"[{target}] disconnecting…");
        var disconnecting = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(ConnectConcurrency * 4))
        {
            await Task.WhenAll(pairs.Select(async pair =>
            {
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    await pair.DisposeAsync();
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        Console.Error.WriteLine($"[{target}] all clients disconnected in {disconnecting.Elapsed.TotalSeconds:F1} s.");
        return result;
    }

    private static FieldTypingResult Typing(IReadOnlyList<Pair> ready, LoadSettings settings)
    {
        var latencies = ready.SelectMany(p => p.TypingLatencies).ToArray();
        Array.Sort(latencies);
        var sent = ready.Sum(p => p.TypingSent);
        var delivered = ready.Sum(p => p.TypingReceived);
        return new FieldTypingResult(
            settings.TypingRate,
            ready.Count(p => p.Fields > 0),
            LatencySummary.From(latencies),
            sent,
            delivered,
            delivered / settings.Duration.TotalSeconds,
            sent - delivered,
            ready.Sum(p => p.TypingUnmatched),
            ready.Sum(p => p.TypingEchoes),
            ready.Sum(p => p.TypingSlips),
            ready.Sum(p => p.Commits));
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    private readonly record struct MeasureWindow(long From, long To)
    {
        public bool Contains(long timestamp) => timestamp >= From && timestamp < To;
    }

    /// <summary>Errors of the run: counted, and the first few kept to show what they were.</summary>
    private sealed class ErrorLog
    {
        private const int KeptSamples = 10;
        private readonly ConcurrentDictionary<string, int> samples = new();
        private long count;

        public volatile bool Closing;

        public long Count => Interlocked.Read(ref count);

        public IReadOnlyList<string> Samples => samples.Select(s => s.Value > 1 ? $"{s.Key} (×{s.Value})" : s.Key).ToList();

        public void Add(string what)
        {
            Interlocked.Increment(ref count);
            if (samples.Count < KeptSamples || samples.ContainsKey(what))
            {
                samples.AddOrUpdate(what, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>A session's advisor and customer connections and what was measured for it.</summary>
    private sealed class Pair(PairEndpoint endpoint, ErrorLog errors) : IAsyncDisposable
    {
        private const int RelayPages = 10;
        private readonly List<int> latencies = new(256);
        private HubConnection? advisor;
        private HubConnection? customer;
        private Guid documentId;
        private int pageCount;
        private int page;

        // Written by the driver before sending, read by the customer's handler: per page, when it was sent (0 = answered).
        private long[] sentAt = [];
        private bool[] sentMeasured = [];
        private long measuredSent;
        private long measuredReceived;
        private long unmatched;
        private long echoes;

        // Typing: per field and value sent, when it was sent and whether inside the measured window (answered ones are removed).
        private readonly Dictionary<(Guid FieldId, string Value), (long SentAt, bool Measured)> typed = [];
        private readonly List<int> typingLatencies = new(512);
        private long typingSent;
        private long typingReceived;
        private long typingUnmatched;
        private long typingEchoes;

        public bool Ready { get; private set; }

        public long MeasuredSent => Interlocked.Read(ref measuredSent);

        public long MeasuredReceived => Interlocked.Read(ref measuredReceived);

        public long Outstanding => MeasuredSent - MeasuredReceived;

        public long Unmatched => Interlocked.Read(ref unmatched);

        public long Echoes => Interlocked.Read(ref echoes);

        public long Slips { get; private set; }

        public int Fields => endpoint.CustomerFieldIds?.Count ?? 0;

        public long TypingSent => Interlocked.Read(ref typingSent);

        public long TypingReceived => Interlocked.Read(ref typingReceived);

        public long TypingOutstanding => TypingSent - TypingReceived;

        public long TypingUnmatched => Interlocked.Read(ref typingUnmatched);

        public long TypingEchoes => Interlocked.Read(ref typingEchoes);

        public long TypingSlips { get; private set; }

        public long Commits { get; private set; }

        public IReadOnlyList<int> TypingLatencies
        {
            get
            {
                lock (typed)
                {
                    return typingLatencies.ToArray();
                }
            }
        }

        public IReadOnlyList<int> Latencies
        {
            get
            {
                lock (latencies)
                {
                    return latencies.ToArray();
                }
            }
        }

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            try
            {
                customer = Build(endpoint.CustomerToken, endpoint.CustomerServer, "customer");
                customer.On<PageChangeMessage>("pageChange", OnCustomerPageChange);
                advisor = Build(endpoint.AdvisorToken, endpoint.AdvisorServer, "advisor");
                advisor.On<PageChangeMessage>("pageChange", _ => Interlocked.Increment(ref echoes));
                if (Fields > 0)
                {
                    advisor.On<FieldValueMessage>("fieldValue", OnAdvisorFieldValue);
                    customer.On<FieldValueMessage>("fieldValue", _ => Interlocked.Increment(ref typingEchoes));
                }

                await customer.StartAsync(cancellationToken);
                await advisor.StartAsync(cancellationToken);
                await customer.InvokeAsync<JsonElement>("Join", endpoint.SessionId, cancellationToken);
                var snapshot = await advisor.InvokeAsync<JsonElement>("Join", endpoint.SessionId, cancellationToken);
                (documentId, page, pageCount) = ReadSnapshot(snapshot);
                sentAt = new long[pageCount + 1];
                sentMeasured = new bool[pageCount + 1];
                Ready = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"connect/join: {e.GetType().Name}: {e.Message}{(e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "")}");
            }
        }

        public async Task DriveAsync(long firstSend, TimeSpan period, MeasureWindow window, CancellationToken cancellationToken)
        {
            var periodTicks = (long)(period.TotalSeconds * Stopwatch.Frequency);
            var slipTicks = Stopwatch.Frequency / 10;
            for (var due = firstSend; due < window.To; due += periodTicks)
            {
                await DelayUntilAsync(due, cancellationToken);
                var now = Stopwatch.GetTimestamp();
                if (now - due > slipTicks)
                {
                    Slips++;
                }

                page = page % pageCount + 1;
                var measured = window.Contains(now);
                Volatile.Write(ref sentMeasured[page], measured);
                Volatile.Write(ref sentAt[page], now);
                if (measured)
                {
                    Interlocked.Increment(ref measuredSent);
                }

                try
                {
                    await advisor!.InvokeAsync<JsonElement>("PageChange", documentId, page, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"pageChange: {e.GetType().Name}: {e.Message}");
                    if (measured)
                    {
                        Interlocked.Decrement(ref measuredSent);
                    }
                }
            }
        }

        /// <summary>
        /// Types into the customer's fields, one after the other, until the window ends: each batch
        /// is the line so far with one or two more characters; a finished line is committed (as a
        /// blur would) and the next field gets the focus. Commits and focus moves are not awaited
        /// before the next batch, like a browser that keeps typing.
        /// </summary>
        public async Task TypeAsync(long firstSend, TimeSpan period, MeasureWindow window, CancellationToken cancellationToken)
        {
            var fields = endpoint.CustomerFieldIds;
            if (fields is not { Count: > 0 })
            {
                return;
            }

            var periodTicks = (long)(period.TotalSeconds * Stopwatch.Frequency);
            var slipTicks = Stopwatch.Frequency / 10;
            var typist = customer!;
            var pending = new List<Task>();
            var field = 0;
            var line = 0;
            var text = Line(line);
            var length = 0;
            var batch = 0;
            pending.Add(ObserveAsync(typist.InvokeAsync<long>("FieldFocus", fields[field], cancellationToken), "fieldFocus"));
            for (var due = firstSend; due < window.To; due += periodTicks)
            {
                await DelayUntilAsync(due, cancellationToken);
                var now = Stopwatch.GetTimestamp();
                if (now - due > slipTicks)
                {
                    TypingSlips++;
                }

                length = Math.Min(text.Length, length + 1 + (batch++ % 2));
                var key = (fields[field], text[..length]);
                var measured = window.Contains(now);
                lock (typed)
                {
                    typed[key] = (now, measured);
                }

                if (measured)
                {
                    Interlocked.Increment(ref typingSent);
                }

                try
                {
                    await typist.InvokeAsync<long>("FieldValue", key.Item1, key.Item2, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    errors.Add($"fieldValue: {e.GetType().Name}: {e.Message}");
                    bool removed;
                    lock (typed)
                    {
                        removed = typed.Remove(key);
                    }

                    if (measured && removed)
                    {
                        Interlocked.Decrement(ref typingSent);
                    }
                }

                if (length == text.Length)
                {
                    pending.Add(ObserveAsync(typist.InvokeAsync<long>("CommitField", fields[field], cancellationToken), "commitField"));
                    Commits++;
                    field = (field + 1) % fields.Count;
                    text = Line(++line);
                    length = 0;
                    pending.Add(ObserveAsync(typist.InvokeAsync<long>("FieldFocus", fields[field], cancellationToken), "fieldFocus"));
                }
            }

            await Task.WhenAll(pending);
        }

        /// <summary>The <paramref name="number"/>-th line the customer types: an address, about 45 characters.</summary>
        private string Line(int number) => $"{number + 1} Load Test Street, flat {endpoint.SessionId.ToString()[..4]}, 1000 Brussels";

        private async Task ObserveAsync(Task call, string what)
        {
            try
            {
                await call;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }

        private void OnAdvisorFieldValue(FieldValueMessage message)
        {
            var received = Stopwatch.GetTimestamp();
            (long SentAt, bool Measured) sent;
            lock (typed)
            {
                if (!typed.Remove((message.FieldId, message.Value), out sent))
                {
                    Interlocked.Increment(ref typingUnmatched);
                    return;
                }

                if (sent.Measured)
                {
                    typingLatencies.Add((int)Math.Min(int.MaxValue, (received - sent.SentAt) / TicksPerMicrosecond));
                }
            }

            if (sent.Measured)
            {
                Interlocked.Increment(ref typingReceived);
            }
        }

        private void OnCustomerPageChange(PageChangeMessage message)
        {
            var received = Stopwatch.GetTimestamp();
            var p = message.Page;
            var sent = p >= 1 && p < sentAt.Length ? Volatile.Read(ref sentAt[p]) : 0;
            if (sent == 0)
            {
                Interlocked.Increment(ref unmatched);
                return;
            }

            Volatile.Write(ref sentAt[p], 0);
            if (Volatile.Read(ref sentMeasured[p]))
            {
                lock (latencies)
                {
                    latencies.Add((int)Math.Min(int.MaxValue, (received - sent) / TicksPerMicrosecond));
                }

                Interlocked.Increment(ref measuredReceived);
            }
        }

        private HubConnection Build(string? token, string? server, string side)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(endpoint.HubUrl, HttpTransportType.WebSockets, o =>
                {
                    o.SkipNegotiation = true;
                    if (token is not null)
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    }

                    if (server is not null)
                    {
                        o.Headers["Cookie"] = $"SRV={server}";
                    }

                    if (endpoint.AnyCertificate)
                    {
                        o.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, _, _, _) => true;
                    }
                })
                .Build();
            connection.On("sessionEnded", () => errors.Add($"{side}: the session ended during the run"));
            connection.Closed += e =>
            {
                if (!errors.Closing)
                {
                    errors.Add($"{side} connection closed: {e?.GetType().Name ?? "by the server"}: {e?.Message}");
                }

                return Task.CompletedTask;
            };
            return connection;
        }

        /// <summary>The document and page shown, and the document's page count (the relay has no documents: ten pages).</summary>
        private static (Guid DocumentId, int Page, int PageCount) ReadSnapshot(JsonElement snapshot)
        {
            var document = Property(snapshot, "documentId")?.GetGuid() ?? Guid.Empty;
            var page = Property(snapshot, "page")?.GetInt32() ?? 1;
            var pages = RelayPages;
            if (Property(snapshot, "documents") is { ValueKind: JsonValueKind.Array } documents)
            {
                foreach (var d in documents.EnumerateArray())
                {
                    if (Property(d, "documentId")?.GetGuid() == document)
                    {
                        pages = Property(d, "pageCount")?.GetInt32() ?? pages;
                    }
                }
            }

            if (pages < 2)
            {
                throw new InvalidOperationException($"The session shows a document of {pages} page; the load test needs at least 2 to change pages.");
            }

            return (document, page, pages);
        }

        private static JsonElement? Property(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in new[] { advisor, customer })
            {
                if (connection is not null)
                {
                    try
                    {
                        await connection.DisposeAsync();
                    }
                    catch (Exception)
                    {
                        // Closing after the measurement: nothing is measured any more.
                    }
                }
            }
        }
    }

    /// <summary>The part of the <c>pageChange</c> event the customer needs (other properties are ignored).</summary>
    private sealed record PageChangeMessage(long Version, Guid DocumentId, int Page);

    /// <summary>The part of the <c>fieldValue</c> event the advisor needs (other properties are ignored).</summary>
    private sealed record FieldValueMessage(Guid FieldId, string Value, long ValueVersion);
}
