using System.Text.Json;
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
/// A French contract, signed on a phone: the advisor creates it in French through the API, the
/// customer opens the emailed link and finds the live view in French (and accessible), fills the
/// field and signs with the typed name from the bar, then switches to German.
/// </summary>
public sealed class FrenchPhoneJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string CustomerName = "Chloé Dupont";

    [Fact]
    public async Task A_french_customer_signs_on_a_phone_in_french_and_then_reads_the_page_in_german()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();

        // The advisor creates the contract in French through the API.
        var advisorPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        var created = await advisorPage.APIRequest.PostAsync("api/contracts", new()
        {
            DataObject = new { title = "Assurance habitation", customerName = CustomerName, customerEmail = "chloe@example.com", advisorMustSign = false, language = "fr" },
        });
        Assert.Equal(201, created.Status);
        var contractId = (await created.JsonAsync())!.Value.GetProperty("id").GetGuid();
        await StartSessionAsync(app, advisor.Id, contractId);
        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var link = Mailbox.JoinLink(email);

        // The emailed link, on a phone, in French.
        var page = await browser.NewPhonePageAsync(app);
        await page.GotoAsync(link);
        await AxeCheck.AssertAccessibleAsync(page, "the join page in French on a phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la session" }).TapAsync();
        var view = new LiveSessionView(page);
        await view.WaitForInteractiveAsync();
        var bar = page.GetByRole(AriaRole.Region, new() { Name = "Signature", Exact = true });
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        var viewer = page.GetByRole(AriaRole.Region, new() { Name = $"Visionneuse de document : {ClaimForm}" });
        await Expect(viewer).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Page suivante, pour tout le monde", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Assurance habitation", Level = 1 })).ToBeVisibleAsync();
        await Expect(bar.GetByTestId("signing-bar-status")).ToHaveTextAsync("Il reste 1 champ obligatoire à remplir.");
        await Expect(BarButton(bar, "Signer")).ToBeDisabledAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the live view in French on a phone");

        // The field, then the signature with the typed name.
        await BarButton(bar, "Champ manquant suivant").TapAsync();
        var terms = page.GetByRole(AriaRole.Checkbox, new() { Name = "J'accepte les conditions (obligatoire)", Exact = true });
        await Expect(terms).ToBeFocusedAsync();
        await terms.TapAsync();
        await Expect(bar.GetByTestId("signing-bar-status")).ToHaveTextAsync("Tout est prêt pour la signature.");
        await BarButton(bar, "Signer").TapAsync();
        var dialog = new SignDialog(page);
        await dialog.Step("Étape 1 sur 3 : Consentement").WaitForAsync();
        await dialog.Dialog.GetByRole(AriaRole.Checkbox, new() { Name = "J'accepte de signer électroniquement" }).TapAsync();
        await dialog.Button("Continuer").TapAsync();
        await dialog.Step("Étape 2 sur 3 : Votre signature").WaitForAsync();
        await Expect(dialog.Dialog.GetByRole(AriaRole.Region, new() { Name = "Dessinez votre signature" })).ToBeVisibleAsync();
        await dialog.Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Nom complet" }).FillAsync(CustomerName);
        await dialog.Button("Utiliser mon nom saisi comme signature").TapAsync();
        await Expect(dialog.PadStatus).ToHaveTextAsync($"Votre nom saisi « {CustomerName} » est votre signature.");
        await dialog.Button("Continuer").TapAsync();
        await dialog.Step("Étape 3 sur 3 : Confirmation").WaitForAsync();
        await dialog.Button("Signer le contrat").TapAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0);
        await Expect(bar.GetByTestId("signing-bar-status")).ToHaveTextAsync("Ce contrat est signé.");

        // The switcher changes the page to German.
        await page.GetByLabel("Langue").SelectOptionAsync(new SelectOptionValue { Label = "Deutsch" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer de langue" }).TapAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        bar = page.GetByRole(AriaRole.Region, new() { Name = "Unterzeichnung", Exact = true });
        await Expect(bar.GetByTestId("signing-bar-status")).ToHaveTextAsync("Dieser Vertrag ist unterschrieben.");
        await BarButton(bar, "Details").TapAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unterschriften", Exact = true })).ToBeVisibleAsync();
        await AxeCheck.AssertAccessibleAsync(page, "the signed live view in German on a phone, details open");
    }

    private static ILocator BarButton(ILocator bar, string name) => bar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The claim form with one required checkbox for the customer, the contract in review and its live session started (which emails the customer).</summary>
    private static async Task StartSessionAsync(LiveContractApp app, string advisorId, Guid contractId)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        Guid documentId;
        using (var content = new MemoryStream(FixturePdfs.Read(ClaimForm)))
        {
            documentId = (await app.Services.GetRequiredService<DocumentService>().UploadAsync(actor, contractId, ClaimForm, content)).Value!.Id;
        }

        var field = await app.Services.GetRequiredService<FieldService>().CreateAsync(actor, contractId,
            new FieldDraft(documentId, 1, new FieldBox(72, 640, 24, 24), FieldKind.Checkbox, "J'accepte les conditions", FieldParty.Customer, Required: true));
        Assert.True(field.Succeeded, field.Error?.Message);
        Assert.True((await app.Services.GetRequiredService<ContractService>().UpdateAsync(actor, contractId, new ContractChanges(Status: ContractStatus.Review))).Succeeded);
        var started = await app.Services.GetRequiredService<LiveSessionService>().StartAsync(actor, contractId);
        Assert.True(started.Succeeded, started.Error?.Message);
    }
}
