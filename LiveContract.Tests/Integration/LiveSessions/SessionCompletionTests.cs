using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.Signing;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>
/// A live session completes by itself when its contract becomes Signed: recorded once, by the
/// system, in the signing transaction; its link joins nobody (the landing page says the contract is
/// signed and offers the signed PDF), while the customer still in it keeps the signed view, hears
/// <c>contractSealed</c> and downloads the PDF; ending it changes nothing.
/// </summary>
public sealed class SessionCompletionTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_last_signature_completes_the_session_in_its_transaction_and_ending_it_changes_nothing(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        var live = scenario.Live;

        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        Assert.Equal(LiveSessionStatus.Active, LiveSessionScenario.Accepted(await live.Sessions.GetAsync(live.Advisor, session.SessionId)).Status);
        var signed = LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));

        var info = LiveSessionScenario.Accepted(await live.Sessions.GetAsync(live.Advisor, session.SessionId));
        Assert.True(signed.ContractSigned);
        Assert.Equal(LiveSessionStatus.Completed, info.Status);
        Assert.Equal(signed.Signature.SignedAt, info.EndedAt);
        Assert.False(info.Link!.IsActive);

        // Recorded once, by the system, right after the contract's move to Signed; the chain holds.
        var contractSigned = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned));
        var completed = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SessionCompleted));
        Assert.Equal(contractSigned.Sequence + 1, completed.Sequence);
        Assert.Equal((null, "System"), (completed.ActorId, completed.ActorRole));
        Assert.Equal(session.SessionId, SigningScenario.DataOf(completed).GetProperty("sessionId").GetGuid());
        Assert.Equal("Live session completed: the contract is signed", AuditDescriptions.Describe(completed.Type, completed.Data));
        Assert.True((await scenario.VerifyChainAsync(session.ContractId)).IsOk);
        var activity = LiveSessionScenario.Accepted(await live.Sessions.GetActivityAsync(live.Advisor, session.SessionId));
        Assert.Equal(LiveSessionActivityKind.Completed, activity[^1].Kind);

        // The contract page shows it; nothing is left to do with it.
        Assert.Null(await live.Sessions.GetActiveAsync(live.Advisor, session.ContractId));
        Assert.Equal(info, await live.Sessions.GetCurrentAsync(live.Advisor, session.ContractId));
        var ended = LiveSessionScenario.Accepted(await live.Sessions.EndAsync(live.Advisor, session.SessionId));
        Assert.Equal(LiveSessionStatus.Completed, ended.Status);
        Assert.Equal(LiveSessionStatus.Completed, LiveSessionScenario.Accepted(await live.Sessions.EndAsync(live.Admin, session.SessionId)).Status);
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SessionEnded));
        Assert.Equal(ErrorKind.Conflict, (await live.Sessions.ResendLinkAsync(live.Advisor, session.SessionId)).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, (await live.Sessions.RevokeLinkAsync(live.Advisor, session.SessionId)).Error!.Kind);
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.LinkRevoked));

        // The session API says so, and ending through it is no error either.
        using var api = await ApiClient.ForAsync(scenario.App, live.Advisor.UserId);
        using var read = await api.GetAsync($"api/sessions/{session.SessionId}");
        using var json = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.Equal("Completed", json.RootElement.GetProperty("session").GetProperty("status").GetString());
        using var deleted = await api.DeleteAsync($"api/sessions/{session.SessionId}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var resent = await api.PostAsync($"api/sessions/{session.SessionId}/link", null);
        Assert.Equal(HttpStatusCode.Conflict, resent.StatusCode);

        // The administration lists it as completed, not active, and counts no active session.
        using var admin = await ApiClient.ForAsync(scenario.App, live.Admin.UserId);
        var active = await (await admin.GetAsync("api/admin/sessions?state=active")).ReadAsync<PagedResult<ActiveSessionRow>>();
        var completedRows = await (await admin.GetAsync("api/admin/sessions?state=completed")).ReadAsync<PagedResult<EndedSessionRow>>();
        var endedRows = await (await admin.GetAsync("api/admin/sessions?state=ended")).ReadAsync<PagedResult<EndedSessionRow>>();
        var finished = await (await admin.GetAsync("api/admin/sessions?state=finished")).ReadAsync<PagedResult<EndedSessionRow>>();
        Assert.Empty(active.Items);
        Assert.Empty(endedRows.Items);
        var row = Assert.Single(completedRows.Items);
        Assert.Equal((session.SessionId, LiveSessionStatus.Completed, (string?)null, info.EndedAt!.Value), (row.SessionId, row.Status, row.EndedBy, row.EndedAt));
        Assert.Equal([session.SessionId], finished.Items.Select(r => r.SessionId));
        using var system = await admin.GetAsync("api/admin/system");
        using var overview = JsonDocument.Parse(await system.Content.ReadAsStringAsync());
        Assert.Equal(0, overview.RootElement.GetProperty("counts").GetProperty("activeLiveSessions").GetInt32());
    }

    [Fact]
    public async Task The_link_joins_nobody_once_the_contract_is_signed_but_the_customer_in_the_session_keeps_it_and_gets_the_sealed_pdf()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        var app = scenario.App;

        // The customer is in the session: their page (a circuit's client) and a program on the hub.
        using var browser = await LiveSessionApiHarness.JoinAsCustomerAsync(app, session.Token);
        var circuit = ActivatorUtilities.CreateInstance<LiveSessionClient>(app.Services);
        LiveSessionScenario.Accepted(await circuit.JoinAsync(session.Customer, session.SessionId, () => Task.CompletedTask, SigningScenario.CustomerIp));
        await using var customerHub = await SessionHubClient.ConnectAsync(app, session.Token);
        await customerHub.JoinAsync(session.SessionId);

        var signed = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        Assert.True(signed.ContractSigned);

        // The hub client hears the sealed PDF as soon as it is stored, with where to download it.
        var sealedEvent = await customerHub.WaitForAsync("contractSealed", null, LiveSessionScenario.Patience);
        var sealedPdf = sealedEvent.GetProperty("sealed");
        var documentId = sealedPdf.GetProperty("documentId").GetGuid();
        Assert.Equal($"api/sessions/{session.SessionId}/sealed", sealedPdf.GetProperty("download").GetString());
        Assert.Equal(session.SessionId, sealedEvent.GetProperty("sessionId").GetGuid());
        await using (var db = scenario.Database())
        {
            var stored = db.Documents.Single(d => d.ContractId == session.ContractId && d.Kind == Core.Documents.DocumentKind.Sealed);
            Assert.Equal(stored.Id, documentId);
            Assert.Equal(stored.UploadedAt, sealedPdf.GetProperty("sealedAt").GetDateTimeOffset());
        }

        // The open page keeps the signed view (not ended) and now has the download, which its cookie still fetches.
        await WaitUntilAsync(() => circuit.State?.Sealed?.DocumentId == documentId, "the page hears of the sealed PDF");
        Assert.Equal((ContractStatus.Signed, false, true), (circuit.State!.ContractStatus, circuit.State.Ended, circuit.State.Completed));
        using (var cookie = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress })
        {
            using var download = await cookie.GetAsync($"api/sessions/{session.SessionId}/sealed");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }

        // The link no longer joins: the landing page says the contract is signed, kindly, and offers the signed PDF page.
        using var stranger = app.CreateWebClient();
        using var landing = await stranger.GetAsync($"join/{session.Token}");
        var html = WebUtility.HtmlDecode(await landing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("Your contract is signed", html, StringComparison.Ordinal);
        Assert.Contains("has been signed by everyone, so your live session with Victor Advisor is complete", html, StringComparison.Ordinal);
        Assert.Contains("href=\"" + app.BaseAddress + "signed/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("new link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Join the session", html, StringComparison.Ordinal);

        // A program that reconnects within the grace period is still in, and finds the sealed PDF in its snapshot.
        await customerHub.DisposeAsync();
        await using (var reconnected = await SessionHubClient.ConnectAsync(app, session.Token))
        {
            var joined = await reconnected.JoinAsync(session.SessionId);
            Assert.True(joined.Completed);
            Assert.Equal(documentId, joined.Sealed!.DocumentId);
        }

        // Once the customer has left for good, the link's bearer joins no more; the advisor still reads the session.
        await circuit.DisposeAsync();
        await GoneAsync(scenario.Live, session.SessionId, session.CustomerId);
        await using var late = await SessionHubClient.ConnectAsync(app, session.Token);
        var refused = await Assert.ThrowsAsync<HubException>(() => late.JoinAsync(session.SessionId));
        Assert.Contains(LiveSessionErrors.Completed.Message, refused.Message, StringComparison.Ordinal);
        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, scenario.Live.Advisor.UserId));
        var advisorView = await advisorHub.JoinAsync(session.SessionId);
        Assert.True(advisorView.Completed);
        Assert.Equal(documentId, advisorView.Sealed!.DocumentId);
        Assert.Equal(ContractStatus.Signed, advisorView.Status);
    }

    [Fact]
    public async Task A_customer_who_presses_join_as_the_contract_gets_signed_is_told_it_is_signed_and_records_nothing()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        using var late = scenario.App.CreateWebClient();
        using var page = await late.GetAsync($"join/{session.Token}");
        var form = Fixtures.WebClient.HiddenFields(await page.Content.ReadAsStringAsync());

        // Signed (on this server or another) between the landing page and the press of the button.
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        using var pressed = await late.PostFormAsync($"join/{session.Token}", form);
        var html = WebUtility.HtmlDecode(await pressed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        Assert.Contains("Your contract is signed", html, StringComparison.Ordinal);
        Assert.DoesNotContain(late.Cookies.GetCookies(scenario.App.BaseAddress), c => c.Name == CustomerLinkAuthentication.CookieName);
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.LinkUsed));
    }

    /// <summary>Waits until the customer's connections have closed, writing their leave at once (as after the grace period).</summary>
    private static async Task GoneAsync(LiveSessionScenario live, Guid sessionId, Guid customerId)
    {
        var participantId = customerId.ToString();
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (true)
        {
            await live.Presence.FlushAsync(sessionId);
            var connected = (await live.Coordinator.GetSnapshotAsync(sessionId))?.Participants.Any(p => p.ParticipantId == participantId) == true;
            if (!connected && !live.Presence.IsPresent(sessionId, participantId))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The customer's connections did not close.");
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
