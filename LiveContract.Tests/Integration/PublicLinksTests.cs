using System.Net;
using System.Net.Http.Json;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using LiveContract.Web.Features.Documents;
using LiveContract.Web.Features.LiveSessions;
using LiveContract.Web.Features.Signing;
using MimeKit;
using WebClient = LiveContract.Tests.Fixtures.WebClient;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Every absolute link LiveContract emails or returns is built from <c>LiveContract:PublicUrl</c>,
/// never from the request: each request here names a forged <c>Host</c> and
/// <c>X-Forwarded-Host</c> (with host filtering turned off by <c>AllowedHosts: *</c> and the
/// sender trusted as a proxy, the worst an operator could configure), and every link still
/// points at the configured address. With <c>AllowedHosts</c> left to its default, a forged host
/// is refused outright.
/// </summary>
public sealed class PublicLinksTests
{
    private const string PublicUrl = "https://contracts.example.com/";
    private const string ForgedHost = "evil.example:8443";

    /// <summary>An installation whose public address is <see cref="PublicUrl"/> and that lets any Host through.</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["LiveContract:PublicUrl"] = PublicUrl,
        ["AllowedHosts"] = "*",
        ["ReverseProxy:KnownProxies:0"] = "127.0.0.1",
    };

    [Fact]
    public async Task A_password_reset_asked_for_with_a_forged_host_links_to_the_public_address()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(Settings);
        await app.CreateStaffAsync();
        using var client = app.CreateWebClient();
        Forge(client.Headers);

        using var response = await client.SubmitFormAsync("Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = "advisor@example.com" });

        Assert.Equal("/Account/ForgotPasswordConfirmation", client.RedirectPath(response));
        var link = Mailbox.PasswordLink(await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "advisor@example.com"));
        Assert.StartsWith(PublicUrl + "Account/ResetPassword?code=", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_links_started_and_resent_with_a_forged_host_and_their_hub_address_are_under_the_public_address()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(settings: Settings);
        var contract = await scenario.CreateContractWithDocumentAsync();
        using var api = await ForgedApiAsync(scenario.App, scenario.Advisor.UserId);

        using var startResponse = await api.PostAsync($"api/contracts/{contract.Id}/session", null);
        var started = await startResponse.ReadAsync<StartSessionResponse>();
        using var resendResponse = await api.PostAsync($"api/sessions/{started.SessionId}/link", null);
        var resent = await resendResponse.ReadAsync<CustomerLinkResponse>();
        var emails = await scenario.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2);

        Assert.Equal(HttpStatusCode.Created, startResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resendResponse.StatusCode);
        Assert.StartsWith(PublicUrl + "join/lcs_", started.CustomerLink, StringComparison.Ordinal);
        Assert.Equal(PublicUrl + "hubs/sessions", started.HubUrl);
        Assert.StartsWith(PublicUrl + "join/lcs_", resent.CustomerLink, StringComparison.Ordinal);
        // Both emails arrive within the same second, so their order is not known.
        Assert.Equal(new[] { started.CustomerLink, resent.CustomerLink }.Order(), emails.Select(LiveSessionScenario.SessionLink).Order());
        Assert.All(emails, m => Assert.DoesNotContain("evil.example", m.TextBody + m.HtmlBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_document_file_url_asked_for_with_a_forged_host_is_under_the_public_address()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(settings: Settings);
        var contract = await scenario.CreateContractWithDocumentAsync();
        using var api = await ForgedApiAsync(scenario.App, scenario.Advisor.UserId);

        var document = await api.GetFromJsonAsync<DocumentResponse>($"api/documents/{contract.Documents[0].Id}", ApiClient.Json);

        Assert.StartsWith($"{PublicUrl}documents/{contract.Documents[0].Id}/content", document!.FileUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signed_pdf_emails_to_both_parties_after_a_signature_with_a_forged_host_link_to_the_public_address()
    {
        await using var scenario = await SigningScenario.CreateAsync(settings: Settings);
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        using var customer = Forged(ApiClient.WithToken(scenario.App, session.Token));

        using var signed = await customer.PostAsJsonAsync(
            $"api/sessions/{session.SessionId}/signatures",
            new SignatureRequest("Chloé Dupont", "data:image/png;base64," + SignaturePngs.DrawnBase64(), Core.Signing.SigningConsent.Sha256));
        var toCustomer = SignedMessage(await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2), session);
        var toAdvisor = SignedMessage(await scenario.Live.WaitForMessagesAsync("advisor@example.com", 1), session);

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.StartsWith(PublicUrl + "signed/", Mailbox.SignedLink(toCustomer), StringComparison.Ordinal);
        Assert.StartsWith(PublicUrl + "signed/", Mailbox.SignedLink(toAdvisor), StringComparison.Ordinal);
        Assert.All(new[] { toCustomer, toAdvisor }, m => Assert.DoesNotContain("evil.example", m.TextBody + m.HtmlBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_allowed_hosts_taken_from_the_public_url_a_forged_host_is_refused()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveContract:PublicUrl"] = PublicUrl });
        await app.CreateStaffAsync();
        using var forged = app.CreateWebClient();
        forged.Headers.Host = ForgedHost;
        using var publicHost = app.CreateWebClient();
        publicHost.Headers.Host = "contracts.example.com";
        using var loopback = app.CreateWebClient();

        using var refusedPage = await forged.GetAsync("Account/ForgotPassword");
        using var refusedHealth = await forged.GetAsync("health");
        using var publicPage = await publicHost.GetAsync("Account/ForgotPassword");
        using var developerPage = await loopback.GetAsync("Account/ForgotPassword");

        Assert.Equal(HttpStatusCode.BadRequest, refusedPage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicPage.StatusCode);
        // Development (the test app's environment) also answers to localhost, 127.0.0.1 and [::1].
        Assert.Equal(HttpStatusCode.OK, developerPage.StatusCode);
    }

    [Fact]
    public async Task Outside_development_only_the_public_host_is_allowed_unless_allowed_hosts_says_otherwise()
    {
        await using var installation = await TestInstallation.CreateAsync();
        var production = new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Storage:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["LiveContract:PublicUrl"] = PublicUrl,
        };
        await using (var app = installation.Start(production))
        {
            using var loopback = app.CreateWebClient();
            using var publicHost = app.CreateWebClient();
            publicHost.Headers.Host = "contracts.example.com";

            using var refused = await loopback.GetAsync("health");
            using var allowed = await publicHost.GetAsync("health");

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        production["AllowedHosts"] = "localhost;contracts.example.com";
        await using (var app = installation.Start(production))
        {
            using var loopback = app.CreateWebClient();
            using var forged = app.CreateWebClient();
            forged.Headers.Host = ForgedHost;

            using var allowed = await loopback.GetAsync("health");
            using var refused = await forged.GetAsync("health");

            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    private static async Task<HttpClient> ForgedApiAsync(LiveContractApp app, string userId) => Forged(await ApiClient.ForAsync(app, userId));

    private static HttpClient Forged(HttpClient client)
    {
        Forge(client.DefaultRequestHeaders);
        return client;
    }

    private static void Forge(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        headers.Host = ForgedHost;
        headers.Add("X-Forwarded-Host", ForgedHost);
        headers.Add("X-Forwarded-Proto", "http");
    }

    private static MimeMessage SignedMessage(IReadOnlyList<MimeMessage> messages, SessionInReview session) =>
        messages.Single(m => m.Subject == $"Signed: {session.Contract.Reference}");
}
