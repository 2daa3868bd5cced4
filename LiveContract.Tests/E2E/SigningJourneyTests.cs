using System.Net;
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

/// <summary>
/// From review to a verified signed PDF in the browser: in a live session the customer signs with a
/// drawn signature, the advisor countersigns, both see the contract signed and, without reloading,
/// the signed PDF as soon as it is sealed; the customer downloads it and anyone can verify it; the
/// signed contract takes no more documents, and its session is complete.
/// </summary>
public sealed class SigningJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string Handbook = "icml03-081.pdf";

    /// <summary>Sealing runs in the background after the last signature; give it longer than a click.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Sealed = new() { Timeout = 60_000 };

    [Fact]
    public async Task Customer_and_advisor_sign_in_the_session_and_the_signed_pdf_verifies()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var contractId = await CreateContractAsync(app, advisor.Id, ClaimForm, Handbook);

        // The advisor sends the contract for review and starts the session from the contract page.
        var advisorPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await advisorPage.GotoAsync($"contracts/{contractId}");
        var contract = new ContractPage(advisorPage);
        await contract.WaitForInteractiveAsync();
        var reference = (await contract.Reference.TextContentAsync())!.Trim();
        await contract.Button("Send for review").ClickAsync();
        await Expect(contract.Button("Back to draft")).ToBeVisibleAsync();
        await contract.Button("Start live session").ClickAsync();
        await advisorPage.GetByRole(AriaRole.Link, new() { Name = "Open live session" }).ClickAsync();
        var advisorView = new LiveSessionView(advisorPage);
        await Expect(advisorView.Heading).ToHaveTextAsync("Home insurance");
        await Expect(advisorView.Signer("Customer")).ToHaveTextAsync("Customer has not signed yet — Chloé Dupont");
        await Expect(advisorView.Sign).ToBeVisibleAsync();

        // The customer joins from the emailed link.
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var link = Mailbox.JoinLink(email);
        var customerPage = await NewHighDensityPageAsync(app);
        await customerPage.GotoAsync(link);
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        var customerView = new LiveSessionView(customerPage);
        await Expect(customerView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");

        // The customer signs with a drawn signature.
        var customerDialog = await customerView.OpenSignDialogAsync();
        await Expect(customerDialog.Dialog).ToContainTextAsync("I agree to sign this contract electronically.");
        await customerDialog.AgreeAndContinueAsync();
        await customerDialog.FullName.FillAsync("Chloé Dupont");
        await Expect(customerDialog.Button("Undo")).ToBeDisabledAsync();
        await customerDialog.DrawSignatureAsync();
        await Expect(customerDialog.PadStatus).ToHaveTextAsync("Your signature is drawn.");
        await Expect(customerDialog.Button("Undo")).ToBeEnabledAsync();

        // The pad draws at the screen's density, and a narrower window resizes it; the drawing is
        // redrawn, not lost (a blank drawing would be refused at Continue).
        var canvas = await customerDialog.Pad.Locator("canvas").ElementHandleAsync();
        await customerPage.WaitForFunctionAsync("c => c.offsetWidth > 500 && c.width === Math.round(c.offsetWidth * 2)", canvas);
        await customerPage.SetViewportSizeAsync(480, 720);
        await customerPage.WaitForFunctionAsync("c => c.offsetWidth < 480 && c.width === Math.round(c.offsetWidth * 2)", canvas);
        await customerPage.SetViewportSizeAsync(1280, 720);
        await customerPage.WaitForFunctionAsync("c => c.offsetWidth > 500 && c.width === Math.round(c.offsetWidth * 2)", canvas);
        await customerDialog.ContinueToConfirmAsync();
        await Expect(customerDialog.Dialog.GetByRole(AriaRole.Img, new() { Name = "Your signature, Chloé Dupont" })).ToBeVisibleAsync();
        await Expect(customerDialog.Dialog.GetByRole(AriaRole.List, new() { Name = "Documents you sign" })).ToContainTextAsync(Handbook);
        await customerDialog.Button("Sign the contract").ClickAsync();
        await Expect(customerDialog.Dialog).ToHaveCountAsync(0);
        await Expect(customerView.Signer("Customer")).ToHaveTextAsync(SignedLine("Customer", "Chloé Dupont"));
        await Expect(customerView.Sign).ToHaveCountAsync(0);

        // The advisor sees it at once, without reloading, and countersigns with the typed name as signature.
        await Expect(advisorView.Signer("Customer")).ToHaveTextAsync(SignedLine("Customer", "Chloé Dupont"));
        await customerPage.EvaluateAsync("() => { window.beforeTheLastSignature = true; }");
        var advisorDialog = await advisorView.OpenSignDialogAsync();
        await advisorDialog.AgreeAndContinueAsync();
        await advisorDialog.FullName.FillAsync("Victor Advisor");
        await advisorDialog.Button("Use my typed name as my signature").ClickAsync();
        await Expect(advisorDialog.PadStatus).ToHaveTextAsync("Your typed name “Victor Advisor” is your signature.");
        await advisorDialog.ContinueToConfirmAsync();
        await advisorDialog.Button("Sign the contract").ClickAsync();
        await Expect(advisorDialog.Dialog).ToHaveCountAsync(0);

        // Both see the contract signed, then the signed PDF once it is sealed.
        await Expect(advisorView.SignedBanner).ToBeVisibleAsync();
        await Expect(customerView.SignedBanner).ToBeVisibleAsync();
        await Expect(customerView.Signer("Advisor")).ToHaveTextAsync(SignedLine("Advisor", "Victor Advisor"));
        await Expect(customerView.DownloadSignedPdf).ToBeVisibleAsync(Sealed);
        await Expect(advisorView.DownloadSignedPdf).ToBeVisibleAsync(Sealed);
        Assert.True(await customerPage.EvaluateAsync<bool>("() => window.beforeTheLastSignature === true"), "The customer's page reloaded to show the signed PDF.");
        var download = await customerPage.RunAndWaitForDownloadAsync(() => customerView.DownloadSignedPdf.ClickAsync());
        Assert.Null(await download.FailureAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);
        var signedPdf = await ReadAsync(download);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(signedPdf, 0, 5));

        // Anyone, logged out, verifies the downloaded file on the public verification page.
        var visitor = await browser.NewPageAsync(app);
        await visitor.GotoAsync("verify");
        await new AppPage(visitor).WaitForInteractiveAsync();
        await visitor.GetByLabel("Choose a PDF to verify").SetInputFilesAsync(new FilePayload { Name = download.SuggestedFilename, MimeType = "application/pdf", Buffer = signedPdf });
        var verdict = visitor.GetByTestId("verification-result");
        await Expect(verdict.GetByRole(AriaRole.Heading, new() { Name = "Sealed and unmodified" })).ToBeVisibleAsync();
        await Expect(verdict).ToContainTextAsync(reference);
        await Expect(verdict).ToContainTextAsync("Chloé Dupont");

        // The signed contract takes no more documents: no upload on its page, and the API refuses.
        await advisorPage.GotoAsync($"contracts/{contractId}");
        await contract.WaitForInteractiveAsync();
        await Expect(contract.Heading).ToHaveTextAsync("Home insurance");
        await Expect(contract.Upload).ToHaveCountAsync(0);
        var form = advisorPage.APIRequest.CreateFormData();
        form.Set("files", new FilePayload { Name = "late.pdf", MimeType = "application/pdf", Buffer = FixturePdfs.Read(ClaimForm) });
        var refused = await advisorPage.APIRequest.PostAsync($"api/contracts/{contractId}/documents", new() { Multipart = form });
        Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("signed", await refused.TextAsync(), StringComparison.OrdinalIgnoreCase);

        // The session completed with the signature: the contract page says so and offers nothing more to do with it.
        await Expect(contract.SessionStatus).ToHaveTextAsync(new Regex("^Live session completed at .+: the contract is signed\\.$"));
        foreach (var gone in new[] { "Resend link", "Revoke link", "End session" })
        {
            await Expect(contract.Button(gone)).ToHaveCountAsync(0);
        }

        // The customer still on the page keeps the signed view and the download; the link joins nobody
        // any more and says why, kindly, with the signed PDF page.
        await Expect(customerView.SignedBanner).ToBeVisibleAsync();
        await Expect(customerView.DownloadSignedPdf).ToBeVisibleAsync();
        await Expect(customerView.Alerts.Filter(new() { HasText = "This session has ended." })).ToHaveCountAsync(0);
        var later = await browser.NewPageAsync(app);
        await later.GotoAsync(link);
        await Expect(later.GetByRole(AriaRole.Heading, new() { Name = "Your contract is signed" })).ToBeVisibleAsync();
        await Expect(later.GetByRole(AriaRole.Button, new() { Name = "Join the session" })).ToHaveCountAsync(0);
        await Expect(later.Locator("body")).Not.ToContainTextAsync("new link");
        await later.GetByRole(AriaRole.Link, new() { Name = "Open the signed PDF" }).ClickAsync();
        await Expect(later.GetByTestId("download-signed-pdf")).ToBeVisibleAsync();
    }

    /// <summary>A customer on a high-density screen (two device pixels per CSS pixel), whose pad must stay sharp.</summary>
    private async Task<IPage> NewHighDensityPageAsync(LiveContractApp app)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), DeviceScaleFactor = 2 });
        return await context.NewPageAsync();
    }

    private static Regex SignedLine(string role, string name) => new($"^{role} signed at \\d\\d:\\d\\d UTC — {name}$");

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        await using var stream = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
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
