using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>
/// The customer proves who they are in the browser: the link asks for a code, which arrives through
/// the real SMTP sink; entered, it lets this device join; signing asks for a new one; the sealed
/// PDF's certificate names the check.
/// </summary>
public sealed class IdentityCheckJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";

    [Fact]
    public async Task The_customer_enters_emailed_codes_to_join_on_a_phone_and_to_sign()
    {
        var customerEmail = $"chloe-{Guid.NewGuid():N}@example.com";
        var (host, port) = TestServers.Smtp;
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?>(IdentityCodeMail.On)
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = host,
            ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
        });
        var (_, advisor) = await app.CreateStaffAsync();
        var (contractId, link) = await StartSessionAsync(app, advisor.Id, customerEmail);

        // On a 360-pixel-wide phone, the link asks for a code before joining.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm it is you" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a code" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a code to c***@example.com. Enter it below.");
        var codeBox = page.GetByRole(AriaRole.Textbox, new() { Name = "Code" });
        await Expect(codeBox).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await Expect(codeBox).ToHaveAttributeAsync("inputmode", "numeric");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= 360"), "The code page is wider than a 360-pixel screen.");

        var joinCode = await IdentityCodeMail.WaitForCodeAsync(TestServers.Maildir, customerEmail, 1);
        await codeBox.FillAsync(IdentityCodeMail.WrongCode(joinCode));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and join" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That code is not right; 4 tries left.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Code" }).FillAsync(joinCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and join" }).ClickAsync();

        var view = new LiveSessionView(page);
        await page.SetViewportSizeAsync(1280, 800);
        await Expect(view.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");

        // Signing asks for a new code.
        var dialog = await view.OpenSignDialogAsync();
        await dialog.AgreeAndContinueAsync();
        await dialog.FullName.FillAsync("Chloé Dupont");
        await dialog.Button("Use my typed name as my signature").ClickAsync();
        await dialog.ContinueToConfirmAsync();
        await dialog.Button("Sign the contract").ClickAsync();
        await Expect(dialog.Alert).ToHaveTextAsync("Ask for a code with “Send me a code”, then enter it to sign.");
        await dialog.Button("Send me a code").ClickAsync();
        await Expect(dialog.Dialog.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a code to c***@example.com.");
        var signCode = await IdentityCodeMail.WaitForCodeAsync(TestServers.Maildir, customerEmail, 2);
        var signCodeBox = dialog.Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Code" });
        await Expect(signCodeBox).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await Expect(signCodeBox).ToHaveAttributeAsync("inputmode", "numeric");
        await signCodeBox.FillAsync(signCode);
        await dialog.Button("Sign the contract").ClickAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0);
        await Expect(view.SignedBanner).ToBeVisibleAsync();
        await context.CloseAsync();

        // The certificate of completion names the check.
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var pdf = await SealedPdfAsync(api, contractId);
        var text = string.Join(' ', (await SealingTestTools.PdfToTextAsync(pdf)).Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"Identity checked by a code sent to c\*\*\*@example\.com, \d\d:\d\d UTC", text);
    }

    private static async Task<(Guid ContractId, string Link)> StartSessionAsync(LiveContractApp app, string advisorId, string customerEmail)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        var contracts = app.Services.GetRequiredService<ContractService>();
        var contract = (await contracts.CreateAsync(actor, new NewContract("Home insurance", "Chloé Dupont", customerEmail, AdvisorMustSign: false))).Value!;
        using (var content = new MemoryStream(FixturePdfs.Read(ClaimForm)))
        {
            Assert.True((await app.Services.GetRequiredService<DocumentService>().UploadAsync(actor, contract.Id, ClaimForm, content)).Succeeded);
        }

        Assert.True((await contracts.UpdateAsync(actor, contract.Id, new ContractChanges(Status: ContractStatus.Review))).Succeeded);
        var started = await app.Services.GetRequiredService<LiveSessionService>().StartAsync(actor, contract.Id);
        return (contract.Id, started.Value!.CustomerLink);
    }

    private static async Task<byte[]> SealedPdfAsync(HttpClient api, Guid contractId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await api.GetAsync($"api/contracts/{contractId}/sealed");
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadAsByteArrayAsync();
            }

            Assert.True(DateTime.UtcNow < deadline, $"No sealed PDF: {response.StatusCode}");
            await Task.Delay(250);
        }
    }
}
