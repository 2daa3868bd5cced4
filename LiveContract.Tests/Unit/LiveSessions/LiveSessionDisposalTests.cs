using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionDisposalTests
{
    [Fact]
    public async Task Disposing_stops_every_subscriber_saves_pending_positions_and_refuses_what_follows()
    {
        var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (advisor, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 2);

        await harness.Coordinator.DisposeAsync();

        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await advisor.Subscription.Completion);
        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await customer.Subscription.Completion);
        Assert.Equal((harness.Annex.DocumentId, 2), (harness.Store.Saved[^1].DocumentId, harness.Store.Saved[^1].Page));
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 1), LiveSessionErrors.Stopping);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(Guid.NewGuid(), harness.Setup), LiveSessionErrors.Stopping);
        LiveSessionHarness.Refused(
            await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "late", _ => ValueTask.CompletedTask),
            LiveSessionErrors.Stopping);
        await harness.Coordinator.DisposeAsync();
        harness.Coordinator.Dispose();
    }

    [Fact]
    public async Task Disposing_waits_for_a_callback_that_is_running()
    {
        var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        using var gate = new SemaphoreSlim(0);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "busy", async _ =>
        {
            entered.TrySetResult();
            await gate.WaitAsync();
        }));
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await entered.Task.WaitAsync(LiveSessionHarness.Patience);

        var disposing = harness.Coordinator.DisposeAsync().AsTask();

        Assert.False(disposing.IsCompleted);
        gate.Release();
        await disposing.WaitAsync(LiveSessionHarness.Patience);
        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await busy.Subscription.Completion);
    }

    [Fact]
    public async Task Disposing_synchronously_stops_every_subscriber()
    {
        var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        harness.Coordinator.Dispose();

        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await customer.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        await customer.Subscription.DisposeAsync();
    }
}
