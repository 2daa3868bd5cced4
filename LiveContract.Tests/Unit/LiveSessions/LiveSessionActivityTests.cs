using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>What the administration reads from the coordinator: when a session was last active, and what this server holds.</summary>
public sealed class LiveSessionActivityTests
{
    [Fact]
    public async Task The_last_activity_is_the_opening_then_every_command_join_and_leave()
    {
        await using var harness = new LiveSessionHarness();
        var opened = harness.Time.GetUtcNow();
        Assert.Equal(opened, (await harness.OpenAsync()).LastActivityAt);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var (advisor, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        Assert.Equal(opened.AddMinutes(1), advisor.Snapshot.LastActivityAt);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2));
        Assert.Equal(opened.AddMinutes(2), (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.LastActivityAt);

        // A second tab of someone already there publishes nothing, but it is activity.
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var (secondTab, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor-tab-2");
        Assert.Equal(opened.AddMinutes(3), secondTab.Snapshot.LastActivityAt);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await secondTab.Subscription.DisposeAsync();
        Assert.Equal(opened.AddMinutes(4), (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.LastActivityAt);

        // Reading the state is not activity.
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(opened.AddMinutes(4), (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.LastActivityAt);
    }

    [Fact]
    public async Task The_server_load_counts_open_sessions_and_their_connections_but_not_ended_ones()
    {
        await using var harness = new LiveSessionHarness();
        Assert.Equal(new LiveSessionServerLoad("In memory (this server)", 0, 0), await harness.Coordinator.GetServerLoadAsync());

        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.JoinAsync(LiveSessionHarness.Customer, "tab-1");
        await harness.JoinAsync(LiveSessionHarness.Customer, "tab-2");
        var other = Guid.NewGuid();
        LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(other, harness.Setup with { ContractId = Guid.NewGuid() }));
        Assert.Equal(new LiveSessionServerLoad("In memory (this server)", 2, 3), await harness.Coordinator.GetServerLoadAsync());

        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor));

        Assert.NotNull(await harness.Coordinator.GetSnapshotAsync(harness.SessionId));
        Assert.Equal(new LiveSessionServerLoad("In memory (this server)", 1, 0), await harness.Coordinator.GetServerLoadAsync());
    }
}
