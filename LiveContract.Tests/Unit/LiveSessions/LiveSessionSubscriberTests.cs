using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionSubscriberTests
{
    [Fact]
    public async Task A_slow_subscriber_does_not_delay_a_fast_one()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        using var gate = new SemaphoreSlim(0);
        var slowEvents = new EventRecorder();
        var slow = LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "slow", async e =>
        {
            await gate.WaitAsync();
            await slowEvents.OnEventAsync(e);
        }));
        var (_, fastEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "fast");

        long last = 0;
        for (var n = 0; n < 50; n++)
        {
            last = LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "fast", harness.Annex.DocumentId, (n % 5) + 1));
        }

        await fastEvents.WaitForVersionAsync(last);
        Assert.Equal(50, fastEvents.Events.Count);
        Assert.Empty(slowEvents.Events);

        gate.Release(int.MaxValue / 2);
        await slowEvents.WaitForVersionAsync(last);
        Assert.Equal(Enumerable.Range(2, 51).Select(v => (long)v), slowEvents.Events.Select(e => e.Version));
        Assert.False(slow.Subscription.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_subscriber_whose_queue_overflows_is_disconnected_and_the_others_carry_on()
    {
        await using var harness = new LiveSessionHarness(o => o.SubscriberQueueCapacity = 4);
        await harness.OpenAsync();
        using var gate = new SemaphoreSlim(0);
        var slow = LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(
            harness.SessionId,
            LiveSessionHarness.Customer,
            "slow",
            async _ => await gate.WaitAsync()));
        var (_, fastEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "fast");

        long last = 0;
        for (var n = 0; n < 10; n++)
        {
            last = LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "fast", harness.Annex.DocumentId, (n % 5) + 1));
            await fastEvents.WaitForVersionAsync(last);
        }

        await fastEvents.WaitUntilAsync(e => e.OfType<Presence>().Any());
        var left = fastEvents.Events.OfType<Presence>().Single();
        Assert.Equal(LiveSessionHarness.Customer.Actor, left.Actor);
        Assert.DoesNotContain(left.Participants, p => p.Role == ParticipantRole.Customer);
        await fastEvents.WaitForVersionAsync(last);
        Assert.Contains(harness.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("fell 4 events behind", StringComparison.Ordinal));

        gate.Release(int.MaxValue / 2);
        Assert.Equal(SubscriptionEnd.TooSlow, await slow.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "slow", harness.Terms.DocumentId, 1), LiveSessionErrors.NotJoined);
    }

    [Fact]
    public async Task A_subscriber_whose_callback_throws_is_dropped_and_logged()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var failing = LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(
            harness.SessionId,
            LiveSessionHarness.Customer,
            "failing",
            _ => throw new InvalidOperationException("The circuit is gone.")));
        var (_, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        Assert.Equal(SubscriptionEnd.CallbackFailed, await failing.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));

        await advisorEvents.WaitForAsync<Presence>();
        Assert.Equal(LiveSessionHarness.Customer.Actor, advisorEvents.Events.OfType<Presence>().Single().Actor);
        var warning = Assert.Single(harness.Logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.IsType<InvalidOperationException>(warning.Exception);
        var version = LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 3));
        await advisorEvents.WaitForVersionAsync(version);
        Assert.Equal(["advisor-1"], (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Participants.Select(p => p.ParticipantId));
    }

    [Fact]
    public async Task Events_carry_the_session_the_actor_and_the_time()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (_, events) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        harness.Time.Advance(TimeSpan.FromMinutes(3));

        var load = LiveSessionHarness.Accepted(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "advisor", harness.Annex.DocumentId));
        var point = LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0.25, 0.75)));

        await events.WaitForVersionAsync(point);
        Assert.Collection(
            events.Events,
            e => Assert.Equal(new LoadDocument(harness.SessionId, load, LiveSessionHarness.Advisor.Actor, harness.Time.GetUtcNow(), harness.Annex.DocumentId, 1), e),
            e => Assert.Equal(new Pointer(harness.SessionId, point, LiveSessionHarness.Advisor.Actor, harness.Time.GetUtcNow(), harness.Annex.DocumentId, 1, new PointerPosition(0.25, 0.75)), e));
        Assert.Equal(["loadDocument", "pointer"], events.Events.Select(e => e.Name));
    }
}
