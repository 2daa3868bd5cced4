using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>
/// Accessible to everyone: axe-core (WCAG 2.0/2.1 A and AA) finds nothing serious or critical on
/// the customer's pages and the main staff pages, and a customer goes from the emailed link to the
/// signed PDF with the keyboard alone, always seeing where the focus is.
/// </summary>
public sealed class AccessibilityJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string CustomerName = "Chloé Dupont";
    private const string Iban = "FR7630006000011234567890189";

    /// <summary>Sealing runs in the background after the last signature; give it longer than a click.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Sealed = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_customer_signs_with_the_keyboard_alone_and_every_page_on_the_way_passes_axe()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var contractId = await CreateContractAsync(app, advisor.Id, advisorMustSign: false);
        await StartSessionAsync(app, advisor.Id, contractId);
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var link = Mailbox.JoinLink(email);

        // The emailed link, then Join, by keyboard.
        var page = await browser.NewPageAsync(app);
        await page.GotoAsync(link);
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join the session" });
        await Expect(join).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the join page");
        await TabToAsync(page, join);
        await page.Keyboard.PressAsync("Enter");

        // The live view with the customer's fields on the page.
        var view = new LiveSessionView(page);
        await view.WaitForInteractiveAsync();
        var viewer = view.ViewerOf(ClaimForm);
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "1");
        var ibanField = viewer.GetByRole(AriaRole.Textbox, new() { Name = "IBAN (required)", Exact = true });
        var terms = viewer.GetByRole(AriaRole.Checkbox, new() { Name = "I accept the terms (required)", Exact = true });
        await Expect(ibanField).ToBeEditableAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the live view as customer");

        // Fill in the fields: type the IBAN, tick the box with Space.
        await TabToAsync(page, ibanField);
        await page.Keyboard.TypeAsync(Iban);
        await TabToAsync(page, terms);
        await page.Keyboard.PressAsync("Space");
        await Expect(terms).ToBeCheckedAsync();
        await Expect(view.Sign).ToBeEnabledAsync();

        // Sign: consent, the typed name as signature, confirm.
        await TabToAsync(page, view.Sign);
        await page.Keyboard.PressAsync("Enter");
        var dialog = new SignDialog(page);
        await Expect(dialog.Step("Step 1 of 3: Consent")).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the sign dialog");
        await TabToAsync(page, dialog.Agree);
        await page.Keyboard.PressAsync("Space");
        await Expect(dialog.Agree).ToBeCheckedAsync();
        await TabToAsync(page, dialog.Button("Continue"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.Step("Step 2 of 3: Your signature")).ToBeVisibleAsync();
        await TabToAsync(page, dialog.FullName);
        await page.Keyboard.TypeAsync(CustomerName);
        await TabToAsync(page, dialog.Button("Use my typed name as my signature"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.PadStatus).ToHaveTextAsync($"Your typed name “{CustomerName}” is your signature.");
        await AxeCheck.AssertAccessibleAsync(page, "the sign dialog, signature step");
        await TabToAsync(page, dialog.Button("Continue"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.Step("Step 3 of 3: Confirm")).ToBeVisibleAsync();
        await TabToAsync(page, dialog.Button("Sign the contract"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.Dialog).ToHaveCountAsync(0);
        await Expect(view.SignedBanner).ToBeVisibleAsync();
        await Expect(view.SigningPanel.GetByRole(AriaRole.Heading, new() { Name = "Signatures" })).ToBeFocusedAsync();

        // Download the signed PDF.
        await Expect(view.DownloadSignedPdf).ToBeVisibleAsync(Sealed);
        await AxeCheck.AssertAccessibleAsync(page, "the live view once signed");
        await TabToAsync(page, view.DownloadSignedPdf);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        Assert.Null(await download.FailureAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.OrdinalIgnoreCase);

        // The page the "contract signed" email links to.
        var signedLink = await Mailbox.WaitForSignedLinkAsync(installation.PickupDirectory);
        var signedPage = await browser.NewPageAsync(app);
        await signedPage.GotoAsync(signedLink);
        await Expect(signedPage.GetByRole(AriaRole.Heading, new() { Name = "Your signed contract" })).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(signedPage, "the signed-PDF page");

        // The verification page, empty and with a verdict.
        await signedPage.GotoAsync("verify");
        await new AppPage(signedPage).WaitForInteractiveAsync();
        await AxeCheck.AssertAccessibleAsync(signedPage, "the verification page");
        await using (var stream = await download.CreateReadStreamAsync())
        {
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            await signedPage.GetByLabel("Choose a PDF to verify").SetInputFilesAsync(new FilePayload { Name = download.SuggestedFilename, MimeType = "application/pdf", Buffer = bytes.ToArray() });
        }

        await Expect(signedPage.GetByTestId("verification-result").GetByRole(AriaRole.Heading, new() { Name = "Sealed and unmodified" })).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(signedPage, "the verification page with a verdict");
    }

    [Fact]
    public async Task Links_that_open_nothing_pass_axe()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveSessions:LinkLifetime"] = "00:00:01" });
        var (_, advisor) = await app.CreateStaffAsync();
        var sessions = app.Services.GetRequiredService<LiveSessionService>();
        var actor = new Actor(advisor.Id, IsAdmin: false);
        var revoked = await StartSessionAsync(app, advisor.Id, await CreateContractAsync(app, advisor.Id, advisorMustSign: true));
        Assert.True((await sessions.RevokeLinkAsync(actor, revoked.Session.Id)).Succeeded);
        var expired = await StartSessionAsync(app, advisor.Id, await CreateContractAsync(app, advisor.Id, advisorMustSign: true));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var page = await browser.NewPageAsync(app);
        foreach (var (link, title) in new[]
                 {
                     (revoked.CustomerLink, "This link was replaced or withdrawn"),
                     (expired.CustomerLink, "This link has expired"),
                     ($"join/lcs_{new string('A', 43)}", "This link is not valid"),
                 })
        {
            await page.GotoAsync(link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await AxeCheck.AssertAccessibleAsync(page, $"the link problem page \"{title}\"");
        }
    }

    [Fact]
    public async Task The_main_staff_pages_pass_axe()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var contractId = await CreateContractAsync(app, advisor.Id, advisorMustSign: true);

        var page = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        var dashboard = new AppPage(page);
        await dashboard.WaitForInteractiveAsync();
        await Expect(page.GetByText("Home insurance").First).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the dashboard");

        await page.GotoAsync($"contracts/{contractId}");
        var contract = new ContractPage(page);
        await contract.WaitForInteractiveAsync();
        await Expect(contract.Document(ClaimForm)).ToContainTextAsync("3 pages");
        var viewer = await contract.ViewAsync(ClaimForm);
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Move or edit IBAN" })).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the contract page with documents and fields");

        await contract.Button("Send for review").ClickAsync();
        await Expect(contract.Button("Back to draft")).ToBeVisibleAsync();
        await contract.Button("Start live session").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Open live session" }).ClickAsync();
        var live = new LiveSessionView(page);
        await Expect(live.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(live.ViewerOf(ClaimForm).GetByRole(AriaRole.Textbox, new() { Name = "IBAN (required)", Exact = true })).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the live view as advisor");

        var adminPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(adminPage)).LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        await adminPage.GotoAsync("admin/users");
        var users = new UsersPage(adminPage);
        await users.WaitForInteractiveAsync();
        await Expect(adminPage.GetByText("advisor@example.com").First).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(adminPage, "the admin users page");
    }

    /// <summary>
    /// Presses Tab until <paramref name="target"/> (or something inside it) has the focus, then checks
    /// that the focus can be seen: an outline on the focused element or the control drawn around it.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, int maxPresses = 80)
    {
        await Expect(target).ToBeVisibleAsync();
        var path = new List<string>();
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)"))
            {
                Assert.True(
                    await page.EvaluateAsync<bool>(FocusOutlineVisible),
                    $"The focus on {await page.EvaluateAsync<string>(ActiveElement)} has no visible outline.");
                return;
            }

            path.Add(await page.EvaluateAsync<string>(ActiveElement));
        }

        Assert.Fail($"{maxPresses} presses of Tab never reached {target}; the focus went through:\n{string.Join("\n", path)}");
    }

    private const string ActiveElement =
        "() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()} ${e.getAttribute('aria-label') ?? ''} ${(e.textContent ?? '').trim().slice(0, 40)}` : 'nothing'; }";

    /// <summary>The focused element, or the nearest of its three closest ancestors that is drawn, has an outline at least 2px wide.</summary>
    private const string FocusOutlineVisible = """
        () => {
          let e = document.activeElement;
          for (let i = 0; e && i < 4; i++, e = e.parentElement) {
            const style = getComputedStyle(e);
            const drawn = e.getBoundingClientRect().width > 0 && style.opacity !== '0' && style.visibility !== 'hidden';
            if (drawn && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return true;
          }
          return false;
        }
        """;

    private static async Task<Guid> CreateContractAsync(LiveContractApp app, string advisorId, bool advisorMustSign)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        var contract = (await app.Services.GetRequiredService<ContractService>()
            .CreateAsync(actor, new NewContract("Home insurance", CustomerName, "chloe@example.com", advisorMustSign))).Value!;
        using var content = new MemoryStream(FixturePdfs.Read(ClaimForm));
        var upload = await app.Services.GetRequiredService<DocumentService>().UploadAsync(actor, contract.Id, ClaimForm, content);
        Assert.True(upload.Succeeded);
        var documentId = upload.Value!.Id;
        var fields = app.Services.GetRequiredService<FieldService>();
        Assert.True((await fields.CreateAsync(actor, contract.Id, new FieldDraft(documentId, 1, new FieldBox(120, 600, 220, 20), FieldKind.Text, "IBAN", FieldParty.Customer, Required: true))).Succeeded);
        Assert.True((await fields.CreateAsync(actor, contract.Id, new FieldDraft(documentId, 1, new FieldBox(120, 560, 16, 16), FieldKind.Checkbox, "I accept the terms", FieldParty.Customer, Required: true))).Succeeded);
        return contract.Id;
    }

    private static async Task<StartedLiveSession> StartSessionAsync(LiveContractApp app, string advisorId, Guid contractId)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        Assert.True((await app.Services.GetRequiredService<ContractService>().UpdateAsync(actor, contractId, new ContractChanges(Status: ContractStatus.Review))).Succeeded);
        var started = await app.Services.GetRequiredService<LiveSessionService>().StartAsync(actor, contractId);
        Assert.True(started.Succeeded, started.Error?.Message);
        return started.Value!;
    }
}
