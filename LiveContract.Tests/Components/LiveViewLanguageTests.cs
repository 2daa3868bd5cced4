using Bunit;
using LiveContract.Core.Fields;
using LiveContract.Core.Localization;
using LiveContract.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The live view in the customer's language: header, status, signing box, viewer toolbar, fields and signature pad.</summary>
public sealed class LiveViewLanguageTests : SigningUiTests
{
    public LiveViewLanguageTests()
    {
        Pdf.Setup<PdfViewer.RenderResult?>("render", _ => true)
            .SetResult(new PdfViewer.RenderResult(1, 1, Failed: false, new PdfViewer.PageViewport([1, 0, 0, -1, 0, 841.89], 595.276, 841.89)));
    }

    [Theory]
    [InlineData("fr", "Session en direct avec", "En relecture", "Client n'a pas encore signé — {0}", "Signer", "Page 1 sur 3", "Page suivante, pour tout le monde", "IBAN (obligatoire)", "Signature de {0}", "Suivre le conseiller")]
    [InlineData("de", "Live-Sitzung mit", "In Prüfung", "Kunde hat noch nicht unterschrieben — {0}", "Unterschreiben", "Seite 1 von 3", "Nächste Seite, für alle", "IBAN (Pflichtfeld)", "Unterschrift von {0}", "Dem Berater folgen")]
    public async Task The_customer_sees_the_live_view_in_their_language(
        string language, string sessionWith, string status, string notSigned, string sign, string position, string nextPage, string field, string signatureSpot, string follow)
    {
        using var culture = Languages.Use(language);
        await PlaceAsync("IBAN", FieldKind.Text, FieldParty.Customer, 700);
        await PlaceAsync("Customer signature", FieldKind.SignatureSpot, FieldParty.Customer, 100);
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);

        var page = OpenSessionPage(sessionId);

        Assert.Equal($"{sessionWith} {AdvisorName}", page.Find("[data-testid=reference]").TextContent.Trim().Split(" · ")[1]);
        Assert.Contains(status, page.FindAll(".mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal(string.Format(notSigned, CustomerName), Signers(page)[0]);
        Assert.True(HasButton(page, sign));
        Assert.Contains(follow, page.FindAll("label").Select(l => l.TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Equal(position, page.Find(".pdf-viewer-position").TextContent.Trim()), Patience);
        Assert.True(HasButton(page, nextPage));
        page.WaitForAssertion(() => Assert.NotNull(page.FindAll(".live-field input").FirstOrDefault(i => i.GetAttribute("aria-label") == field)), Patience);
        Assert.Equal(string.Format(signatureSpot, CustomerName), page.Find(".live-field-signature").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task The_signature_pad_speaks_french()
    {
        using var culture = Languages.Use("fr");
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        // Not awaited: the click opens the dialog and waits for its result.
        ButtonNamed(page, "Signer").Click();
        page.WaitForAssertion(() => Assert.Equal("Étape 1 sur 3 : Consentement", StepHeading(page)), Patience);
        await CheckboxLabelled(page, "J'accepte de signer électroniquement").ChangeAsync(new ChangeEventArgs { Value = true });

        await ClickAsync(page, "Continuer");

        page.WaitForAssertion(() => Assert.Equal("Étape 2 sur 3 : Votre signature", StepHeading(page)));
        Assert.Equal("Rien n'est encore dessiné.", page.Find("[data-testid=signature-status]").TextContent.Trim());
        Assert.True(HasButton(page, "Défaire"));
        Assert.True(HasButton(page, "Effacer"));
        Assert.True(HasButton(page, "Utiliser mon nom saisi comme signature"));
        Assert.Equal("Dessinez votre signature", page.Find(".signature-pad-surface").GetAttribute("aria-label"));
    }

    private async Task PlaceAsync(string label, FieldKind kind, FieldParty party, double bottom)
    {
        var placed = await Context.Services.GetRequiredService<FieldService>()
            .CreateAsync(Advisor, ContractId, new FieldDraft(ClaimFormId, 1, new FieldBox(72, bottom, 200, 20), kind, label, party, Required: true, Rules: null));
        Assert.True(placed.Succeeded, placed.Error?.Message);
    }
}
