using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionPresenceTests
{
    [Fact]
    public async Task A_joiner_finds_itself_in_its_snapshot_and_the_others_are_told()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (_, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        var (customer, customerEvents) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        Assert.Equal(["advisor-1", "customer-1"], customer.Snapshot.Participants.Select(p => p.ParticipantId));
        Assert.Equal(harness.Time.GetUtcNow(), customer.Snapshot.Participants[1].ConnectedSince);
        await advisorEvents.WaitForVersionAsync(2);
        var presence = Assert.IsType<Presence>(Assert.Single(advisorEvents.Events));
        Assert.Equal(LiveSessionHarness.Customer.Actor, presence.Actor);
        Assert.Equal(customer.Snapshot.Participants, presence.Participants);
        Assert.Empty(customerEvents.Events);
    }

    [Fact]
    public async Task Two_connections_of_one_person_count_once_and_only_the_last_one_leaving_is_announced()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (_, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (firstTab, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "tab-1");
        var (secondTab, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "tab-2");

        var customer = Assert.Single(secondTab.Snapshot.Participants, p => p.Role == ParticipantRole.Customer);
        Assert.Equal(2, customer.ConnectionCount);
        Assert.Equal(2, secondTab.Snapshot.Version);

        await firstTab.Subscription.DisposeAsync();
        var marker = LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2));
        await advisorEvents.WaitForVersionAsync(marker);
        Assert.Collection(advisorEvents.Events, e => Assert.IsType<Presence>(e), e => Assert.IsType<PageChange>(e));
        Assert.Equal(SubscriptionEnd.Left, await firstTab.Subscription.Completion);

        await secondTab.Subscription.DisposeAsync();
        await advisorEvents.WaitForVersionAsync(marker + 1);
        var left = Assert.IsType<Presence>(advisorEvents.Events[^1]);
        Assert.Equal(LiveSessionHarness.Customer.Actor, left.Actor);
        Assert.Equal(["advisor-1"], left.Participants.Select(p => p.ParticipantId));
    }

    [Fact]
    public async Task Leaving_twice_is_harmless()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        await customer.Subscription.DisposeAsync();
        await customer.Subscription.DisposeAsync();

        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Empty(snapshot.Participants);
        Assert.Equal(2, snapshot.Version);
    }

    [Fact]
    public async Task A_connection_that_left_may_join_again_under_the_same_id()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await customer.Subscription.DisposeAsync();

        var (again, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        Assert.Equal(3, again.Snapshot.Version);
        Assert.Single(again.Snapshot.Participants);
    }

    [Fact]
    public async Task A_subscriber_may_leave_from_inside_its_own_callback()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        ILiveSessionSubscription? subscription = null;
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var joined = await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "customer", async _ =>
        {
            await subscription!.DisposeAsync();
            left.SetResult();
        });
        subscription = LiveSessionHarness.Accepted(joined).Subscription;
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await left.Task.WaitAsync(LiveSessionHarness.Patience);

        Assert.Equal(SubscriptionEnd.Left, await subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
    }
}
