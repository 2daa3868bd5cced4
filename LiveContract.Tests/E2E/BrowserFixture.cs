using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;

namespace LiveContract.Tests.E2E;

/// <summary>Debian's Chromium, headless, driven by Playwright; one browser per test class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(TestServers.Chromium))
        {
            throw new InvalidOperationException($"Chromium is not at {TestServers.Chromium}. Run the tests with ./test.sh, which installs it.");
        }

        // Tests run in parallel on small machines: drawing a large PDF can take seconds there.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestServers.Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A fresh browser profile (cookies, storage) for one person.</summary>
    public async Task<IPage> NewPageAsync(LiveContractApp app)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>A page on a phone of its own: a touch screen of <paramref name="width"/> × <paramref name="height"/> CSS pixels at two device pixels each.</summary>
    public async Task<IPage> NewPhonePageAsync(LiveContractApp app, int width = 390, int height = 844)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A fresh browser profile with <paramref name="options"/>, whose every page reports Content
    /// Security Policy violations to the running test, which then fails (<see cref="ContentSecurityPolicyWatch"/>).
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var watch = ContentSecurityPolicyWatch.Current;
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                watch.Report($"console {message.Type} on {message.Page?.Url}: {message.Text}");
            }
        };
        await context.ExposeBindingAsync(ContentSecurityPolicyWatch.BindingName, (BindingSource source, string violation) => watch.Report($"securitypolicyviolation on {source.Page?.Url}: {violation}"));
        await context.AddInitScriptAsync(ContentSecurityPolicyWatch.InitScript);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
