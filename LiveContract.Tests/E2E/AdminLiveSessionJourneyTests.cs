using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>An administrator watches a live session from the administration and ends it for everyone.</summary>
public sealed class AdminLiveSessionJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";

    [Fact]
    public async Task An_admin_sees_both_people_connected_and_ends_the_session_for_the_customer_too()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var contract = await CreateContractAsync(app, advisor.Id);

        // The advisor starts the session and opens the live view.
        var advisorPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await advisorPage.GotoAsync($"contracts/{contract.Id}");
        var contractPage = new ContractPage(advisorPage);
        await contractPage.WaitForInteractiveAsync();
        await contractPage.Button("Start live session").ClickAsync();
        await advisorPage.GetByRole(AriaRole.Link, new() { Name = "Open live session" }).ClickAsync();
        var advisorView = new LiveSessionView(advisorPage);
        await Expect(advisorView.Heading).ToHaveTextAsync("Home insurance");

        // The customer opens the emailed link and joins.
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var customerPage = await browser.NewPageAsync(app);
        await customerPage.GotoAsync(Mailbox.JoinLink(email));
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        var customerView = new LiveSessionView(customerPage);
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(advisorView.Participant("Chloé Dupont")).ToContainTextAsync("connected");

        // The admin finds the session under Administration > Live sessions, with both connected.
        var adminPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(adminPage)).LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var sessions = await AdminSessionsPage.OpenFromNavigationAsync(adminPage);
        var row = sessions.ActiveRow(contract.Reference);
        await Expect(row).ToContainTextAsync("Home insurance");
        await Expect(row).ToContainTextAsync("Victor Advisor");
        await Expect(row).ToContainTextAsync("Chloé Dupont");
        await Expect(row).ToContainTextAsync("Advisor and customer");

        // Ending asks first, naming the contract and the customer.
        await adminPage.GetByRole(AriaRole.Button, new() { Name = $"End session of {contract.Reference} with Chloé Dupont" }).ClickAsync();
        await Expect(sessions.Dialog).ToContainTextAsync($"End the live session of {contract.Reference} (Home insurance) with Chloé Dupont?");
        await sessions.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(sessions.Dialog).ToHaveCountAsync(0);
        await Expect(customerView.Alerts.Filter(new() { HasText = "This session has ended." })).ToHaveCountAsync(0);

        await sessions.EndAsync(contract.Reference, "Chloé Dupont");

        // The customer's screen says so; the admin's list moves the session to the ended ones.
        await Expect(customerView.Alerts.Filter(new() { HasText = "This session has ended." })).ToBeVisibleAsync();
        await Expect(sessions.ActiveRow(contract.Reference)).ToHaveCountAsync(0);
        await Expect(sessions.EndedRow(contract.Reference)).ToContainTextAsync("Ada Admin");
    }

    private static async Task<ContractDetails> CreateContractAsync(LiveContractApp app, string advisorId)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        var contracts = app.Services.GetRequiredService<ContractService>();
        var contract = (await contracts.CreateAsync(actor, new NewContract("Home insurance", "Chloé Dupont", "chloe@example.com"))).Value!;
        using var content = new MemoryStream(FixturePdfs.Read(ClaimForm));
        Assert.True((await app.Services.GetRequiredService<DocumentService>().UploadAsync(actor, contract.Id, ClaimForm, content)).Succeeded);
        return (await contracts.GetAsync(actor, contract.Id)).Value!;
    }
}
