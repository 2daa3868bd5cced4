using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>An administrator reads the system audit stream and checks every chain, in a real browser.</summary>
public sealed class AdminAuditJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_sees_their_own_sign_in_and_verifies_every_chain()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();

        var page = await browser.NewPageAsync(app);
        var login = await LoginPage.OpenAsync(page);
        var home = await login.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var audit = await AuditPage.OpenFromAdministrationAsync(home);

        await Expect(audit.Heading).ToHaveTextAsync("Administration");
        await Expect(audit.SystemStream).ToContainTextAsync("admin@example.com signed in");
        await Expect(audit.SystemStream).ToContainTextAsync("Ada Admin");

        await audit.VerifyAllChainsAsync();

        await Expect(audit.VerificationResult).ToContainTextAsync("all intact");
        await Expect(audit.SystemStream).ToContainTextAsync("Every audit chain verified");
    }
}
