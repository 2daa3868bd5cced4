using System.Text.RegularExpressions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>
/// Fields from placing to the sealed PDF in two browsers: the advisor places a customer's text field,
/// a customer's checkbox and an advisor's field on page 2 of a real PDF; in the live session each
/// fills in their own, sees the other's as it is typed and cannot change it; Sign waits for the
/// required fields; the values survive a reload; the sealed PDF carries them on their page and verifies.
/// </summary>
public sealed class FieldsJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string CustomerName = "Chloé Dupont";
    private const string AdvisorReference = "REF-4711";

    /// <summary>Sealing runs in the background after the last signature; give it longer than a click.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Sealed = new() { Timeout = 60_000 };

    [Fact]
    public async Task Fields_placed_by_the_advisor_are_filled_live_by_each_party_and_burned_into_the_sealed_pdf()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();

        // The advisor creates the contract and uploads the claim form.
        var advisorPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await advisorPage.GetByRole(AriaRole.Button, new() { Name = "New contract" }).ClickAsync();
        var newContract = advisorPage.GetByRole(AriaRole.Dialog);
        await newContract.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync("Motor claim");
        await newContract.GetByRole(AriaRole.Textbox, new() { Name = "Customer full name" }).FillAsync(CustomerName);
        await newContract.GetByRole(AriaRole.Textbox, new() { Name = "Customer email" }).FillAsync("chloe@example.com");
        await newContract.GetByRole(AriaRole.Button, new() { Name = "Create contract" }).ClickAsync();
        var contract = new ContractPage(advisorPage);
        await Expect(contract.Heading).ToHaveTextAsync("Motor claim");
        await contract.UploadAsync(ClaimForm, FixturePdfs.Read(ClaimForm));
        await Expect(contract.Document(ClaimForm)).ToContainTextAsync("3 pages");

        // On page 2 it draws the customer's name field, then adds the customer's checkbox and its own field with the dialog.
        var viewer = await contract.ViewAsync(ClaimForm);
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "2");
        var editor = new FieldEditorPanel(advisorPage, viewer);
        await Expect(editor.Panel).ToContainTextAsync($"{ClaimForm} has no fields.");
        await editor.DrawBoxAsync((0.20f, 0.72f), (0.55f, 0.75f));
        await editor.SaveFieldAsync("Full name", "Customer", required: true);
        await editor.ChooseKindAsync("Checkbox");
        await editor.AddToThisPageAsync();
        await editor.SaveFieldAsync("I accept the terms", "Customer", required: true, at: (120, 150));
        await editor.ChooseKindAsync("Text");
        await editor.AddToThisPageAsync();
        await editor.SaveFieldAsync("Advisor reference", "Advisor", required: true, at: (120, 100));
        var fields = editor.List(ClaimForm).GetByRole(AriaRole.Listitem);
        await Expect(fields).ToHaveCountAsync(3);
        await Expect(fields.Filter(new() { HasText = "Full name" })).ToContainTextAsync("Text, customer, required, page 2");
        await Expect(fields.Filter(new() { HasText = "I accept the terms" })).ToContainTextAsync("Checkbox, customer, required, page 2");
        await Expect(fields.Filter(new() { HasText = "Advisor reference" })).ToContainTextAsync("Text, advisor, required, page 2");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Move or edit Full name" })).ToBeVisibleAsync();

        // It sends the contract for review, starts the session and shows page 2.
        await contract.Button("Send for review").ClickAsync();
        await Expect(contract.Button("Back to draft")).ToBeVisibleAsync();
        await contract.Button("Start live session").ClickAsync();
        await advisorPage.GetByRole(AriaRole.Link, new() { Name = "Open live session" }).ClickAsync();
        var advisorView = new LiveSessionView(advisorPage);
        await Expect(advisorView.Heading).ToHaveTextAsync("Motor claim");
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await advisorView.NextPageAsync();
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await Expect(advisorView.Sign).ToBeDisabledAsync();
        await Expect(advisorView.SigningPanel.GetByTestId("sign-missing")).ToHaveTextAsync("Fill in the required fields first: Advisor reference.");

        // The customer joins from the emailed link and follows the advisor to page 2.
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var link = Mailbox.JoinLink(email);
        var customerPage = await browser.NewPageAsync(app);
        await customerPage.GotoAsync(link);
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        var customerView = new LiveSessionView(customerPage);
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        var customerName = Field(customerView, AriaRole.Textbox, "Full name (required)");
        var customerTerms = Field(customerView, AriaRole.Checkbox, "I accept the terms (required)");
        var customerSeesReference = Field(customerView, AriaRole.Textbox, "Advisor reference (required)");
        var advisorSeesName = Field(advisorView, AriaRole.Textbox, "Full name (required)");
        var advisorSeesTerms = Field(advisorView, AriaRole.Checkbox, "I accept the terms (required)");
        var advisorReference = Field(advisorView, AriaRole.Textbox, "Advisor reference (required)");

        // Sign waits for the customer's required fields, naming them.
        await Expect(customerView.Sign).ToBeDisabledAsync();
        var customerMissing = customerView.SigningPanel.GetByTestId("sign-missing");
        await Expect(customerMissing).ToContainTextAsync("Full name");
        await Expect(customerMissing).ToContainTextAsync("I accept the terms");
        await Expect(customerView.Sign).ToHaveAttributeAsync("aria-describedby", (await customerMissing.GetAttributeAsync("id"))!);

        // The customer types the name: the advisor sees it as it is typed, read-only.
        await Expect(customerName).ToBeEditableAsync();
        await customerName.PressSequentiallyAsync(CustomerName);
        await Expect(customerName).ToHaveValueAsync(CustomerName);
        await Expect(advisorSeesName).ToHaveValueAsync(CustomerName);
        await Expect(advisorSeesName).Not.ToBeEditableAsync();
        await Expect(advisorSeesTerms).ToBeDisabledAsync();
        await Expect(customerMissing).ToHaveTextAsync("Fill in the required fields first: I accept the terms.");
        await Expect(customerView.Sign).ToBeDisabledAsync();

        // The advisor fills in its own field; the customer sees it and cannot type into it.
        await advisorReference.FillAsync(AdvisorReference);
        await advisorReference.BlurAsync();
        await Expect(advisorView.SigningPanel.GetByTestId("sign-missing")).ToHaveCountAsync(0);
        await Expect(advisorView.Sign).ToBeEnabledAsync();
        await Expect(customerSeesReference).ToHaveValueAsync(AdvisorReference);
        await Expect(customerSeesReference).Not.ToBeEditableAsync();
        await customerSeesReference.ClickAsync();
        await customerPage.Keyboard.TypeAsync("x");
        await Expect(customerSeesReference).ToHaveValueAsync(AdvisorReference);
        await Expect(advisorReference).ToHaveValueAsync(AdvisorReference);

        // Each box on the page says what it is; Next missing field highlights the terms' box and moves the focus into it.
        await Expect(customerName.Locator("..").GetByText("Full name", new() { Exact = true })).ToBeVisibleAsync();
        await customerView.Button("Next missing field").ClickAsync();
        await Expect(customerTerms).ToBeFocusedAsync();
        await Expect(customerTerms.Locator("..")).ToHaveClassAsync(new Regex(@"\blive-field-highlight\b"));

        // The customer accepts the terms: Sign is ready, and the advisor sees the tick.
        await customerTerms.CheckAsync();
        await Expect(advisorSeesTerms).ToBeCheckedAsync();
        await Expect(customerMissing).ToHaveCountAsync(0);
        await Expect(customerView.Sign).ToBeEnabledAsync();
        await Expect(customerView.Page.GetByTestId("progress-customer")).ToHaveTextAsync("Customer: 2 of 2 required fields done");
        await Expect(advisorView.Page.GetByTestId("progress-customer")).ToHaveTextAsync("Customer: 2 of 2 required fields done");

        // The values survive a reload of the customer's page.
        await customerPage.ReloadAsync();
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await Expect(customerName).ToHaveValueAsync(CustomerName);
        await Expect(customerTerms).ToBeCheckedAsync();
        await Expect(customerSeesReference).ToHaveValueAsync(AdvisorReference);
        await Expect(customerView.Sign).ToBeEnabledAsync();

        // Both sign; the fields freeze at the first signature.
        var customerDialog = await customerView.OpenSignDialogAsync();
        await customerDialog.AgreeAndContinueAsync();
        await customerDialog.FullName.FillAsync(CustomerName);
        await customerDialog.DrawSignatureAsync();
        await Expect(customerDialog.PadStatus).ToHaveTextAsync("Your signature is drawn.");
        await customerDialog.ContinueToConfirmAsync();
        await customerDialog.Button("Sign the contract").ClickAsync();
        await Expect(customerDialog.Dialog).ToHaveCountAsync(0);
        await Expect(customerView.Signer("Customer")).ToHaveTextAsync(SignedLine("Customer", CustomerName));
        await Expect(customerName).Not.ToBeEditableAsync();
        await Expect(advisorView.Page.GetByTestId("fields-frozen")).ToBeVisibleAsync();
        await Expect(advisorReference).Not.ToBeEditableAsync();

        var advisorDialog = await advisorView.OpenSignDialogAsync();
        await advisorDialog.AgreeAndContinueAsync();
        await advisorDialog.FullName.FillAsync("Victor Advisor");
        await advisorDialog.Button("Use my typed name as my signature").ClickAsync();
        await advisorDialog.ContinueToConfirmAsync();
        await advisorDialog.Button("Sign the contract").ClickAsync();
        await Expect(advisorDialog.Dialog).ToHaveCountAsync(0);
        await Expect(customerView.SignedBanner).ToBeVisibleAsync();

        // The sealed PDF has the values on page 2, not on page 1, and its signature covers the whole file.
        await Expect(customerView.DownloadSignedPdf).ToBeVisibleAsync(Sealed);
        var download = await customerPage.RunAndWaitForDownloadAsync(() => customerView.DownloadSignedPdf.ClickAsync());
        Assert.Null(await download.FailureAsync());
        var signedPdf = await ReadAsync(download);
        var page2 = await SealingTestTools.PageTextAsync(signedPdf, 2);
        Assert.Contains(CustomerName, page2);
        Assert.Contains(AdvisorReference, page2);
        Assert.DoesNotContain(CustomerName, await SealingTestTools.PageTextAsync(signedPdf, 1));
        var report = await SealingTestTools.PdfSigAsync(signedPdf);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("Total document signed", report);
    }

    /// <summary>A field as the overlay on the page shown puts it, by role and accessible name.</summary>
    private static ILocator Field(LiveSessionView view, AriaRole role, string name) =>
        view.ViewerOf(ClaimForm).GetByRole(role, new() { Name = name, Exact = true });

    private static Regex SignedLine(string role, string name) => new($"^{role} signed at \\d\\d:\\d\\d UTC — {name}$");

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        await using var stream = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
