using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The per-circuit session client against the real service and in-memory coordinator.</summary>
public sealed class LiveSessionClientTests : LiveSessionTestContext
{
    public LiveSessionClientTests()
    {
        // Small queues, so a stalled circuit is dropped as too slow after a few events.
        Context.Services.Configure<LiveSessionOptions>(o => o.SubscriberQueueCapacity = 2);
    }

    [Fact]
    public async Task Joining_gives_the_session_its_documents_and_who_is_there()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);

        var state = client.State!;
        Assert.Equal("Motor policy", state.Session.ContractTitle);
        Assert.Equal(ParticipantRole.Customer, state.Self.Role);
        Assert.Equal([ClaimForm, Rotated], state.Documents.Select(d => d.FileName));
        Assert.Equal(ClaimFormId, state.DocumentId);
        Assert.Equal(1, state.Page);
        Assert.Equal([AdvisorName, CustomerName], state.Participants.Select(p => p.DisplayName));
        Assert.False(state.Ended);
        await WaitUntilAsync(() => advisor.State!.IsConnected(state.Self.ParticipantId), "the advisor sees the customer");
        Assert.Equal("Chloé Dupont joined.", advisor.State!.Announcement);
    }

    [Fact]
    public async Task Two_clients_see_each_others_moves_in_order()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);

        Assert.True((await advisor.ChangePageAsync(ClaimFormId, 3)).Succeeded);
        await WaitUntilAsync(() => client.State!.Page == 3, "the customer shows page 3");

        Assert.True((await client.LoadDocumentAsync(RotatedId)).Succeeded);
        await WaitUntilAsync(() => advisor.State!.DocumentId == RotatedId, "the advisor shows the other document");
        Assert.Equal(1, advisor.State!.Page);

        Assert.True((await advisor.PointAsync(0.25, 0.75)).Succeeded);
        await WaitUntilAsync(() => client.State!.Pointer is not null, "the customer sees the pointer");
        var pointer = client.State!.Pointer!;
        Assert.Equal(new PointerPosition(0.25, 0.75), pointer.Position);
        Assert.Equal(AdvisorName, pointer.DisplayName);
        Assert.Equal((RotatedId, 1), (pointer.DocumentId, pointer.Page));
        Assert.Equal(advisor.State!.Version, client.State!.Version);
    }

    [Fact]
    public async Task Leaving_publishes_presence_and_records_the_join_and_the_leave_after_the_grace_period()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);
        var customerId = client.State!.Self.ParticipantId;
        await WaitUntilAsync(() => advisor.State!.IsConnected(customerId), "the advisor sees the customer");

        await client.DisposeAsync();

        await WaitUntilAsync(() => !advisor.State!.IsConnected(customerId), "the customer has left");
        Assert.Null(client.State);
        Assert.Equal(CustomerName, advisor.State!.Departed[customerId].DisplayName);
        Assert.Equal("Chloé Dupont left.", advisor.State.Announcement);
        async Task<List<(LiveSessionActivityKind, string?)>> CustomerStepsAsync() =>
            (await Sessions.GetActivityAsync(Advisor, sessionId)).Value!.Where(a => a.Role == ParticipantRole.Customer).Select(a => (a.Kind, a.IpAddress)).ToList();
        Assert.Contains((LiveSessionActivityKind.Joined, (string?)null), await CustomerStepsAsync());
        Assert.DoesNotContain(await CustomerStepsAsync(), s => s.Item1 == LiveSessionActivityKind.Left);

        // The leave waits for the grace period (a minute); the session's end writes it at once, as here.
        await Context.Services.GetRequiredService<PresenceRecorder>().FlushAsync(sessionId);
        Assert.Contains((LiveSessionActivityKind.Left, (string?)null), await CustomerStepsAsync());
        Assert.Equal(LiveSessionErrors.NotJoined, (await client.ChangePageAsync(ClaimFormId, 2)).Error);
    }

    [Fact]
    public async Task The_join_is_recorded_with_the_address_given()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var client = NewClient();

        await client.JoinAsync(customer, sessionId, () => Task.CompletedTask, "198.51.100.23");

        var activity = await Sessions.GetActivityAsync(Advisor, sessionId);
        Assert.Contains(activity.Value!, a => a.Kind == LiveSessionActivityKind.Joined && a.IpAddress == "198.51.100.23");
    }

    [Fact]
    public async Task A_caller_who_may_not_take_part_is_refused()
    {
        var (sessionId, _) = await StartSessionAsync();

        var stranger = await NewClient().JoinAsync(new SessionCaller.Customer(Guid.NewGuid()), sessionId, () => Task.CompletedTask);
        var unknown = await NewClient().JoinAsync(AdvisorCaller, Guid.NewGuid(), () => Task.CompletedTask);

        Assert.False(stranger.Succeeded);
        Assert.False(unknown.Succeeded);
        Assert.Equal("That live session does not exist or is not yours.", unknown.Error!.Message);
    }

    [Fact]
    public async Task An_ended_session_ends_the_state_and_cannot_be_joined_again()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var client = await JoinAsync(customer, sessionId);

        await Sessions.EndAsync(Advisor, sessionId);

        await WaitUntilAsync(() => client.State!.Ended, "the customer sees the end");
        Assert.Equal("The session has ended.", client.State!.Announcement);
        var again = await NewClient().JoinAsync(AdvisorCaller, sessionId, () => Task.CompletedTask);
        Assert.Equal("This live session has ended.", again.Error!.Message);
    }

    [Fact]
    public async Task A_new_document_list_reaches_the_client()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var client = await JoinAsync(customer, sessionId);

        var documents = new[] { new SessionDocument(RotatedId, Rotated, 1) };
        Assert.True((await Coordinator.UpdateDocumentsAsync(sessionId, new LiveSessionActor(Advisor.UserId, ParticipantRole.Advisor), documents)).Succeeded);

        await WaitUntilAsync(() => client.State!.Documents.Count == 1, "the customer has the new list");
        Assert.Equal(RotatedId, client.State!.DocumentId);
    }

    [Fact]
    public async Task Pointer_moves_closer_than_the_interval_are_merged_into_the_last()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);
        await WaitUntilAsync(() => client.State!.Participants.Count == 2, "both are connected");
        var before = client.State!.Version;

        var first = advisor.PointAsync(0.1, 0.1);
        var second = advisor.PointAsync(0.2, 0.2);
        var third = advisor.PointAsync(0.3, 0.3);
        var results = await Task.WhenAll(first, second, third);

        Assert.True(results[0].Succeeded);
        Assert.Equal(LiveSessionErrors.TooManyPointerMoves, results[1].Error);
        Assert.True(results[2].Succeeded);
        await WaitUntilAsync(() => client.State!.Version == results[2].Value, "the last move arrived");
        Assert.Equal(2, client.State!.Version - before);
        Assert.Equal(new PointerPosition(0.3, 0.3), client.State.Pointer!.Position);
    }

    [Fact]
    public async Task A_client_dropped_as_too_slow_rejoins_from_a_fresh_snapshot()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var stalled = new TaskCompletionSource();
        var client = NewClient();
        Assert.True((await client.JoinAsync(customer, sessionId, () => stalled.Task)).Succeeded);
        var customerId = client.State!.Self.ParticipantId;
        await WaitUntilAsync(() => advisor.State!.IsConnected(customerId), "the advisor sees the customer");

        // The customer's circuit stalls on the first event while the advisor keeps turning pages.
        long last = 0;
        foreach (var page in new[] { 2, 3, 2, 3, 2, 3 })
        {
            var changed = await advisor.ChangePageAsync(ClaimFormId, page);
            Assert.True(changed.Succeeded, changed.Error?.Message);
            last = changed.Value;
            await WaitUntilAsync(() => advisor.State!.Version >= last, "the advisor has its own move");
        }

        stalled.SetResult();

        // Dropped (presence: left) on the fourth move, then back (presence: joined, after the last move) with a fresh snapshot.
        await WaitUntilAsync(() => advisor.State!.Version > last && client.State?.Version == advisor.State.Version, "the customer rejoined");
        Assert.Equal(3, client.State!.Page);
        Assert.True(advisor.State!.IsConnected(customerId));
        Assert.True((await client.ChangePageAsync(ClaimFormId, 1)).Succeeded);
        await WaitUntilAsync(() => advisor.State!.Page == 1, "the rejoined customer can act");
    }
}
