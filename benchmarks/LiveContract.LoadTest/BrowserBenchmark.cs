using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace LiveContract.LoadTest;

/// <summary>
/// Two real browser pages on the live view, the advisor's and the customer's: the time from the
/// advisor's click on "Next page" or "Previous page" to the customer's viewer showing that page;
/// then the server's resident memory per Blazor circuit with many live views open.
/// </summary>
public static class BrowserBenchmark
{
    private const int DocumentPages = 10;
    private const int PagesPerContext = 10;
    private const string Chromium = "/usr/bin/chromium";

    // Installed in the customer's page: notes (Date.now(), the same clock in every page) when the
    // page indicator first says "Page N of" and when the viewer first has page N rendered.
    private const string CustomerProbe = """
        expected => {
            const region = document.querySelector('.pdf-viewer');
            const mark = window.__lcMark = { expected, indicator: null, rendered: null };
            const check = () => {
                const now = Date.now();
                const text = region.querySelector('.pdf-viewer-position')?.textContent ?? '';
                if (mark.indicator === null && text.startsWith(`Page ${expected} of`)) mark.indicator = now;
                if (mark.rendered === null && region.dataset.renderedPage === String(expected)) mark.rendered = now;
                if (mark.indicator !== null && mark.rendered !== null) observer.disconnect();
            };
            window.__lcObserver?.disconnect();
            const observer = window.__lcObserver = new MutationObserver(check);
            observer.observe(region, { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """;

    // Installed in the advisor's page: notes when the click reaches the page.
    private const string AdvisorProbe = """
        () => {
            if (window.__lcClickProbe) return;
            window.__lcClickProbe = true;
            window.addEventListener('click', () => { window.__lcClickAt = Date.now(); }, { capture: true });
        }
        """;

    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"Chromium is not at {Chromium}; install it (apt-get install chromium) and run again.");
        }

        var machine = MachineInfo.Current();
        Console.Error.WriteLine($"Machine: {machine.Describe()}");
        using var installation = await AppInstallation.CreateAsync(options.AppDirectory, options.KeepData, options.AppSettings, cancellationToken);
        await using var server = await installation.StartAsync(cancellationToken);
        Console.Error.WriteLine($"[browser] app at {server.BaseAddress} (pid {server.ProcessId}).");
        try
        {

            StartedSession session;
            using (var api = new LiveContractApi(server.BaseAddress, installation.ApiToken))
            {
                session = await api.CreateSessionAsync(1, SamplePdf.Create(DocumentPages), 0, cancellationToken);
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                ],
            });

            var advisorContext = await NewContextAsync(browser, server.BaseAddress);
            await LogInAsync(advisorContext, cancellationToken);
            var advisor = await advisorContext.NewPageAsync();
            await OpenLiveViewAsync(advisor, $"sessions/{session.SessionId}");

            var customerContext = await NewContextAsync(browser, server.BaseAddress);
            var customer = await customerContext.NewPageAsync();
            await customer.GotoAsync(session.CustomerLink);
            await customer.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
            await customer.WaitForURLAsync("**/sessions/**");
            await WaitForRenderedPageAsync(customer, 1);

            Console.Error.WriteLine($"[browser] advisor and customer on the live view; timing {options.BrowserChanges} page changes…");
            var changes = await TimePageChangesAsync(advisor, customer, options.BrowserChanges, cancellationToken);

            Console.Error.WriteLine($"[browser] opening {options.Circuits} more live views of the advisor…");
            var circuits = await MeasureCircuitsAsync(browser, server, session.SessionId, options.Circuits, cancellationToken);

            var report = BrowserReport(machine, options, changes, circuits);
            Console.WriteLine(report);
            if (options.Output is not null)
            {
                await File.WriteAllTextAsync(options.Output, report, cancellationToken);
                Console.Error.WriteLine($"Report written to {options.Output}.");
            }

        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or PlaywrightException)
        {
            Console.Error.WriteLine($"The app's last output:{Environment.NewLine}{server.Output}");
            throw;
        }

        return 0;
    }

    private static async Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri baseAddress)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    private static async Task LogInAsync(IBrowserContext context, CancellationToken cancellationToken)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(AppInstallation.AdvisorEmail);
        await page.GetByLabel("Password").FillAsync(AppInstallation.AdvisorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        cancellationToken.ThrowIfCancellationRequested();
        await page.CloseAsync();
    }

    private static async Task OpenLiveViewAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        try
        {
            await WaitForRenderedPageAsync(page, null);
        }
        catch (TimeoutException)
        {
            var text = await page.Locator("body").InnerTextAsync();
            throw new InvalidOperationException($"The live view at {page.Url} showed no rendered page within a minute. It said: {text[..Math.Min(text.Length, 600)]}");
        }
    }

    private static Task WaitForRenderedPageAsync(IPage page, int? number) =>
        page.Locator(number is null ? ".pdf-viewer[data-rendered-page]" : $".pdf-viewer[data-rendered-page='{number}']")
            .WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    /// <summary>Clicks through the document (forward to the last page, back to the first, …) and times each change on the customer's side.</summary>
    private static async Task<List<PageChangeTiming>> TimePageChangesAsync(IPage advisor, IPage customer, int count, CancellationToken cancellationToken)
    {
        await advisor.EvaluateAsync(AdvisorProbe);
        var next = advisor.GetByRole(AriaRole.Button, new() { Name = "Next page" });
        var previous = advisor.GetByRole(AriaRole.Button, new() { Name = "Previous page" });
        var timings = new List<PageChangeTiming>(count);
        var page = 1;
        var forward = true;
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (forward && page == DocumentPages || !forward && page == 1)
            {
                forward = !forward;
            }

            page += forward ? 1 : -1;
            await customer.EvaluateAsync(CustomerProbe, page);
            var started = Stopwatch.GetTimestamp();
            await (forward ? next : previous).ClickAsync();
            await customer.WaitForFunctionAsync(
                "() => window.__lcMark.indicator !== null && window.__lcMark.rendered !== null",
                null,
                new PageWaitForFunctionOptions { PollingInterval = null, Timeout = 30_000 });
            var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var clickAt = await advisor.EvaluateAsync<double>("() => window.__lcClickAt");
            var indicatorAt = await customer.EvaluateAsync<double>("() => window.__lcMark.indicator");
            var renderedAt = await customer.EvaluateAsync<double>("() => window.__lcMark.rendered");
            timings.Add(new PageChangeTiming(page, indicatorAt - clickAt, renderedAt - clickAt, wall));

            // Let the advisor's own viewer settle, as a person would, before the next click.
            await WaitForRenderedPageAsync(advisor, page);
            await Task.Delay(200, cancellationToken);
        }

        return timings;
    }

    private static async Task<CircuitMemory> MeasureCircuitsAsync(IBrowser browser, ChildServer server, Guid sessionId, int count, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = server.Sample();
        var contexts = new List<IBrowserContext>();
        var opened = 0;
        while (opened < count)
        {
            var context = await NewContextAsync(browser, server.BaseAddress);
            contexts.Add(context);
            await LogInAsync(context, cancellationToken);
            for (var i = 0; i < PagesPerContext && opened < count; i++, opened++)
            {
                var page = await context.NewPageAsync();
                await OpenLiveViewAsync(page, $"sessions/{sessionId}");
            }

            Console.Error.WriteLine($"[browser] {opened} circuits open");
        }

        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var after = server.Sample();
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        return new CircuitMemory(count, before.ResidentBytes, after.ResidentBytes);
    }

    private static string BrowserReport(MachineInfo machine, LoadTestOptions options, List<PageChangeTiming> changes, CircuitMemory circuits)
    {
        static double Percentile(IEnumerable<double> values, double p)
        {
            var sorted = values.Order().ToArray();
            return sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        }

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### Browser to browser, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}. Headless Chromium ({Chromium}), advisor and customer in two browser contexts on /sessions/{{id}}, {changes.Count} page changes.");
        md.AppendLine();
        md.AppendLine("| From the advisor's click to the customer's … | median | p95 | max |");
        md.AppendLine("|---|---:|---:|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| page indicator (\"Page N of M\") | {Percentile(changes.Select(c => c.IndicatorMs), 50):F0} ms | {Percentile(changes.Select(c => c.IndicatorMs), 95):F0} ms | {changes.Max(c => c.IndicatorMs):F0} ms |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| page rendered (pdf.js canvas drawn) | {Percentile(changes.Select(c => c.RenderedMs), 50):F0} ms | {Percentile(changes.Select(c => c.RenderedMs), 95):F0} ms | {changes.Max(c => c.RenderedMs):F0} ms |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| (tool's wall clock: click call to both seen) | {Percentile(changes.Select(c => c.WallMs), 50):F0} ms | {Percentile(changes.Select(c => c.WallMs), 95):F0} ms | {changes.Max(c => c.WallMs):F0} ms |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Blazor circuits: {circuits.Count} more live views of the session open (advisor, {PagesPerContext} tabs per browser context).");
        md.AppendLine();
        md.AppendLine("| Server RSS before | with the circuits | per circuit |");
        md.AppendLine("|---:|---:|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| {circuits.BeforeBytes / 1048576.0:F0} MiB | {circuits.AfterBytes / 1048576.0:F0} MiB | {circuits.PerCircuitBytes / 1024:F0} KiB |");
        return md.ToString();
    }

    private sealed record PageChangeTiming(int Page, double IndicatorMs, double RenderedMs, double WallMs);

    private sealed record CircuitMemory(int Count, long BeforeBytes, long AfterBytes)
    {
        public double PerCircuitBytes => Count == 0 ? double.NaN : (AfterBytes - BeforeBytes) / (double)Count;
    }
}
