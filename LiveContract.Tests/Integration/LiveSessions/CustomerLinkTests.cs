using System.Net;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>The customer's way in: the landing page, the customer cookie, document links, and the walls around them.</summary>
public sealed class CustomerLinkTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_landing_page_names_advisor_and_contract_and_only_the_button_uses_the_link(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        using var customer = app.CreateWebClient();

        using var page = await customer.GetAsync($"join/{session.Token}");
        using var again = await customer.GetAsync($"join/{session.Token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"<h1 class=\"mud-typography mud-typography-h4 mb-4\">Victor Advisor invites you to review Motor policy ({session.Contract.Reference})</h1>", html);
        Assert.Contains("Chloé Dupont", html);
        Assert.Contains(">Join the session</span>", html);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString());
        Assert.DoesNotContain(await ActivityAsync(api, session), a => a.Kind == LiveSessionActivityKind.LinkUsed);

        using var joined = await customer.SubmitFormAsync($"join/{session.Token}", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Found, joined.StatusCode);
        Assert.Equal($"/sessions/{session.SessionId}", customer.RedirectPath(joined));
        var cookie = joined.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("LiveContract.Session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        var used = Assert.Single(await ActivityAsync(api, session), a => a.Kind == LiveSessionActivityKind.LinkUsed);
        Assert.Equal("127.0.0.1", used.IpAddress);
    }

    [Fact]
    public async Task A_link_that_opens_nothing_says_why_and_whom_to_ask_and_never_shows_a_contract()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var revoked = await LiveSessionApiHarness.StartAsync(api, "Revoked policy");
        var ended = await LiveSessionApiHarness.StartAsync(api, "Ended policy");
        await api.DeleteAsync($"api/sessions/{revoked.SessionId}/link");
        await api.DeleteAsync($"api/sessions/{ended.SessionId}");
        using var customer = app.CreateWebClient();

        var forged = "lcs_" + new string('A', 43);
        foreach (var (token, status, title) in new[]
                 {
                     (forged, HttpStatusCode.NotFound, "This link is not valid"),
                     ("not-even-a-token", HttpStatusCode.NotFound, "This link is not valid"),
                     (revoked.Token, HttpStatusCode.Gone, "This link was replaced or withdrawn"),
                     (ended.Token, HttpStatusCode.Gone, "This session has ended"),
                 })
        {
            await AssertLinkProblemAsync(customer, token, status, title, token.StartsWith("lcs_A", StringComparison.Ordinal) || token == "not-even-a-token" ? "your advisor" : "Victor Advisor");
        }

        // The page was loaded while the link worked, and the button pressed after it stopped working.
        var late = await LiveSessionApiHarness.StartAsync(api, "Late policy", "late@example.com");
        using var form = await customer.GetAsync($"join/{late.Token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var fields = Fixtures.WebClient.HiddenFields(await form.Content.ReadAsStringAsync());
        await api.DeleteAsync($"api/sessions/{late.SessionId}");
        using var pressed = await customer.PostFormAsync($"join/{late.Token}", fields);
        Assert.Equal(HttpStatusCode.Gone, pressed.StatusCode);
        Assert.Contains(">This session has ended</h1>", await pressed.Content.ReadAsStringAsync());
        Assert.False(pressed.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("LiveContract.Session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_expired_link_says_so()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveSessions:LinkLifetime"] = "00:00:01" });
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var expired = await LiveSessionApiHarness.StartAsync(api, "Expired policy");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var customer = app.CreateWebClient();

        await AssertLinkProblemAsync(customer, expired.Token, HttpStatusCode.Gone, "This link has expired", "Victor Advisor");
    }

    [Fact]
    public async Task A_customer_never_reaches_staff_pages_or_the_api()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        using var customer = await LiveSessionApiHarness.JoinAsCustomerAsync(app, session.Token);

        foreach (var path in new[] { "", "admin/users", "Account/Manage", "Account/Manage/ChangePassword", $"contracts/{session.Contract.Id}", "account/api-tokens" })
        {
            using var response = await customer.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Found, $"/{path}: {response.StatusCode}");
            Assert.Equal("/Account/AccessDenied", customer.RedirectPath(response));
        }

        foreach (var path in new[] { "api/contracts", $"api/contracts/{session.Contract.Id}", $"api/sessions/{session.SessionId}", $"api/documents/{session.ThreePages.Id}" })
        {
            using var response = await customer.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"/{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_customer_reads_the_documents_of_their_session_only_while_the_link_works()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var other = await LiveSessionApiHarness.StartAsync(api, "Other policy", "someone@example.com");
        using var customer = await LiveSessionApiHarness.JoinAsCustomerAsync(app, session.Token);
        using var bearer = ApiClient.WithToken(app, session.Token);
        var links = app.Services.GetRequiredService<DocumentLinks>();
        var caller = new SessionCaller.Customer(await LiveSessionApiHarness.LinkIdAsync(app, session.Token));

        using var own = await customer.GetAsync(links.Create(session.ThreePages.Id, caller).Url);
        using var ownByToken = await bearer.GetAsync(links.Create(session.OnePage.Id, caller).Url);
        using var foreign = await customer.GetAsync(links.Create(other.ThreePages.Id, caller).Url);
        using var advisorsLink = await customer.GetAsync(links.Create(session.ThreePages.Id, advisor.Id).Url);
        using var otherCustomersLink = await customer.GetAsync(
            links.Create(session.ThreePages.Id, new SessionCaller.Customer(await LiveSessionApiHarness.LinkIdAsync(app, other.Token))).Url);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/pdf", own.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FixturePdfs.Read("motor-insurance-claim-form.pdf"), await own.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, ownByToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, advisorsLink.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherCustomersLink.StatusCode);

        // The advisor's links still work for the advisor.
        using var advisorClient = await app.LogInAsAdvisorAsync();
        using var advisorRead = await advisorClient.GetAsync(links.Create(session.ThreePages.Id, advisor.Id).Url);
        Assert.Equal(HttpStatusCode.OK, advisorRead.StatusCode);

        await api.DeleteAsync($"api/sessions/{session.SessionId}");
        using var afterEnd = await customer.GetAsync(links.Create(session.ThreePages.Id, caller).Url);
        using var afterEndByToken = await bearer.GetAsync(links.Create(session.ThreePages.Id, caller).Url);
        Assert.Equal(HttpStatusCode.Forbidden, afterEnd.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterEndByToken.StatusCode);
    }

    [Fact]
    public async Task A_customer_cookie_whose_link_was_withdrawn_is_signed_out()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        using var customer = await LiveSessionApiHarness.JoinAsCustomerAsync(app, session.Token);

        await api.DeleteAsync($"api/sessions/{session.SessionId}/link");
        using var response = await customer.GetAsync("api/contracts");

        // Signed in it would be 403; its link gone, the cookie is dropped and the request is anonymous.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("LiveContract.Session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_access_token_in_the_query_string_counts_on_the_hub_only()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var apiToken = await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var anonymous = await http.PostAsync("hubs/sessions/negotiate?negotiateVersion=1", null);
        using var customer = await http.PostAsync($"hubs/sessions/negotiate?negotiateVersion=1&access_token={session.Token}", null);
        using var staff = await http.PostAsync($"hubs/sessions/negotiate?negotiateVersion=1&access_token={apiToken}", null);
        using var forged = await http.PostAsync($"hubs/sessions/negotiate?negotiateVersion=1&access_token=lcs_{new string('A', 43)}", null);
        using var onApi = await http.GetAsync($"api/contracts?access_token={apiToken}");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, onApi.StatusCode);
    }

    private static async Task AssertLinkProblemAsync(Fixtures.WebClient customer, string token, HttpStatusCode status, string title, string whomToAsk)
    {
        using var response = await customer.GetAsync($"join/{token}");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(status == response.StatusCode, $"{token}: {response.StatusCode}");
        Assert.Contains($">{title}</h1>", html);
        var alert = html.IndexOf("data-testid=\"link-problem\"", StringComparison.Ordinal);
        Assert.True(alert >= 0, $"{token}: no link-problem alert in {html}");
        Assert.Contains($"Ask {whomToAsk} for a new link.", html[alert..Math.Min(html.Length, alert + 2000)]);
        Assert.DoesNotContain("policy", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("LC-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Join the session", html);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    private static async Task<List<LiveSessionActivityEntry>> ActivityAsync(HttpClient api, StartedSession session) =>
        await (await api.GetAsync($"api/sessions/{session.SessionId}/activity")).ReadAsync<List<LiveSessionActivityEntry>>();
}
