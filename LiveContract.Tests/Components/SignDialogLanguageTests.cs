using System.Security.Cryptography;
using System.Text;
using Bunit;
using LiveContract.Core.Fields;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The sign dialog in the customer's language: its steps, its messages, and the consent shown, which is the one whose hash is recorded.</summary>
public sealed class SignDialogLanguageTests : SigningUiTests
{
    [Theory]
    [InlineData("fr", "Étape 1 sur 3 : Consentement", "Continuer", "Cochez « J'accepte de signer électroniquement » pour continuer.", "J'accepte de signer ce contrat")]
    [InlineData("de", "Schritt 1 von 3: Einwilligung", "Weiter", "Setzen Sie das Häkchen bei „Ich bin mit der elektronischen Unterschrift einverstanden“, um fortzufahren.", "Ich bin damit einverstanden, diesen Vertrag")]
    public async Task The_dialog_speaks_the_page_language(string language, string heading, string continueName, string refusal, string consentStart)
    {
        using var culture = Languages.Use(language);
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenInLanguage(sessionId, language == "fr" ? "Signer" : "Unterschreiben", heading);

        await ClickAsync(page, continueName);

        Assert.StartsWith(consentStart, page.Find("[data-testid=consent-text]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(language, page.Find("[data-testid=consent-text]").GetAttribute("lang"));
        Assert.Equal(refusal, Alert(page));
    }

    [Fact]
    public async Task A_french_signer_signs_the_french_consent_they_were_shown()
    {
        using var culture = Languages.Use("fr");
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenInLanguage(sessionId, "Signer", "Étape 1 sur 3 : Consentement");
        var shown = page.Find("[data-testid=consent-text]").TextContent.Trim();

        await CheckboxLabelled(page, "J'accepte de signer électroniquement").ChangeAsync(new ChangeEventArgs { Value = true });
        await ClickAsync(page, "Continuer");
        page.WaitForAssertion(() => Assert.Equal("Étape 2 sur 3 : Votre signature", StepHeading(page)));
        await ControlLabelled(page, "Nom complet").InputAsync(new ChangeEventArgs { Value = CustomerName });
        await DrawAsync(page);
        await ClickAsync(page, "Continuer");
        page.WaitForAssertion(() => Assert.Equal("Étape 3 sur 3 : Confirmation", StepHeading(page)));
        Assert.Equal($"Vous signez en tant que {CustomerName}, le client.", page.Find("[role=dialog] [data-testid=summary-name]").ParentElement!.TextContent.Trim());
        await ClickAsync(page, "Signer le contrat");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=dialog]")), Patience);

        var signature = Assert.Single((await Signing.GetContractStateAsync(Advisor, ContractId)).Value!.Signatures);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shown))), signature.ConsentSha256);
        Assert.Equal(SigningConsent.For("fr").Sha256, signature.ConsentSha256);
    }

    [Fact]
    public async Task A_french_signer_is_told_in_french_why_the_name_or_the_signature_is_refused()
    {
        var placed = await Context.Services.GetRequiredService<FieldService>().CreateAsync(
            Advisor, ContractId, new FieldDraft(ClaimFormId, 1, new FieldBox(72, 600, 200, 20), FieldKind.Text, "Numéro de conseiller", FieldParty.Advisor, Required: true, Rules: null));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        using var culture = Languages.Use("fr");
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenInLanguage(sessionId, "Signer", "Étape 1 sur 3 : Consentement");
        await CheckboxLabelled(page, "J'accepte de signer électroniquement").ChangeAsync(new ChangeEventArgs { Value = true });
        await ClickAsync(page, "Continuer");
        page.WaitForAssertion(() => Assert.Equal("Étape 2 sur 3 : Votre signature", StepHeading(page)));
        await DrawAsync(page);

        await ControlLabelled(page, "Nom complet").InputAsync(new ChangeEventArgs { Value = "Claire Dupont" });
        await ClickAsync(page, "Continuer");

        page.WaitForAssertion(() => Assert.Equal(
            $"Le nom saisi ne correspond pas au nom figurant sur ce contrat ({CustomerName}). Saisissez votre nom complet tel qu'il y est écrit ; s'il est erroné, adressez-vous à votre conseiller.",
            Alert(page)));

        await ControlLabelled(page, "Nom complet").InputAsync(new ChangeEventArgs { Value = CustomerName });
        await ClickAsync(page, "Continuer");
        page.WaitForAssertion(() => Assert.Equal("Étape 3 sur 3 : Confirmation", StepHeading(page)));
        await ClickAsync(page, "Signer le contrat");

        page.WaitForAssertion(() => Assert.Equal(
            "Le conseiller doit remplir ses champs obligatoires avant la première signature, qui fige toutes les valeurs : Numéro de conseiller.",
            Alert(page)), Patience);
    }

    private IRenderedComponent<IComponent> OpenInLanguage(Guid sessionId, string signName, string heading)
    {
        var page = OpenSessionPage(sessionId);
        ButtonNamed(page, signName).Click();
        page.WaitForAssertion(() => Assert.Equal(heading, StepHeading(page)));
        return page;
    }
}
