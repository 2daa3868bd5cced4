using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace LiveContract.LoadTest;

/// <summary>
/// From the last signature to the signed PDF in the session (<c>sealing</c>): for each of N
/// contracts, one after the other, the customer (the only required signer) is in the live session
/// on the hub and signs through the API; measured is the time from the Sign call's answer to the
/// <c>contractSealed</c> event reaching that hub client. Then, for a few more contracts, the
/// customer is on the live view in a real browser and measured is the time from the Sign call's
/// answer to the page showing "Download signed PDF". The app runs with the identity check off
/// (the benchmark signs through the API without codes).
/// </summary>
public static class SealingBenchmark
{
    private const string Chromium = "/usr/bin/chromium";
    private const int DocumentPages = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    // Installed in the customer's page before the signature: notes (Date.now()) when the download link first shows.
    private const string DownloadProbe = """
        () => {
            window.__lcDownloadAt = null;
            const seen = () => [...document.querySelectorAll('[data-testid=signing-panel] a')].some(a => a.textContent.trim() === 'Download signed PDF');
            if (seen()) { window.__lcDownloadAt = Date.now(); return; }
            const observer = new MutationObserver(() => {
                if (window.__lcDownloadAt === null && seen()) { window.__lcDownloadAt = Date.now(); observer.disconnect(); }
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        Console.Error.WriteLine($"Machine: {machine.Describe()}");
        var settings = new Dictionary<string, string>(options.AppSettings) { ["IdentityCheck__Enabled"] = "false" };
        using var installation = await AppInstallation.CreateAsync(options.AppDirectory, options.KeepData, settings, cancellationToken);
        await using var server = await installation.StartAsync(cancellationToken);
        Console.Error.WriteLine($"[sealing] app at {server.BaseAddress} (pid {server.ProcessId}).");
        var load = await LoadAverageAsync();
        var pdf = SamplePdf.Create(DocumentPages);
        var png = SignaturePng();
        try
        {
            using var api = new LiveContractApi(server.BaseAddress, installation.ApiToken);

            // One contract first, not measured: the first sealing makes the installation's certificate and warms everything up.
            await SignOverHubAsync(api, server.BaseAddress, 0, pdf, png, cancellationToken);

            var hub = new List<Timing>();
            for (var i = 1; i <= options.Signings; i++)
            {
                hub.Add(await SignOverHubAsync(api, server.BaseAddress, i, pdf, png, cancellationToken));
                Console.Error.WriteLine($"[sealing] hub {i}/{options.Signings}: sign {hub[^1].SignMs:F0} ms, then contractSealed after {hub[^1].SealedMs:F0} ms");
            }

            var browser = new List<Timing>();
            if (options.BrowserSignings > 0)
            {
                if (!File.Exists(Chromium))
                {
                    throw new InvalidOperationException($"Chromium is not at {Chromium}; install it (apt-get install chromium) or pass --browser-signings 0.");
                }

                using var playwright = await Playwright.CreateAsync();
                await using var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
                for (var i = 1; i <= options.BrowserSignings; i++)
                {
                    browser.Add(await SignInBrowserAsync(api, chromium, server.BaseAddress, 1000 + i, pdf, png, cancellationToken));
                    Console.Error.WriteLine($"[sealing] browser {i}/{options.BrowserSignings}: sign {browser[^1].SignMs:F0} ms, then download shown after {browser[^1].SealedMs:F0} ms");
                }
            }

            var report = Report(machine, load, options, hub, browser);
            await HubBenchmark.WriteAsync(report, options, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or PlaywrightException or HttpRequestException)
        {
            Console.Error.WriteLine($"The app's last output:{Environment.NewLine}{server.Output}");
            throw;
        }

        return 0;
    }

    /// <summary>A contract in review whose customer is in the session on the hub signs through the API; times the answer and the <c>contractSealed</c> that follows.</summary>
    private static async Task<Timing> SignOverHubAsync(LiveContractApi api, Uri baseAddress, int number, byte[] pdf, byte[] png, CancellationToken cancellationToken)
    {
        var session = await api.CreateSessionAsync(number, pdf, 0, cancellationToken, inReview: true);
        var sealedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(session.HubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(session.CustomerToken);
            })
            .Build();
        hub.On<JsonElement>("contractSealed", _ => sealedAt.TrySetResult(Stopwatch.GetTimestamp()));
        await hub.StartAsync(cancellationToken);
        await hub.InvokeAsync<JsonElement>("Join", session.SessionId, cancellationToken);

        using var customer = CustomerClient(baseAddress, session.CustomerToken);
        var (signStarted, signAnswered) = await SignAsync(customer, session.SessionId, number, png, cancellationToken);
        var sealedTicks = await sealedAt.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new Timing(Ms(signStarted, signAnswered), Ms(signAnswered, sealedTicks));
    }

    /// <summary>The same with the customer on the live view in Chromium: times the Sign call's answer to "Download signed PDF" on the page.</summary>
    private static async Task<Timing> SignInBrowserAsync(LiveContractApi api, IBrowser browser, Uri baseAddress, int number, byte[] pdf, byte[] png, CancellationToken cancellationToken)
    {
        var session = await api.CreateSessionAsync(number, pdf, 0, cancellationToken, inReview: true);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        try
        {
            context.SetDefaultTimeout(60_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync(session.CustomerLink);
            await page.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
            await page.WaitForURLAsync("**/sessions/**");
            await page.GetByTestId("signing-panel").GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).WaitForAsync();
            await page.EvaluateAsync(DownloadProbe);

            using var customer = CustomerClient(baseAddress, session.CustomerToken);
            var (signStarted, signAnswered) = await SignAsync(customer, session.SessionId, number, png, cancellationToken);
            var answeredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Ms(signAnswered, Stopwatch.GetTimestamp());
            await page.WaitForFunctionAsync("() => window.__lcDownloadAt !== null", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 20 });
            var shownAt = await page.EvaluateAsync<double>("() => window.__lcDownloadAt");
            return new Timing(Ms(signStarted, signAnswered), shownAt - answeredAt);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Reads the consent and signs as the customer; answers when the call started and when its answer arrived (stopwatch ticks).</summary>
    private static async Task<(long Started, long Answered)> SignAsync(HttpClient customer, Guid sessionId, int number, byte[] png, CancellationToken cancellationToken)
    {
        var consent = await customer.GetFromJsonAsync<JsonElement>($"api/sessions/{sessionId}/signing/consent", Json, cancellationToken);
        var request = new { fullName = $"Customer {number}", signaturePng = Convert.ToBase64String(png), consentSha256 = consent.GetProperty("sha256").GetString() };
        var started = Stopwatch.GetTimestamp();
        using var signed = await customer.PostAsJsonAsync($"api/sessions/{sessionId}/signatures", request, Json, cancellationToken);
        var answered = Stopwatch.GetTimestamp();
        var body = await signed.Content.ReadAsStringAsync(cancellationToken);
        if (!signed.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signing as the customer answered {(int)signed.StatusCode}: {body}");
        }

        if (!JsonDocument.Parse(body).RootElement.GetProperty("contractSigned").GetBoolean())
        {
            throw new InvalidOperationException("The customer's signature did not make the contract Signed; the benchmark's contracts need no countersignature.");
        }

        return (started, answered);
    }

    private static HttpClient CustomerClient(Uri baseAddress, string token) => new()
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static string Report(MachineInfo machine, string load, LoadTestOptions options, List<Timing> hub, List<Timing> browser)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Last signature to signed PDF, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}. Load average when the app started: {load}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"{hub.Count} contracts one after the other (after one unmeasured), each with one {DocumentPages}-page PDF and the customer as the only signer, signing through `POST /api/sessions/{{id}}/signatures` while on the hub; {browser.Count} more with the customer on the live view in headless Chromium.");
        md.AppendLine();
        md.AppendLine("| Measured | n | median | p95 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        Row(md, "Sign call (request to answer)", hub.Concat(browser).Select(t => t.SignMs).ToList());
        Row(md, "Sign answered → `contractSealed` at the hub client", hub.Select(t => t.SealedMs).ToList());
        if (browser.Count > 0)
        {
            Row(md, "Sign answered → \"Download signed PDF\" shown in the browser", browser.Select(t => t.SealedMs).ToList());
        }

        var worst = hub.Select(t => t.SealedMs).Concat(browser.Select(t => t.SealedMs)).ToList();
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Target: p95 ≤ 1,500 ms → {(Percentile(worst, 95) <= 1500 ? "met" : "NOT met")} (p95 of all {worst.Count} measurements: {Percentile(worst, 95):F0} ms).");
        return md.ToString();
    }

    private static void Row(StringBuilder md, string what, List<double> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {values.Count} | {Percentile(values, 50):F0} ms | {Percentile(values, 95):F0} ms | {values.Max():F0} ms |");
    }

    private static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }

    private static async Task<string> LoadAverageAsync() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3)) : "unknown";

    /// <summary>A 300×100 RGBA PNG with a dark stroke across it, as a browser's signature pad exports one.</summary>
    private static byte[] SignaturePng()
    {
        const int width = 300, height = 100;
        var raw = new byte[height * (1 + (width * 4))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 4));
            for (var x = 0; x < width; x++)
            {
                if (Math.Abs(y - (20 + (x * 60 / width))) <= 2)
                {
                    raw.AsSpan(row + 1 + (x * 4), 4).Fill(0);
                    raw[row + 1 + (x * 4) + 3] = 255;
                }
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 6;
        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.HashToUInt32(typed));
        png.Write(number);
    }

    private sealed record Timing(double SignMs, double SealedMs);
}
