using System.Net;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;

namespace LiveContract.Tests.Integration;

/// <summary>The live sessions and system pages and their API, as the server enforces them: admins only.</summary>
public sealed class AdminSessionsAndSystemAuthorizationTests
{
    public static TheoryData<string, string> Pages => new()
    {
        { "admin/sessions", "Active now" },
        { "admin/system", "In memory (this server)" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_pages_send_the_anonymous_to_login_deny_advisors_and_open_for_admins(string path, string content)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var anonymous = app.CreateWebClient();
        using var advisor = await app.LogInAsAdvisorAsync();
        using var admin = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var asAnonymous = await anonymous.GetAsync(path);
        using var asAdvisor = await advisor.GetAsync(path);
        using var asAdmin = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.Found, asAnonymous.StatusCode);
        Assert.Equal("/Account/Login", anonymous.RedirectPath(asAnonymous));
        Assert.Equal(HttpStatusCode.Found, asAdvisor.StatusCode);
        Assert.Equal("/Account/AccessDenied", advisor.RedirectPath(asAdvisor));
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains(content, await asAdmin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_api_answers_401_to_the_anonymous_403_to_advisors_and_serves_admins(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = scenario.App.BaseAddress };
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Advisor.UserId);
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Admin.UserId);
        var end = $"api/admin/sessions/{started.Session.Id}/end";
        string[] reads = ["api/admin/sessions?state=active", "api/admin/sessions?state=ended", "api/admin/system"];

        foreach (var path in reads)
        {
            using var asAnonymous = await anonymous.GetAsync(path);
            using var asAdvisor = await advisor.GetAsync(path);
            using var asAdmin = await admin.GetAsync(path);
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK), (asAnonymous.StatusCode, asAdvisor.StatusCode, asAdmin.StatusCode));
        }

        using (var asAnonymous = await anonymous.PostAsync(end, null))
        using (var asAdvisor = await advisor.PostAsync(end, null))
        {
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (asAnonymous.StatusCode, asAdvisor.StatusCode));
        }

        var active = await (await admin.GetAsync("api/admin/sessions?state=active&page=1&pageSize=10")).ReadAsync<PagedResult<ActiveSessionRow>>();
        Assert.Equal([started.Session.Id], active.Items.Select(r => r.SessionId));

        using var ended = await admin.PostAsync(end, null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(LiveSessionStatus.Ended, (await ended.ReadAsync<LiveSessionInfo>()).Status);
        var list = await (await admin.GetAsync("api/admin/sessions?state=ended")).ReadAsync<PagedResult<EndedSessionRow>>();
        Assert.Equal([(started.Session.Id, "Ada Admin")], list.Items.Select(r => (r.SessionId, r.EndedBy)));
    }

    [Fact]
    public async Task The_api_explains_a_wrong_list_and_an_unknown_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Admin.UserId);

        using var wrongState = await admin.GetAsync("api/admin/sessions?state=paused");
        using var unknown = await admin.PostAsync($"api/admin/sessions/{Guid.NewGuid()}/end", null);
        using var notAnId = await admin.PostAsync("api/admin/sessions/not-an-id/end", null);

        Assert.Equal(HttpStatusCode.BadRequest, wrongState.StatusCode);
        Assert.Equal("state must be 'active', 'completed', 'ended' or 'finished' (completed and ended).", await wrongState.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(LiveSessionErrors.UnknownSession.Message, await unknown.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }
}
