using System.Text.RegularExpressions;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>An advisor leaves: the admin deactivates them and another advisor takes their contract over.</summary>
public sealed class AdministrationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_deactivates_an_advisor_and_their_contract_goes_to_another_advisor()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, victor) = await app.CreateStaffAsync();
        await app.CreateUserAsync("Olga Other", "olga@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        await app.Services.GetRequiredService<ContractService>()
            .CreateAsync(new Actor(victor.Id, IsAdmin: false), new NewContract("Motor insurance 2027", "Chloé Dupont", "chloe@example.com"));

        var adminPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(adminPage)).LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var users = await UsersPage.OpenAsync(adminPage);
        await Expect(users.Row("advisor@example.com")).ToContainTextAsync("Active");

        await users.Page.GetByRole(AriaRole.Button, new() { Name = "Deactivate Victor Advisor" }).ClickAsync();
        await Expect(users.Dialog).ToContainTextAsync("1 open contract (draft or review) go to the advisor you choose");
        await Expect(users.Dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true })).ToBeDisabledAsync();
        await users.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await users.DeactivateAsync("Victor Advisor", "Olga Other (olga@example.com)");

        await Expect(users.Row("advisor@example.com")).ToContainTextAsync("Deactivated");
        await Expect(users.Row("olga@example.com")).ToContainTextAsync("Active");
        await Expect(users.Page.GetByRole(AriaRole.Button, new() { Name = "Reactivate Victor Advisor" })).ToBeVisibleAsync();

        // Olga finds the contract on her dashboard and opens it as its advisor.
        var olgaPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(olgaPage)).LogInAsync("olga@example.com", LiveContractApp.AdvisorPassword);
        var row = olgaPage.GetByRole(AriaRole.Region, new() { Name = "Contracts" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Motor insurance 2027" });
        await Expect(row).ToContainTextAsync("Chloé Dupont");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(new ContractPage(olgaPage).Heading).ToHaveTextAsync("Motor insurance 2027");
        await Expect(olgaPage.GetByText("Read-only")).ToHaveCountAsync(0);

        // Victor can no longer sign in.
        var victorPage = await browser.NewPageAsync(app);
        var login = await LoginPage.OpenAsync(victorPage);
        await login.SubmitAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await Expect(victorPage).ToHaveURLAsync(new Regex("/Account/(Lockout|Login)"));
        await victorPage.GotoAsync("");
        await Expect(victorPage).ToHaveURLAsync(new Regex("/Account/Login"));
    }
}
