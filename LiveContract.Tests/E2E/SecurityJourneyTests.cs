using System.Text.Json;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>The security headers as Chromium applies them: what the policy refuses, what it lets work.</summary>
public sealed class SecurityJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_injected_inline_script_is_refused_and_the_violation_is_reported_to_the_test()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        var page = await browser.NewPageAsync(app);
        await LoginPage.OpenAsync(page);

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s); }");

        var violations = ContentSecurityPolicyWatch.Current;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (violations.All.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"), "The injected inline script ran.");
        // Expected here: taken away so that they do not fail this test.
        var reported = violations.TakeAll();
        Assert.Contains(reported, v => v.Contains("script-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scalar_works_under_its_policy_and_the_apps_own_scripts_may_change_things_through_the_api()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        var page = await browser.NewPageAsync(app);

        await page.GotoAsync("scalar/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "LiveContract API" }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Authenticate with the login cookie or a personal API token").First).ToBeVisibleAsync();
        // Scalar's bundle (its schema library) probes once whether Function("") works, and goes on
        // without it when refused; that probe is the only refusal Scalar causes.
        var scalarViolations = ContentSecurityPolicyWatch.Current.TakeAll();
        Assert.All(scalarViolations, v => Assert.Matches(@"^securitypolicyviolation on \S+/scalar/: script-src refused eval at \S+/scalar/scalar\.js:", v));

        await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        var status = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const response = await fetch("api/contracts", {
                    method: "POST",
                    headers: { "Content-Type": "application/json" },
                    body: JSON.stringify({ title: "From the page", customerName: "Chloé Dupont", customerEmail: "chloe@example.com" }),
                });
                return response.status;
            }
            """);
        Assert.Equal(201, status.GetInt32());
    }
}
