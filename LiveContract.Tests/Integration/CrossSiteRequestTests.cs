using System.Net;
using System.Net.Http.Headers;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Contracts;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using WebClient = LiveContract.Tests.Fixtures.WebClient;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Cross-site request forgery against the API: the state changes a page on another site could make
/// a signed-in browser send (a form or multipart POST, which needs no CORS preflight) are refused
/// when they carry the login or customer cookie and the browser says they come from another site;
/// the same requests succeed with an API token, and from LiveContract's own pages.
/// </summary>
public sealed class CrossSiteRequestTests
{
    private const string Evil = "http://evil.example";

    public static TheoryData<string> CrossSiteHeaders => new("Origin", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: same-site");

    [Theory]
    [MemberData(nameof(CrossSiteHeaders))]
    public async Task Each_state_change_sent_from_another_site_with_the_login_cookie_is_refused_and_changes_nothing(string from)
    {
        await using var scenario = await Scenario.CreateAsync();
        using var advisor = await scenario.App.LogInAsAdvisorAsync();
        using var admin = await scenario.App.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        foreach (var (name, byAdmin, request) in scenario.Requests())
        {
            using var message = request();
            CrossSite(message, from);
            using var response = await (byAdmin ? admin : advisor).SendAsync(message);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Contains("came from another website", await response.ProblemDetailAsync(), StringComparison.Ordinal);
        }

        await scenario.AssertNothingChangedAsync();
    }

    [Fact]
    public async Task The_same_requests_with_an_api_token_succeed_from_anywhere()
    {
        await using var scenario = await Scenario.CreateAsync();
        using var advisor = ApiClient.WithToken(scenario.App, await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.Id));
        using var admin = ApiClient.WithToken(scenario.App, await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Admin.Id));

        foreach (var (name, byAdmin, request) in scenario.Requests())
        {
            using var message = request();
            CrossSite(message, "Sec-Fetch-Site: cross-site");
            using var response = await (byAdmin ? admin : advisor).SendAsync(message);

            Assert.True(response.IsSuccessStatusCode, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("Sec-Fetch-Site: same-origin")]
    [InlineData("Origin: own")]
    [InlineData("no browser header")]
    public async Task The_same_requests_with_the_login_cookie_succeed_from_our_own_pages_and_from_programs(string from)
    {
        await using var scenario = await Scenario.CreateAsync();
        using var advisor = await scenario.App.LogInAsAdvisorAsync();
        using var admin = await scenario.App.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var ownOrigin = scenario.App.BaseAddress.GetLeftPart(UriPartial.Authority);

        foreach (var (name, byAdmin, request) in scenario.Requests())
        {
            using var message = request();
            switch (from)
            {
                case "Sec-Fetch-Site: same-origin":
                    message.Headers.Add("Sec-Fetch-Site", "same-origin");
                    message.Headers.Add("Origin", ownOrigin);
                    break;
                case "Origin: own":
                    message.Headers.Add("Origin", ownOrigin);
                    break;
            }

            using var response = await (byAdmin ? admin : advisor).SendAsync(message);

            Assert.True(response.IsSuccessStatusCode, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_customer_link_cookie_is_refused_from_another_site_and_the_customer_bearer_token_is_not()
    {
        await using var scenario = await Scenario.CreateAsync();
        using var customer = await LiveSessionApiHarness.JoinAsCustomerAsync(scenario.App, scenario.Session.Token);

        using (var byCookie = SignatureRequest(scenario.Session.SessionId))
        {
            CrossSite(byCookie, "Origin");
            using var refused = await customer.SendAsync(byCookie);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("came from another website", await refused.ProblemDetailAsync(), StringComparison.Ordinal);
        }

        using var bearer = ApiClient.WithToken(scenario.App, scenario.Session.Token);
        using var byToken = SignatureRequest(scenario.Session.SessionId);
        CrossSite(byToken, "Sec-Fetch-Site: cross-site");
        using var reached = await bearer.SendAsync(byToken);

        // The endpoint itself answers: the form is not the JSON a signature must be.
        Assert.NotEqual(HttpStatusCode.Forbidden, reached.StatusCode);
        Assert.DoesNotContain("another website", await reached.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage SignatureRequest(Guid sessionId) =>
        new(HttpMethod.Post, $"api/sessions/{sessionId}/signatures")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["fullName"] = "Chloé Dupont" }),
        };

    private static void CrossSite(HttpRequestMessage message, string from)
    {
        message.Headers.Add("Origin", Evil);
        if (from.StartsWith("Sec-Fetch-Site: ", StringComparison.Ordinal))
        {
            message.Headers.Add("Sec-Fetch-Site", from["Sec-Fetch-Site: ".Length..]);
        }
    }

    /// <summary>
    /// An advisor's contract with two documents in a live session, a second contract with a document
    /// and no session, and a deactivated advisor: the targets of the requests in <see cref="Requests"/>.
    /// </summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private TestInstallation installation = default!;

        public LiveContractApp App { get; private set; } = default!;

        public UserSummary Admin { get; private set; } = default!;

        public UserSummary Advisor { get; private set; } = default!;

        public UserSummary Deactivated { get; private set; } = default!;

        public StartedSession Session { get; private set; } = default!;

        public ContractDetails Idle { get; private set; } = default!;

        public static async Task<Scenario> CreateAsync()
        {
            var scenario = new Scenario { installation = await TestInstallation.CreateAsync() };
            scenario.App = scenario.installation.Start();
            (scenario.Admin, scenario.Advisor) = await scenario.App.CreateStaffAsync();
            using var api = ApiClient.WithToken(scenario.App, await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.Id));
            scenario.Session = await LiveSessionApiHarness.StartAsync(api);

            using var created = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Home policy", "Paul Martin", "paul@example.com", null));
            scenario.Idle = await created.ReadAsync<ContractDetails>();
            using var uploaded = await api.PostAsync($"api/contracts/{scenario.Idle.Id}/documents", Pdf());
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);

            var olga = await scenario.App.CreateUserAsync("Olga Other", "olga@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
            var deactivated = await scenario.App.Services.GetRequiredService<UserDeactivation>().DeactivateAsync(new Actor(scenario.Admin.Id, IsAdmin: true), olga.Id, null);
            Assert.True(deactivated.Succeeded, deactivated.Error?.Message);
            scenario.Deactivated = olga;
            return scenario;
        }

        /// <summary>The state changes of issue #17, as a hostile page would send them (forms and multipart), in an order where each can succeed.</summary>
        public IEnumerable<(string Name, bool ByAdmin, Func<HttpRequestMessage> Request)> Requests()
        {
            var empty = () => new FormUrlEncodedContent(new Dictionary<string, string>());
            yield return ("resend the customer link", false, () => new HttpRequestMessage(HttpMethod.Post, $"api/sessions/{Session.SessionId}/link") { Content = empty() });
            yield return ("start a session", false, () => new HttpRequestMessage(HttpMethod.Post, $"api/contracts/{Idle.Id}/session") { Content = empty() });
            yield return ("verify the audit trail", false, () => new HttpRequestMessage(HttpMethod.Post, $"api/contracts/{Session.Contract.Id}/audit/verify") { Content = empty() });
            yield return ("upload a document", false, () => new HttpRequestMessage(HttpMethod.Post, $"api/contracts/{Idle.Id}/documents") { Content = Pdf() });
            yield return ("reactivate an account", true, () => new HttpRequestMessage(HttpMethod.Post, $"api/admin/users/{Deactivated.Id}/reactivate") { Content = empty() });
            yield return ("end a session", true, () => new HttpRequestMessage(HttpMethod.Post, $"api/admin/sessions/{Session.SessionId}/end") { Content = empty() });
        }

        public async Task AssertNothingChangedAsync()
        {
            var sessions = App.Services.GetRequiredService<LiveSessionService>();
            Assert.True((await sessions.CheckLinkAsync(Session.Token)).IsValid, "The customer link was replaced or the session ended.");
            var advisor = new Actor(Advisor.Id, IsAdmin: false);
            var idle = await App.Services.GetRequiredService<ContractService>().GetAsync(advisor, Idle.Id);
            Assert.Single(idle.Value!.Documents);
            Assert.Null(await sessions.GetActiveAsync(advisor, Idle.Id));
            var olga = (await App.Services.GetRequiredService<UserAdministration>().ListAsync()).Single(u => u.Id == Deactivated.Id);
            Assert.Equal(UserStatus.Deactivated, olga.Status);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await installation.DisposeAsync();
        }

        private static MultipartFormDataContent Pdf()
        {
            var content = new MultipartFormDataContent();
            var file = new ByteArrayContent(FixturePdfs.Read("empty.pdf"));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "files", "empty.pdf");
            return content;
        }
    }
}
