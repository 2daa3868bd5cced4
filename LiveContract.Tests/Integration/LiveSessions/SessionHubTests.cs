using System.Text.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>The session hub with real SignalR .NET clients on real Kestrel: an advisor with an API token and a customer with the link token.</summary>
public sealed class SessionHubTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Advisor_and_customer_see_each_others_moves_in_order(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await using var customerHub = await SessionHubClient.ConnectAsync(app, session.Token);

        var advisorJoined = await advisorHub.JoinAsync(session.SessionId);
        var customerJoined = await customerHub.JoinAsync(session.SessionId);

        Assert.Equal((ParticipantRole.Advisor, "Victor Advisor", advisor.Id), (advisorJoined.You.Role, advisorJoined.You.DisplayName, advisorJoined.You.ParticipantId));
        Assert.Equal((ParticipantRole.Customer, "Chloé Dupont"), (customerJoined.You.Role, customerJoined.You.DisplayName));
        Assert.Equal([session.ThreePages.Id, session.OnePage.Id], customerJoined.Documents.Select(d => d.DocumentId));
        Assert.Equal([3, 1], customerJoined.Documents.Select(d => d.PageCount));
        Assert.Equal(2, customerJoined.Participants.Count);
        var arrived = await advisorHub.WaitForAsync("presence", p => p.GetProperty("participants").GetArrayLength() == 2);
        Assert.Equal(customerJoined.Version, arrived.GetProperty("version").GetInt64());
        Assert.Equal("Customer", arrived.GetProperty("actor").GetProperty("role").GetString());

        var turned = await advisorHub.Connection.InvokeAsync<long>("PageChange", session.ThreePages.Id, 3);
        var switched = await customerHub.Connection.InvokeAsync<long>("LoadDocument", session.OnePage.Id);
        var pointed = await advisorHub.Connection.InvokeAsync<long>("Pointer", 0.5, 0.25);
        var cleared = await advisorHub.Connection.InvokeAsync<long>("ClearPointer");
        Assert.Equal([customerJoined.Version + 1, customerJoined.Version + 2, customerJoined.Version + 3, customerJoined.Version + 4], new[] { turned, switched, pointed, cleared });

        var pageChange = await customerHub.WaitForAsync("pageChange");
        AssertFields(pageChange, "sessionId", "version", "actor", "timestamp", "documentId", "page");
        Assert.Equal((session.SessionId, turned, session.ThreePages.Id, 3), (pageChange.GetProperty("sessionId").GetGuid(), pageChange.GetProperty("version").GetInt64(), pageChange.GetProperty("documentId").GetGuid(), pageChange.GetProperty("page").GetInt32()));
        Assert.Equal((advisor.Id, "Advisor"), (pageChange.GetProperty("actor").GetProperty("participantId").GetString(), pageChange.GetProperty("actor").GetProperty("role").GetString()));
        var load = await customerHub.WaitForAsync("loadDocument");
        Assert.Equal((switched, session.OnePage.Id, 1), (load.GetProperty("version").GetInt64(), load.GetProperty("documentId").GetGuid(), load.GetProperty("page").GetInt32()));
        var pointer = await customerHub.WaitForAsync("pointer");
        AssertFields(pointer, "sessionId", "version", "actor", "timestamp", "documentId", "page", "position");
        Assert.Equal((0.5, 0.25), (pointer.GetProperty("position").GetProperty("x").GetDouble(), pointer.GetProperty("position").GetProperty("y").GetDouble()));
        var clear = await customerHub.WaitForAsync("pointer");
        Assert.Equal(JsonValueKind.Null, clear.GetProperty("position").ValueKind);

        // The advisor sees the customer's document switch too; both saw one gapless sequence.
        await advisorHub.WaitForAsync("pointer", p => p.GetProperty("version").GetInt64() == cleared);
        Assert.Equal(session.OnePage.Id, advisorHub.Received.Single(e => e.Name == "loadDocument").Payload.GetProperty("documentId").GetGuid());
        Assert.Equal(Enumerable.Range((int)customerJoined.Version + 1, 4).Select(v => (long)v), customerHub.Received.Select(e => e.Version));
        Assert.Equal(Enumerable.Range((int)advisorJoined.Version + 1, 5).Select(v => (long)v), advisorHub.Received.Select(e => e.Version));

        // A late joiner starts from a snapshot of all that.
        await using var lateHub = await SessionHubClient.ConnectWithQueryTokenAsync(app, session.Token);
        var late = await lateHub.JoinAsync(session.SessionId);
        Assert.Equal((session.OnePage.Id, 1, (object?)null, cleared, false, Core.Contracts.ContractStatus.Draft), (late.DocumentId, late.Page, (object?)late.Pointer, late.Version, late.Ended, late.Status));
        Assert.Equal(2, late.Participants.Count);
        Assert.Equal(2, late.Participants.Single(p => p.Role == ParticipantRole.Customer).ConnectionCount);

        // Dropping the customer's connections is announced.
        await customerHub.DisposeAsync();
        await lateHub.DisposeAsync();
        var left = await advisorHub.WaitForAsync("presence", p => p.GetProperty("participants").GetArrayLength() == 1);
        AssertFields(left, "sessionId", "version", "actor", "timestamp", "participants");
        // The record has one join per person (the customer's second connection is the same stay), and
        // their leave once the grace period passes or, as here, when the session ends.
        var activity = await (await api.GetAsync($"api/sessions/{session.SessionId}/activity")).ReadAsync<List<LiveSessionActivityEntry>>();
        Assert.Equal(2, activity.Count(a => a.Kind == LiveSessionActivityKind.Joined));
        Assert.DoesNotContain(activity, a => a.Kind == LiveSessionActivityKind.Left);
        using (var ended = await api.DeleteAsync($"api/sessions/{session.SessionId}"))
        {
            ended.EnsureSuccessStatusCode();
        }

        activity = await (await api.GetAsync($"api/sessions/{session.SessionId}/activity")).ReadAsync<List<LiveSessionActivityEntry>>();
        Assert.Single(activity, a => a.Kind == LiveSessionActivityKind.Left && a.Role == ParticipantRole.Customer);
        Assert.Equal(LiveSessionActivityKind.Ended, activity[^1].Kind);
    }

    [Fact]
    public async Task The_snapshot_has_the_documented_shape()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        await using var hub = await SessionHubClient.ConnectAsync(app, session.Token);

        var snapshot = await hub.Connection.InvokeAsync<JsonElement>("Join", session.SessionId);

        AssertFields(snapshot, "sessionId", "contractId", "documents", "documentId", "page", "pointer", "participants", "status", "ended", "version", "you", "fields", "fieldValues", "fieldFocus", "fieldsFrozen", "completed", "sealed");
        AssertFields(snapshot.GetProperty("documents")[0], "documentId", "fileName", "pageCount");
        AssertFields(snapshot.GetProperty("you"), "participantId", "role", "displayName");
        AssertFields(snapshot.GetProperty("participants")[0], "participantId", "role", "displayName", "connectedSince", "connectionCount");
        Assert.Equal(("Draft", "Customer", "motor-insurance-claim-form.pdf"), (snapshot.GetProperty("status").GetString(), snapshot.GetProperty("you").GetProperty("role").GetString(), snapshot.GetProperty("documents")[0].GetProperty("fileName").GetString()));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_sentence()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var other = await LiveSessionApiHarness.StartAsync(api, "Other policy", "someone@example.com");
        await using var hub = await SessionHubClient.ConnectAsync(app, session.Token);

        Assert.Contains("Join the live session before acting in it.", await hub.RefusalAsync("PageChange", session.ThreePages.Id, 2));
        Assert.Contains("Join the live session before acting in it.", await hub.RefusalAsync("Pointer", 0.1, 0.1));
        Assert.Contains("That live session does not exist or is not yours.", await hub.RefusalAsync("Join", other.SessionId));
        Assert.Contains("That live session does not exist or is not yours.", await hub.RefusalAsync("Join", Guid.NewGuid()));

        var joined = await hub.JoinAsync(session.SessionId);

        Assert.Contains("already joined a live session", await hub.RefusalAsync("Join", session.SessionId));
        Assert.Contains("Page 4 does not exist; this document has pages 1 to 3.", await hub.RefusalAsync("PageChange", session.ThreePages.Id, 4));
        Assert.Contains("Page 0 does not exist", await hub.RefusalAsync("PageChange", session.ThreePages.Id, 0));
        Assert.Contains("That document is not part of this live session.", await hub.RefusalAsync("PageChange", other.ThreePages.Id, 1));
        Assert.Contains("That document is not part of this live session.", await hub.RefusalAsync("LoadDocument", other.OnePage.Id));
        Assert.Contains("Only the advisor points at the page.", await hub.RefusalAsync("Pointer", 0.5, 0.5));
        Assert.Contains("Only the advisor points at the page.", await hub.RefusalAsync("ClearPointer"));
        Assert.Equal(joined.Version + 1, await hub.Connection.InvokeAsync<long>("PageChange", session.ThreePages.Id, 3));

        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await advisorHub.JoinAsync(session.SessionId);
        Assert.Contains("A pointer position must be between 0 and 1", await advisorHub.RefusalAsync("Pointer", 1.5, 0.5));
        Assert.Contains("A pointer position must be between 0 and 1", await advisorHub.RefusalAsync("Pointer", 0.5, -0.01));
    }

    [Fact]
    public async Task Admins_watch_but_do_not_take_part_and_the_anonymous_cannot_connect()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        await using var adminHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, admin.Id));

        Assert.Contains("only the contract's advisor takes part", await adminHub.RefusalAsync("Join", session.SessionId));
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => SessionHubClient.ConnectAsync(app, "lc_not-a-token"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task After_the_advisor_ends_the_session_every_command_is_refused()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await using var customerHub = await SessionHubClient.ConnectAsync(app, session.Token);
        await advisorHub.JoinAsync(session.SessionId);
        await customerHub.JoinAsync(session.SessionId);

        using var ended = await api.DeleteAsync($"api/sessions/{session.SessionId}");
        var last = await customerHub.WaitForAsync("sessionEnded");
        await advisorHub.WaitForAsync("sessionEnded");

        AssertFields(last, "sessionId", "version", "actor", "timestamp");
        Assert.Equal(HubConnectionState.Connected, customerHub.Connection.State);
        Assert.Contains("This live session has ended.", await customerHub.RefusalAsync("PageChange", session.ThreePages.Id, 2));
        Assert.Contains("This live session has ended.", await customerHub.RefusalAsync("LoadDocument", session.OnePage.Id));
        Assert.Contains("This live session has ended.", await advisorHub.RefusalAsync("Pointer", 0.5, 0.5));
        Assert.Contains("This live session has ended.", await advisorHub.RefusalAsync("ClearPointer"));
        await using var lateHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        Assert.Contains("This live session has ended.", await lateHub.RefusalAsync("Join", session.SessionId));
        var customerRefused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => SessionHubClient.ConnectAsync(app, session.Token));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, customerRefused.StatusCode);
    }

    [Fact]
    public async Task A_listening_customer_whose_link_is_revoked_is_disconnected_by_the_background_recheck_and_an_ended_session_keeps_its_connections()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveSessions:AccessRecheckInterval"] = "00:00:01" });
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var revoked = await LiveSessionApiHarness.StartAsync(api);
        var ending = await LiveSessionApiHarness.StartAsync(api, "Home policy", "noah@example.com");
        var advisorToken = await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id);
        await using var advisorHub = await SessionHubClient.ConnectAsync(app, advisorToken);
        await using var listener = await SessionHubClient.ConnectAsync(app, revoked.Token);
        await using var endingAdvisor = await SessionHubClient.ConnectAsync(app, advisorToken);
        await using var endingCustomer = await SessionHubClient.ConnectAsync(app, ending.Token);
        await advisorHub.JoinAsync(revoked.SessionId);
        await listener.JoinAsync(revoked.SessionId);
        await endingAdvisor.JoinAsync(ending.SessionId);
        await endingCustomer.JoinAsync(ending.SessionId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        using var revoke = await api.DeleteAsync($"api/sessions/{revoked.SessionId}/link");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var end = await api.DeleteAsync($"api/sessions/{ending.SessionId}");
        await endingCustomer.WaitForAsync("sessionEnded");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.True(revoke.IsSuccessStatusCode);
        Assert.Equal(HubConnectionState.Disconnected, listener.Connection.State);
        Assert.Equal(HubConnectionState.Connected, advisorHub.Connection.State);
        Assert.Equal(HubConnectionState.Connected, endingCustomer.Connection.State);
        Assert.Contains("This live session has ended.", await endingCustomer.RefusalAsync("PageChange", ending.ThreePages.Id, 2));
    }

    [Fact]
    public async Task An_advisor_locked_by_an_admin_loses_the_hub_connection_they_opened_before()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveSessions:AccessRecheckInterval"] = "00:00:01" });
        var (admin, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await advisorHub.JoinAsync(session.SessionId);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        advisorHub.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var locked = await app.Services.GetRequiredService<UserAdministration>().LockAsync(new Actor(admin.Id, IsAdmin: true), advisor.Id);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(locked.Succeeded);
        Assert.Equal(HubConnectionState.Disconnected, advisorHub.Connection.State);
    }

    [Fact]
    public async Task A_flooding_client_is_throttled_while_other_sessions_carry_on()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var flooded = await LiveSessionApiHarness.StartAsync(api);
        var calm = await LiveSessionApiHarness.StartAsync(api, "Calm policy", "calm@example.com");
        var token = await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id);
        await using var flooder = await SessionHubClient.ConnectAsync(app, token);
        await using var calmAdvisor = await SessionHubClient.ConnectAsync(app, token);
        await using var calmCustomer = await SessionHubClient.ConnectAsync(app, calm.Token);
        await flooder.JoinAsync(flooded.SessionId);
        await calmAdvisor.JoinAsync(calm.SessionId);
        var calmJoined = await calmCustomer.JoinAsync(calm.SessionId);

        var flood = Enumerable.Range(0, 200).Select(i => flooder.Connection.InvokeAsync<long>("PageChange", flooded.ThreePages.Id, (i % 3) + 1)).ToList();
        var pointers = Enumerable.Range(0, 200).Select(i => flooder.Connection.InvokeAsync<long>("Pointer", 0.5, i / 200.0)).ToList();
        var calmMoves = new List<long>();
        for (var page = 1; page <= 3; page++)
        {
            calmMoves.Add(await calmAdvisor.Connection.InvokeAsync<long>("PageChange", calm.ThreePages.Id, page));
        }

        var pageResults = await Task.WhenAll(flood.Select(Settle));
        var pointerResults = await Task.WhenAll(pointers.Select(Settle));
        Assert.Contains(pageResults, r => r is null);
        Assert.Contains(pageResults, r => r is not null);
        Assert.Contains(pointerResults, r => r is null);
        var refusal = await Assert.ThrowsAsync<HubException>(() => flood.First(t => t.IsFaulted));
        Assert.Contains("Pages are changing too quickly; wait a moment and try again.", refusal.Message);
        var pointerRefusal = await Assert.ThrowsAsync<HubException>(() => pointers.First(t => t.IsFaulted));
        Assert.Contains("The pointer is moving too quickly", pointerRefusal.Message);

        foreach (var version in calmMoves)
        {
            var change = await calmCustomer.WaitForAsync("pageChange");
            Assert.Equal(version, change.GetProperty("version").GetInt64());
        }

        Assert.Equal(calmJoined.Version + 1, calmMoves[0]);
    }

    private static async Task<long?> Settle(Task<long> task)
    {
        try
        {
            return await task;
        }
        catch (HubException)
        {
            return null;
        }
    }

    private static void AssertFields(JsonElement element, params string[] names) =>
        Assert.Equal(names.Order(StringComparer.Ordinal), element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
}
