using System.Text.RegularExpressions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>An advisor prepares a contract in a real browser: create, upload, look, send for review.</summary>
public sealed class ContractJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_advisor_creates_a_contract_uploads_a_pdf_views_it_and_sends_it_for_review()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        var page = await browser.NewPageAsync(app);
        var dashboard = await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        await page.GetByRole(AriaRole.Button, new() { Name = "New contract" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync("Motor insurance 2027");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Customer full name" }).FillAsync("Chloé Dupont");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Customer email" }).FillAsync("chloe@example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create contract" }).ClickAsync();

        var contract = new ContractPage(page);
        await Expect(contract.Heading).ToHaveTextAsync("Motor insurance 2027");
        await Expect(contract.Reference).ToHaveTextAsync(new Regex(@"^LC-\d{4}-000001$"));
        await Expect(contract.Button("Send for review")).ToBeDisabledAsync();

        // A PNG with a .pdf name is refused with a message naming the problem.
        await contract.UploadAsync("photo.pdf", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        await Expect(contract.Alerts.Filter(new() { HasText = "photo.pdf" })).ToContainTextAsync("This file is not a PDF (it is a PNG image).");

        await contract.UploadAsync("motor-insurance-claim-form.pdf", FixturePdfs.Read("motor-insurance-claim-form.pdf"));
        await Expect(contract.Document("motor-insurance-claim-form.pdf")).ToContainTextAsync("3 pages");
        await Expect(contract.Document("photo.pdf")).ToHaveCountAsync(0);

        var viewer = await contract.ViewAsync("motor-insurance-claim-form.pdf");
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "1");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "2");
        await Expect(viewer).ToContainTextAsync("Page 2 of 3");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "3");
        await Expect(viewer).ToContainTextAsync("Page 3 of 3");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        Assert.True(await CanvasHasInkAsync(viewer), "The page canvas is blank.");

        await contract.Button("Send for review").ClickAsync();
        await Expect(page.GetByText("Review", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(contract.Upload).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove motor-insurance-claim-form.pdf" })).ToHaveCountAsync(0);
        await Expect(contract.Button("Back to draft")).ToBeEnabledAsync();

        // The dashboard lists it, in review.
        await page.GotoAsync("");
        await dashboard.WaitForInteractiveAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Motor insurance 2027" });
        await Expect(row).ToContainTextAsync("Chloé Dupont");
        await Expect(row).ToContainTextAsync("Review");
    }

    [Fact]
    public async Task Another_advisors_contract_is_not_found()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        var olga = await app.CreateUserAsync("Olga Other", "olga@example.com", Core.Accounts.Roles.Advisor, LiveContractApp.AdvisorPassword);
        var created = await app.Services.GetRequiredService<Core.Contracts.ContractService>()
            .CreateAsync(new Core.Common.Actor(olga.Id, false), new Core.Contracts.NewContract("Olga's", "Paul", "paul@example.com"));
        var page = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        await page.GotoAsync($"contracts/{created.Value!.Id}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Contract not found");
        await Expect(page.GetByText("Olga's")).ToHaveCountAsync(0);
    }

    private static Task<bool> CanvasHasInkAsync(ILocator viewer) =>
        viewer.Locator("canvas").First.EvaluateAsync<bool>("""
            canvas => {
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) return true;
                }
                return false;
            }
            """);
}
