using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.Signing;

namespace LiveContract.Tests.Integration;

/// <summary>The customer's language (issue #18): chosen on the contract, used by the join page, the emails and the consent the customer signs.</summary>
public sealed class CustomerLanguageTests
{
    private const string FrenchCookie = ".AspNetCore.Culture=c%3Dfr%7Cuic%3Dfr";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_api_takes_and_returns_the_customers_language_and_time_zone_and_refuses_unknown_ones(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        using var created = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Assurance auto", "Chloé Dupont", "chloe@example.com", null, "fr", "Europe/Paris"));
        using var english = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor policy", "Chloé Dupont", "chloe@example.com", null));
        var contract = await created.ReadAsync<ContractDetails>();
        var read = await api.GetFromJsonAsync<ContractDetails>($"api/contracts/{contract.Id}", ApiClient.Json);
        using var changed = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, null, null, "de", ""));
        using var unknownLanguage = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Póliza", "Chloé Dupont", "chloe@example.com", null, "es"));
        using var unknownChange = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, null, null, "FR"));
        using var unknownZone = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor", "Chloé Dupont", "chloe@example.com", null, "en", "Mars/Olympus"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("fr", "Europe/Paris"), (contract.Language, contract.CustomerTimeZone));
        Assert.Equal(("fr", "Europe/Paris"), (read!.Language, read.CustomerTimeZone));
        var byDefault = await english.ReadAsync<ContractDetails>();
        Assert.Equal(("en", null), (byDefault.Language, byDefault.CustomerTimeZone));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var german = await changed.ReadAsync<ContractDetails>();
        Assert.Equal(("de", null), (german.Language, german.CustomerTimeZone));
        Assert.Equal(HttpStatusCode.BadRequest, unknownLanguage.StatusCode);
        Assert.Equal("'es' is not a language customers can be served in; choose one of en, fr, de.", await unknownLanguage.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownChange.StatusCode);
        Assert.Contains("'FR' is not a language customers can be served in", await unknownChange.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownZone.StatusCode);
        Assert.Contains("'Mars/Olympus' is not a time zone", await unknownZone.ProblemDetailAsync());
    }

    [Fact]
    public async Task The_invitation_is_in_the_contracts_language_with_its_time_in_the_customers_zone_or_in_utc()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        var french = await LiveSessionApiHarness.StartAsync(api, "Assurance auto", "chloe@example.com", "fr");
        var german = await LiveSessionApiHarness.StartAsync(api, "Kfz-Versicherung", "jurgen@example.com", "de", "Europe/Berlin");
        var toChloe = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        var toJurgen = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "jurgen@example.com");

        Assert.Equal($"Votre session en direct pour {french.Contract.Reference}", toChloe.Subject);
        Assert.StartsWith("Bonjour Chloé Dupont,", toChloe.TextBody!.Trim(), StringComparison.Ordinal);
        Assert.Contains($"Victor Advisor vous invite à parcourir ensemble votre contrat « Assurance auto » ({french.Contract.Reference})", toChloe.TextBody, StringComparison.Ordinal);
        Assert.Matches(@"le lien fonctionne jusqu'au \w+ \d{1,2} \w+ \d{4} à \d\d:\d\d UTC", toChloe.TextBody);
        Assert.Contains("Rejoindre la session en direct</a>", toChloe.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(french.Response.CustomerLink, toChloe.TextBody, StringComparison.Ordinal);

        Assert.Equal($"Ihre Live-Sitzung für {german.Contract.Reference}", toJurgen.Subject);
        Assert.StartsWith("Guten Tag Chloé Dupont,", toJurgen.TextBody!.Trim(), StringComparison.Ordinal);
        Assert.Matches(@"der Link funktioniert bis \w+, \d{1,2}\. \w+ \d{4} um \d\d:\d\d Uhr \(Europe/Berlin\)", toJurgen.TextBody);
        Assert.DoesNotContain("UTC", toJurgen.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_page_opens_in_the_contracts_language_and_then_keeps_the_customers_choice()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api, "Assurance auto", "chloe@example.com", "fr");
        using var web = app.CreateWebClient();

        using var first = await web.GetAsync($"join/{session.Token}");
        var french = WebUtility.HtmlDecode(await (await web.GetAsync($"join/{session.Token}")).Content.ReadAsStringAsync());
        using var chosen = await web.GetAsync($"culture?culture=de&redirectUri=/join/{session.Token}");
        var german = WebUtility.HtmlDecode(await (await web.GetAsync($"join/{session.Token}")).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal($"/join/{session.Token}", web.RedirectPath(first));
        Assert.Contains("Rejoindre la session", french, StringComparison.Ordinal);
        Assert.Contains(">Langue</label>", french, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", french, StringComparison.Ordinal);
        Assert.Contains("Victor Advisor vous invite à examiner Assurance auto", french, StringComparison.Ordinal);
        Assert.Contains("Reconnexion au serveur…", french, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, chosen.StatusCode);
        Assert.Equal($"/join/{session.Token}", web.RedirectPath(chosen));
        Assert.Contains("Der Sitzung beitreten", german, StringComparison.Ordinal);
        Assert.Contains(">Sprache</label>", german, StringComparison.Ordinal);
        Assert.Contains("Verbindung zum Server wird wiederhergestellt…", german, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "/join/abc", "'es' is not a language of this site")]
    [InlineData("", "/join/abc", "'' is not a language of this site")]
    [InlineData("fr", "https://evil.example/", "must be a page of this site")]
    [InlineData("fr", "//evil.example/", "must be a page of this site")]
    [InlineData("fr", "/\\evil.example/", "must be a page of this site")]
    [InlineData("fr", "", "must be a page of this site")]
    public async Task The_culture_endpoint_refuses_an_unknown_language_and_an_address_elsewhere(string culture, string redirectUri, string expected)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var web = app.CreateWebClient();

        using var response = await web.GetAsync($"culture?culture={Uri.EscapeDataString(culture)}&redirectUri={Uri.EscapeDataString(redirectUri)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_culture_endpoint_sets_the_cookie_and_goes_back_to_a_local_page()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var web = app.CreateWebClient();

        using var response = await web.GetAsync("culture?culture=fr&redirectUri=%2Fjoin%2Fabc%3Fx%3D1");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/join/abc?x=1", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(FrenchCookie + ";", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_french_signer_is_shown_the_french_consent_and_its_hash_is_what_is_recorded(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync(advisorMustSign: false, language: "fr");
        using var customer = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = scenario.App.BaseAddress };
        customer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Token);
        customer.DefaultRequestHeaders.Add("Cookie", FrenchCookie);

        var consent = (await customer.GetFromJsonAsync<SigningConsentResponse>($"api/sessions/{session.SessionId}/signing/consent", ApiClient.Json))!;
        using var signed = await customer.PostAsJsonAsync(
            $"api/sessions/{session.SessionId}/signatures",
            new SignatureRequest("Chloé Dupont", "data:image/png;base64," + SignaturePngs.DrawnBase64(), consent.Sha256));
        var mail = (await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2)).Single(m => m.Subject!.StartsWith("Signé", StringComparison.Ordinal));

        Assert.StartsWith("J'accepte de signer ce contrat par voie électronique.", consent.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var shownHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(consent.Text)));
        Assert.Equal(shownHash, Assert.Single(await scenario.SignaturesAsync(session.ContractId)).ConsentSha256);
        Assert.NotEqual(Core.Signing.SigningConsent.Sha256, shownHash);
        Assert.Equal($"Signé : {session.Contract.Reference}", mail.Subject);
        Assert.Contains("Votre contrat « Motor insurance »", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consent_hash_of_no_known_text_is_refused()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(language: "de");

        var refused = await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest(consentSha256: new string('0', 64)));

        Assert.Contains("consent text you agreed to is not the current one", refused.Error!.Message, StringComparison.Ordinal);
    }
}
