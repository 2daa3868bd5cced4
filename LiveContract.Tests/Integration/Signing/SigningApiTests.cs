using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Web.Features.Signing;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Tests.Integration.Signing;

public sealed class SigningApiTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_customer_by_link_and_the_advisor_by_token_sign_and_both_download_the_sealed_pdf(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        using var joined = await LiveSessionApiHarness.JoinAsCustomerAsync(scenario.App, session.Token);
        using var customer = CookieClient(scenario.App, joined);
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);

        var before = await customer.GetFromJsonAsync<SigningState>($"api/sessions/{session.SessionId}/signing", ApiClient.Json);
        var consent = await customer.GetFromJsonAsync<SigningConsentResponse>($"api/sessions/{session.SessionId}/signing/consent", ApiClient.Json);
        using var customerSigned = await customer.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", Request("Chloé Dupont", consent!.Sha256));
        using var advisorSigned = await advisor.PostAsJsonAsync(
            $"api/sessions/{session.SessionId}/signatures",
            new SignatureRequest("Victor Advisor", "data:image/png;base64," + SignaturePngs.DrawnBase64(), SigningConsent.Sha256));
        var state = await advisor.GetFromJsonAsync<SigningState>($"api/contracts/{session.ContractId}/signing", ApiClient.Json);
        using var image = await advisor.GetAsync($"api/contracts/{session.ContractId}/signatures/customer/image");

        Assert.Equal((SignerRole?)SignerRole.Customer, before!.CallerRole);
        Assert.True(before.CallerCanSign);
        Assert.Equal((SigningConsent.Text, SigningConsent.Sha256), (consent.Text, consent.Sha256));
        Assert.Equal(HttpStatusCode.OK, customerSigned.StatusCode);
        var customerResult = await customerSigned.ReadAsync<SignResult>();
        Assert.Equal((SignerRole.Customer, false), (customerResult.Signature.Role, customerResult.ContractSigned));
        Assert.Equal("127.0.0.1", customerResult.Signature.IpAddress);
        Assert.Equal(HttpStatusCode.OK, advisorSigned.StatusCode);
        Assert.True((await advisorSigned.ReadAsync<SignResult>()).ContractSigned);
        Assert.Equal(ContractStatus.Signed, state!.Status);
        Assert.Equal(2, state.Signatures.Count);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SignaturePngs.Drawn(), await image.Content.ReadAsByteArrayAsync());

        using var fromContract = await WaitForSealedAsync(advisor, $"api/contracts/{session.ContractId}/sealed");
        using var fromSession = await customer.GetAsync($"api/sessions/{session.SessionId}/sealed");
        var pdf = await fromContract.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, fromSession.StatusCode);
        Assert.Equal("application/pdf", fromContract.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", fromContract.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{session.Contract.Reference}-signed.pdf", fromContract.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(fromContract.Headers.CacheControl?.NoStore);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        Assert.Equal(pdf, await fromSession.Content.ReadAsByteArrayAsync());
        var sealedState = await advisor.GetFromJsonAsync<SigningState>($"api/contracts/{session.ContractId}/signing", ApiClient.Json);
        Assert.NotNull(sealedState!.SealedDocumentId);

        var downloads = await scenario.AuditAsync(session.ContractId, AuditEventTypes.SealedDownloaded);
        Assert.Equal(
            [(AuditActor.AdvisorRole, scenario.Live.Advisor.UserId, "contract"), (AuditActor.CustomerRole, session.CustomerId.ToString(), "session")],
            downloads.Select(d => (d.ActorRole, d.ActorId, SigningScenario.DataOf(d).GetProperty("via").GetString())));
        Assert.All(downloads, d => Assert.Equal(sealedState.SealedDocumentId, SigningScenario.DataOf(d).GetProperty("documentId").GetGuid()));
        Assert.All(downloads, d => Assert.Equal("127.0.0.1", d.IpAddress));
    }

    [Fact]
    public async Task Both_sides_of_the_session_hear_each_signature_and_the_move_to_signed()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        await using var advisorHub = await SessionHubClient.ConnectAsync(scenario.App, await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Live.Advisor.UserId));
        await using var customerHub = await SessionHubClient.ConnectAsync(scenario.App, session.Token);
        await advisorHub.JoinAsync(session.SessionId);
        await customerHub.JoinAsync(session.SessionId);

        var customer = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var customerSigned = await advisorHub.WaitForAsync("contractSigned");
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        var advisorSigned = await customerHub.WaitForAsync("contractSigned", e => e.GetProperty("signedBy").GetString() == "Advisor");
        var status = await customerHub.WaitForAsync("statusUpdate");

        Assert.Equal("Customer", customerSigned.GetProperty("signedBy").GetString());
        Assert.Equal(customer.Signature.SignedAt, customerSigned.GetProperty("signedAt").GetDateTimeOffset());
        Assert.Equal("Customer", customerSigned.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("Advisor", advisorSigned.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("Signed", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("version").GetInt64() > advisorSigned.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_signed_email_links_to_a_page_that_downloads_the_sealed_pdf()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        var toCustomer = Signed(await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2), session);
        var toAdvisor = Signed(await scenario.Live.WaitForMessagesAsync("advisor@example.com", 1), session);
        var link = SignedLink(toCustomer);
        using var web = scenario.App.CreateWebClient();
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        (await WaitForSealedAsync(advisor, $"api/contracts/{session.ContractId}/sealed")).Dispose();
        using var page = await web.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        var afterPage = await scenario.AuditAsync(session.ContractId, AuditEventTypes.SealedDownloaded);
        using var pdf = await web.GetAsync(link + "/pdf");

        Assert.Contains("is signed by Chloé Dupont. It is final", toCustomer.TextBody, StringComparison.Ordinal);
        Assert.StartsWith(scenario.App.BaseAddress + "signed/", link, StringComparison.Ordinal);
        Assert.NotEqual(link, SignedLink(toAdvisor));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Your signed contract", html, StringComparison.Ordinal);
        Assert.Contains("Download the signed PDF", html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal([AuditActor.AdvisorRole], afterPage.Select(e => e.ActorRole));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{session.Contract.Reference}-signed.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar);
        var download = (await scenario.AuditAsync(session.ContractId, AuditEventTypes.SealedDownloaded))[^1];
        Assert.Equal((AuditActor.CustomerRole, session.CustomerId.ToString(), "email-link"), (download.ActorRole, download.ActorId, SigningScenario.DataOf(download).GetProperty("via").GetString()));
    }

    [Theory]
    [InlineData("fr", "Votre contrat signé", "est signé par toutes les parties et définitif.", "Télécharger le PDF signé", @"Ce lien est valable jusqu'au \d{1,2} [a-zéû]+ \d{4}\.")]
    [InlineData("de", "Ihr unterschriebener Vertrag", "ist von allen Parteien unterschrieben und endgültig.", "Unterschriebenes PDF herunterladen", @"Dieser Link ist bis zum \d{1,2}\. [A-ZÄ][a-zä]+ \d{4} gültig\.")]
    public async Task A_customers_signed_pdf_page_is_in_the_contracts_language_and_the_advisors_stays_english(string language, string title, string final, string download, string worksUntil)
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(advisorMustSign: false, language: language);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var toCustomer = (await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2)).Single(m => SignedLink(m).Length > 0);
        var toAdvisor = Signed(await scenario.Live.WaitForMessagesAsync("advisor@example.com", 1), session);
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        (await WaitForSealedAsync(advisor, $"api/contracts/{session.ContractId}/sealed")).Dispose();
        using var web = scenario.App.CreateWebClient();

        using var customerPage = await web.GetAsync(SignedLink(toCustomer));
        using var advisorPage = await web.GetAsync(SignedLink(toAdvisor));
        var html = System.Net.WebUtility.HtmlDecode(await customerPage.Content.ReadAsStringAsync());
        var advisorHtml = await advisorPage.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, customerPage.StatusCode);
        Assert.Contains($"<html lang=\"{language}\"", html, StringComparison.Ordinal);
        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains($"({session.Contract.Reference}) {final}", html, StringComparison.Ordinal);
        Assert.Contains(download, html, StringComparison.Ordinal);
        Assert.Matches(worksUntil, html);
        Assert.Contains("<html lang=\"en\"", advisorHtml, StringComparison.Ordinal);
        Assert.Contains("Your signed contract", advisorHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_or_altered_download_link_says_so_and_sends_nothing()
    {
        await using var scenario = await SigningScenario.CreateAsync(settings: new Dictionary<string, string?> { ["Signing:DownloadLinkLifetime"] = "00:00:03" });
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var link = SignedLink(Signed(await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2), session));
        var altered = link[..^3] + (link[^3] == 'A' ? 'B' : 'A') + link[^2..];
        using var web = scenario.App.CreateWebClient();

        using var forgedPage = await web.GetAsync(altered);
        using var forgedPdf = await web.GetAsync(altered + "/pdf");
        using var madeUp = await web.GetAsync("signed/not-a-token");
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        using var expiredPage = await web.GetAsync(link);
        using var expiredPdf = await web.GetAsync(link + "/pdf");

        Assert.Equal(HttpStatusCode.NotFound, forgedPage.StatusCode);
        Assert.Contains("This link is not valid", await forgedPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, forgedPdf.StatusCode);
        Assert.Equal("That download link does not exist or is not yours.", await forgedPdf.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.NotFound, madeUp.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expiredPage.StatusCode);
        var expiredHtml = await expiredPage.Content.ReadAsStringAsync();
        Assert.Contains("This link has expired", expiredHtml, StringComparison.Ordinal);
        Assert.Contains("Ask your advisor to send you the signed contract again.", expiredHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Contract.Reference, expiredHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, expiredPdf.StatusCode);
        Assert.Equal("This download link has expired. Ask your advisor to send you the signed contract again.", await expiredPdf.ProblemDetailAsync());
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SealedDownloaded));
    }

    [Fact]
    public async Task A_signed_contract_without_its_sealed_pdf_answers_being_prepared_and_can_be_sealed_on_demand()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Live.Admin.UserId);
        using var other = await ApiClient.ForAsync(scenario.App, scenario.Live.OtherAdvisor.UserId);
        // A contract marked Signed behind the app's back: nothing asked for it to be sealed.
        var unsealed = await scenario.Live.CreateContractWithDocumentAsync();
        await using (var db = scenario.Database())
        {
            await db.Contracts.Where(c => c.Id == unsealed.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ContractStatus.Signed));
        }

        using var preparing = await advisor.GetAsync($"api/contracts/{unsealed.Id}/sealed");
        using var draft = await advisor.GetAsync($"api/contracts/{(await scenario.Live.CreateContractWithDocumentAsync()).Id}/sealed");
        using var sealedPdf = await WaitForSealedAsync(advisor, $"api/contracts/{session.ContractId}/sealed");
        using var sealAgain = await admin.PostAsync($"api/contracts/{session.ContractId}/seal", null);
        using var otherSeal = await other.PostAsync($"api/contracts/{session.ContractId}/seal", null);
        var state = await advisor.GetFromJsonAsync<SigningState>($"api/contracts/{session.ContractId}/signing", ApiClient.Json);

        Assert.Equal(HttpStatusCode.Conflict, preparing.StatusCode);
        Assert.Equal("The signed PDF is being prepared; try again in a minute.", await preparing.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.Conflict, draft.StatusCode);
        Assert.Equal("This contract is not signed yet, so there is no signed PDF to download.", await draft.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.OK, sealAgain.StatusCode);
        Assert.Equal(state!.SealedDocumentId, (await sealAgain.ReadAsync<DocumentSummary>()).Id);
        Assert.Equal(HttpStatusCode.NotFound, otherSeal.StatusCode);
    }

    [Fact]
    public async Task Bad_signature_requests_get_400_and_signing_outside_review_409()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        using var customer = ApiClient.WithToken(scenario.App, session.Token);
        var draft = await scenario.Live.CreateContractAsync(null, "draft@example.com", LiveSessionScenario.ThreePages);
        var draftSession = await scenario.Live.StartAsync(draft.Id);
        using var draftCustomer = ApiClient.WithToken(scenario.App, LiveSessionScenario.TokenOf(draftSession.CustomerLink));

        using var notBase64 = await customer.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest("Chloé Dupont", "not base64!", SigningConsent.Sha256));
        using var noImage = await customer.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest("Chloé Dupont", null, SigningConsent.Sha256));
        using var oldConsent = await customer.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", Request("Chloé Dupont", new string('0', 64)));
        using var blank = await customer.PostAsJsonAsync(
            $"api/sessions/{session.SessionId}/signatures",
            new SignatureRequest("Chloé Dupont", Convert.ToBase64String(SignaturePngs.Blank()), SigningConsent.Sha256));
        using var wrongName = await customer.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", Request("Someone Else"));
        using var inDraft = await draftCustomer.PostAsJsonAsync($"api/sessions/{draftSession.Session.Id}/signatures", Request("Chloé Dupont"));

        Assert.Equal((HttpStatusCode.BadRequest, "signaturePng must be the drawn signature as a base64 PNG."), await StatusAndDetailAsync(notBase64));
        Assert.Equal((HttpStatusCode.BadRequest, "signaturePng must be the drawn signature as a base64 PNG."), await StatusAndDetailAsync(noImage));
        Assert.Equal(HttpStatusCode.BadRequest, oldConsent.StatusCode);
        Assert.StartsWith("The consent text you agreed to is not the current one.", await oldConsent.ProblemDetailAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "The signature is blank; draw your signature to sign."), await StatusAndDetailAsync(blank));
        Assert.Equal(HttpStatusCode.BadRequest, wrongName.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "The contract can be signed once the advisor has sent it for review."), await StatusAndDetailAsync(inDraft));
        Assert.Empty(await scenario.SignaturesAsync(session.ContractId));
    }

    [Fact]
    public async Task Only_the_participants_reach_a_sessions_signing_and_only_the_advisor_and_admins_a_contracts()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        var elsewhere = await scenario.StartInReviewAsync(customerEmail: "someone@example.com");
        using var anonymous = new HttpClient { BaseAddress = scenario.App.BaseAddress };
        using var otherCustomer = ApiClient.WithToken(scenario.App, elsewhere.Token);
        using var customer = ApiClient.WithToken(scenario.App, session.Token);
        using var otherAdvisor = await ApiClient.ForAsync(scenario.App, scenario.Live.OtherAdvisor.UserId);
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Live.Admin.UserId);
        var sessionPaths = new[] { $"api/sessions/{session.SessionId}/signing", $"api/sessions/{session.SessionId}/sealed" };
        var contractPaths = new[] { $"api/contracts/{session.ContractId}/signing", $"api/contracts/{session.ContractId}/sealed", $"api/contracts/{session.ContractId}/signatures/Customer/image" };
        var signing = $"api/sessions/{session.SessionId}/signatures";

        foreach (var path in sessionPaths.Concat(contractPaths))
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
        }

        using (var response = await anonymous.PostAsJsonAsync(signing, Request("Chloé Dupont")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        foreach (var client in new[] { otherCustomer, otherAdvisor })
        {
            foreach (var path in sessionPaths)
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            }

            using var signed = await client.PostAsJsonAsync(signing, Request("Chloé Dupont"));
            Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);
        }

        foreach (var path in contractPaths)
        {
            using var byOther = await otherAdvisor.GetAsync(path);
            using var byCustomer = await customer.GetAsync(path);
            Assert.True(byOther.StatusCode == HttpStatusCode.NotFound, $"{path}: {byOther.StatusCode}");
            Assert.True(byCustomer.StatusCode == HttpStatusCode.Forbidden, $"{path}: {byCustomer.StatusCode}");
        }

        using var adminSigns = await admin.PostAsJsonAsync(signing, Request("Ada Admin"));
        var adminState = await admin.GetFromJsonAsync<SigningState>($"api/contracts/{session.ContractId}/signing", ApiClient.Json);

        Assert.Equal(HttpStatusCode.Forbidden, adminSigns.StatusCode);
        Assert.Null(adminState!.CallerRole);
        Assert.Empty(await scenario.SignaturesAsync(session.ContractId));
    }

    private static SignatureRequest Request(string fullName, string? consentSha256 = null) =>
        new(fullName, SignaturePngs.DrawnBase64(), consentSha256 ?? SigningConsent.Sha256);

    /// <summary>An API client that sends the cookies a web client received (the customer's session cookie).</summary>
    private static HttpClient CookieClient(LiveContractApp app, Fixtures.WebClient web) =>
        new(new HttpClientHandler { CookieContainer = web.Cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    /// <summary>Asks for the sealed PDF until sealing (in the background, right after the last signature) has made it.</summary>
    private static async Task<HttpResponseMessage> WaitForSealedAsync(HttpClient client, string path)
    {
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (true)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return response;
            }

            Assert.Equal("The signed PDF is being prepared; try again in a minute.", await response.ProblemDetailAsync());
            response.Dispose();
            await Task.Delay(100);
        }
    }

    /// <summary>The "contract signed" message among <paramref name="messages"/>.</summary>
    private static MimeKit.MimeMessage Signed(IReadOnlyList<MimeKit.MimeMessage> messages, SessionInReview session) =>
        messages.Single(m => m.Subject == $"Signed: {session.Contract.Reference}");

    private static string SignedLink(MimeKit.MimeMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"https?://\S+/signed/\S+").Value;

    private static async Task<(HttpStatusCode, string)> StatusAndDetailAsync(HttpResponseMessage response) =>
        (response.StatusCode, await response.ProblemDetailAsync());
}
