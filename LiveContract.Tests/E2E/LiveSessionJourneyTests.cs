using System.Text.RegularExpressions;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>An advisor and a customer, each in their own browser, hold a live session from the emailed link.</summary>
public sealed class LiveSessionJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string Handbook = "icml03-081.pdf";

    [Fact]
    public async Task Advisor_and_customer_navigate_together_from_the_emailed_link_until_the_advisor_ends_the_session()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var contractId = await CreateContractAsync(app, advisor.Id, ClaimForm, Handbook);

        // The advisor starts the session from the contract page and opens the live view.
        var advisorPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await advisorPage.GotoAsync($"contracts/{contractId}");
        var contract = new ContractPage(advisorPage);
        await contract.WaitForInteractiveAsync();
        await contract.Button("Start live session").ClickAsync();
        var shownLink = advisorPage.GetByRole(AriaRole.Textbox, new() { Name = "Customer link" });
        await Expect(shownLink).ToHaveValueAsync(new Regex("/join/lcs_"));
        var linkShownToAdvisor = await shownLink.InputValueAsync();
        await advisorPage.GetByRole(AriaRole.Link, new() { Name = "Open live session" }).ClickAsync();
        var advisorView = new LiveSessionView(advisorPage);
        await Expect(advisorView.Heading).ToHaveTextAsync("Home insurance");
        await Expect(advisorView.Participant("Chloé Dupont")).ToContainTextAsync("not connected");

        // The customer opens the link from the email, sees who invites them, and joins.
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var link = Mailbox.JoinLink(email);
        Assert.Equal(linkShownToAdvisor, link);
        var customerPage = await browser.NewPageAsync(app);
        await customerPage.GotoAsync(link);
        await Expect(customerPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Home insurance");
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        var customerView = new LiveSessionView(customerPage);
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(advisorView.Participant("Chloé Dupont")).ToContainTextAsync("connected");
        await Expect(customerView.Participant("Victor Advisor")).ToContainTextAsync("connected");

        // The advisor turns to page 3: the customer follows.
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await advisorView.NextPageAsync();
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await advisorView.NextPageAsync();
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "3");
        await Expect(customerView.ViewerOf(ClaimForm)).ToContainTextAsync("Page 3 of 3");

        // With "Follow the advisor" off, the customer browses alone, then jumps back.
        await customerView.Follow.ClickAsync();
        await Expect(customerView.Follow).Not.ToBeCheckedAsync();
        await customerView.PreviousPageAsync();
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await advisorView.PreviousPageAsync();
        await advisorView.PreviousPageAsync();
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(customerView.Page.GetByText("Victor Advisor is showing motor-insurance-claim-form.pdf, page 1.")).ToBeVisibleAsync();
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await customerView.Button("Back to the advisor's page").ClickAsync();
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(customerView.Follow).ToBeCheckedAsync();

        // The advisor switches document: the customer follows.
        await advisorView.DocumentButton(Handbook).ClickAsync();
        await Expect(customerView.ViewerOf(Handbook)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(customerView.DocumentButton(Handbook)).ToHaveAttributeAsync("aria-current", "true");

        // The advisor points at a spot: the customer sees the marker there.
        var advisorHandbook = advisorView.ViewerOf(Handbook);
        await Expect(advisorHandbook).ToHaveAttributeAsync("data-rendered-page", "1");
        await advisorHandbook.Locator("canvas").ClickAsync(new() { Position = new() { X = 40, Y = 60 } });
        await Expect(customerPage.GetByRole(AriaRole.Img, new() { Name = "Pointer from Victor Advisor" })).ToBeVisibleAsync();

        // The customer's browser closes: the advisor sees them leave; they come back with the same link cookie.
        await customerPage.CloseAsync();
        await Expect(advisorView.Participant("Chloé Dupont")).ToContainTextAsync("left at");
        customerPage = await customerPage.Context.NewPageAsync();
        await customerPage.GotoAsync(link);
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        customerView = new LiveSessionView(customerPage);
        await Expect(customerView.ViewerOf(Handbook)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(advisorView.Participant("Chloé Dupont")).ToContainTextAsync("— connected");

        // The advisor ends the session: the customer sees it ended, and the link no longer works.
        await advisorPage.GotoAsync($"contracts/{contractId}");
        await contract.WaitForInteractiveAsync();
        await contract.Button("End session").ClickAsync();
        await advisorPage.GetByRole(AriaRole.Button, new() { Name = "End for everyone" }).ClickAsync();
        await Expect(customerView.Alerts.Filter(new() { HasText = "This session has ended." })).ToBeVisibleAsync();
        await Expect(contract.Button("Start live session")).ToBeVisibleAsync();

        var late = await browser.NewPageAsync(app);
        await late.GotoAsync(link);
        await Expect(late.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("This session has ended");
        await Expect(late.GetByText("Home insurance")).ToHaveCountAsync(0);
    }

    private static async Task<Guid> CreateContractAsync(LiveContractApp app, string advisorId, params string[] fixtures)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        var contract = (await app.Services.GetRequiredService<ContractService>()
            .CreateAsync(actor, new NewContract("Home insurance", "Chloé Dupont", "chloe@example.com"))).Value!;
        var documents = app.Services.GetRequiredService<DocumentService>();
        foreach (var fixture in fixtures)
        {
            using var content = new MemoryStream(FixturePdfs.Read(fixture));
            Assert.True((await documents.UploadAsync(actor, contract.Id, fixture, content)).Succeeded);
        }

        return contract.Id;
    }
}
