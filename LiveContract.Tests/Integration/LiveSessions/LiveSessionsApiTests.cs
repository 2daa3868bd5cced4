using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.LiveSessions;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>The REST side of live sessions: start, read, end, resend and revoke the customer link, and who may.</summary>
public sealed class LiveSessionsApiTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_advisor_starts_reads_and_ends_a_session(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        var session = await LiveSessionApiHarness.StartAsync(api);

        Assert.Equal(new Uri(app.BaseAddress, "hubs/sessions").ToString(), session.Response.HubUrl);
        Assert.StartsWith($"{app.BaseAddress}join/lcs_", session.Response.CustomerLink, StringComparison.Ordinal);
        Assert.True(session.Response.EmailSent);
        Assert.Equal((session.SessionId, session.Contract.Id, LiveSessionStatus.Active), (session.Response.Session.Id, session.Response.Session.ContractId, session.Response.Session.Status));
        Assert.True(session.Response.Session.Link!.IsActive);

        using var read = await api.GetAsync($"api/sessions/{session.SessionId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var json = JsonDocument.Parse(await read.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Active", json.RootElement.GetProperty("session").GetProperty("status").GetString());
            Assert.True(json.RootElement.TryGetProperty("live", out _));
        }

        await using (var hub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id)))
        {
            await hub.JoinAsync(session.SessionId);
            var live = (await (await api.GetAsync($"api/sessions/{session.SessionId}")).ReadAsync<SessionResponse>()).Live!;
            Assert.Equal((session.ThreePages.Id, 1), (live.DocumentId, live.Page));
            Assert.Equal("Victor Advisor", Assert.Single(live.Participants).DisplayName);

            using var ended = await api.DeleteAsync($"api/sessions/{session.SessionId}");
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            Assert.Equal(LiveSessionStatus.Ended, (await ended.ReadAsync<LiveSessionInfo>()).Status);
            await hub.WaitForAsync("sessionEnded");
        }

        var after = await (await api.GetAsync($"api/sessions/{session.SessionId}")).ReadAsync<SessionResponse>();
        Assert.Equal(LiveSessionStatus.Ended, after.Session.Status);
        Assert.Null(after.Live);
        var activity = await (await api.GetAsync($"api/sessions/{session.SessionId}/activity")).ReadAsync<List<LiveSessionActivityEntry>>();
        Assert.Equal(
            [LiveSessionActivityKind.Started, LiveSessionActivityKind.LinkSent, LiveSessionActivityKind.Joined, LiveSessionActivityKind.Ended],
            activity.Select(a => a.Kind).Where(k => k != LiveSessionActivityKind.Left).Take(4));
        var message = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "chloe@example.com");
        Assert.Contains(session.Response.CustomerLink, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resending_replaces_the_link_and_revoking_withdraws_it()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);

        using var resent = await api.PostAsync($"api/sessions/{session.SessionId}/link", null);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        var link = await resent.ReadAsync<CustomerLinkResponse>();
        Assert.NotEqual(session.Response.CustomerLink, link.CustomerLink);
        Assert.True(link.EmailSent);

        using var web = app.CreateWebClient();
        Assert.Contains("This link was replaced or withdrawn", await (await web.GetAsync($"join/{session.Token}")).Content.ReadAsStringAsync());
        Assert.Contains("Join the session", await (await web.GetAsync($"join/{StartedSession.TokenOf(link.CustomerLink)}")).Content.ReadAsStringAsync());

        using var revoked = await api.DeleteAsync($"api/sessions/{session.SessionId}/link");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await revoked.ReadAsync<LiveSessionInfo>()).Link!.IsActive);
        Assert.Contains("This link was replaced or withdrawn", await (await web.GetAsync($"join/{StartedSession.TokenOf(link.CustomerLink)}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_the_contracts_advisor_acts_on_its_session()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var other = await app.CreateUserAsync("Olga Other", "other@example.com", Core.Accounts.Roles.Advisor, LiveContractApp.AdvisorPassword);
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var otherApi = await ApiClient.ForAsync(app, other.Id);
        using var adminApi = await ApiClient.ForAsync(app, admin.Id);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var session = await LiveSessionApiHarness.StartAsync(api);
        var second = await LiveSessionApiHarness.StartAsync(api, "Home policy");
        await api.DeleteAsync($"api/sessions/{second.SessionId}");

        foreach (var (method, path) in Endpoints(session))
        {
            using var response = await otherApi.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} by another advisor: {response.StatusCode}");
            using var unauthenticated = await anonymous.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        using var restart = await api.PostAsync($"api/contracts/{session.Contract.Id}/session", null);
        Assert.Equal(HttpStatusCode.Conflict, restart.StatusCode);
        Assert.Contains("already has a live session", await restart.ProblemDetailAsync());
        using var adminStart = await adminApi.PostAsync($"api/contracts/{second.Contract.Id}/session", null);
        Assert.Equal(HttpStatusCode.Forbidden, adminStart.StatusCode);
        using var adminRead = await adminApi.GetAsync($"api/sessions/{session.SessionId}");
        Assert.Equal(HttpStatusCode.OK, adminRead.StatusCode);

        using var customer = ApiClient.WithToken(app, session.Token);
        foreach (var (method, path) in Endpoints(session).Append((HttpMethod.Get, "api/contracts")))
        {
            using var response = await customer.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} by the customer: {response.StatusCode}");
        }

        Assert.Equal(LiveSessionStatus.Active, (await (await api.GetAsync($"api/sessions/{session.SessionId}")).ReadAsync<SessionResponse>()).Session.Status);
    }

    [Fact]
    public async Task A_problem_names_what_to_do()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var created = await api.PostAsJsonAsync("api/contracts", new Web.Features.Contracts.CreateContractRequest("Empty", "Chloé Dupont", "chloe@example.com", null));
        var contract = await created.ReadAsync<Core.Contracts.ContractDetails>();

        using var response = await api.PostAsync($"api/contracts/{contract.Id}/session", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Add a document before starting a live session.", await response.ProblemDetailAsync());
        using var unknown = await api.GetAsync($"api/sessions/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static IEnumerable<(HttpMethod Method, string Path)> Endpoints(StartedSession session) =>
    [
        (HttpMethod.Post, $"api/contracts/{session.Contract.Id}/session"),
        (HttpMethod.Get, $"api/sessions/{session.SessionId}"),
        (HttpMethod.Get, $"api/sessions/{session.SessionId}/activity"),
        (HttpMethod.Post, $"api/sessions/{session.SessionId}/link"),
        (HttpMethod.Delete, $"api/sessions/{session.SessionId}/link"),
        (HttpMethod.Delete, $"api/sessions/{session.SessionId}"),
    ];
}
