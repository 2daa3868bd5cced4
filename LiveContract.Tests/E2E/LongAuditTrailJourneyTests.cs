using System.Diagnostics;
using System.Text.RegularExpressions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>A contract whose trail is as long as issue #17's flood left it (6,000 joins and leaves) opens and becomes interactive quickly in a real browser.</summary>
public sealed class LongAuditTrailJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>Before paging, this page took 15.5 s to become interactive with an 8 MB DOM; loose, because tests share two cores.</summary>
    private static readonly TimeSpan InteractiveBudget = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task The_contract_page_shows_the_newest_fifty_events_of_a_long_trail_and_is_interactive_quickly()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var page = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        var path = $"contracts/{session.Contract.Id}";
        await OpenInteractiveAsync(page, path);

        await AuditSeed.AppendPresenceAsync(app, session.Contract.Id, session.SessionId, 6_000);
        var interactive = await OpenInteractiveAsync(page, path);

        var dom = await page.EvaluateAsync<int>("document.documentElement.outerHTML.length");
        output.WriteLine($"Contract page with a 6,000-event trail: interactive after {interactive.TotalMilliseconds:0} ms, DOM {dom:N0} characters.");
        var trail = page.GetByRole(AriaRole.Region, new() { Name = "Audit trail events" });
        await Expect(trail.Locator("tbody tr")).ToHaveCountAsync(50);
        await Expect(page.GetByTestId("audit-shown")).ToHaveTextAsync(new Regex(@"^Showing the newest 50 of 6,0\d\d events\.$"));
        Assert.True(interactive < InteractiveBudget, $"The contract page became interactive after {interactive.TotalMilliseconds:0} ms.");
        Assert.True(dom < 1_000_000, $"The page's DOM is {dom:N0} characters.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show earlier events" }).ClickAsync();
        await Expect(trail.Locator("tbody tr")).ToHaveCountAsync(100);
    }

    private static async Task<TimeSpan> OpenInteractiveAsync(IPage page, string path)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path);
        await page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return clock.Elapsed;
    }
}
