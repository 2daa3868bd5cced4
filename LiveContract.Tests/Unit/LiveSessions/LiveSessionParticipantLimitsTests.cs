using LiveContract.Core.Common;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.Fields;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>Limits that hold per participant, whatever the number of their connections: the connection cap and the shared rate budgets.</summary>
public sealed class LiveSessionParticipantLimitsTests
{
    private static readonly FieldDefinition FullName = FieldValueRulesTests.Field(FieldKind.Text, "Full name");
    private static readonly FieldDefinition AdvisorNumber = FieldValueRulesTests.Field(FieldKind.Text, "Advisor number", FieldParty.Advisor);

    [Fact]
    public async Task A_participant_may_hold_five_connections_by_default_and_the_sixth_is_refused_with_a_sentence()
    {
        await using var harness = new LiveSessionHarness();
        Assert.Equal(5, new LiveSessionOptions().MaxConnectionsPerParticipant);
        await harness.OpenAsync();
        var tabs = new List<LiveSessionJoin>();
        for (var n = 0; n < 5; n++)
        {
            tabs.Add((await harness.JoinAsync(LiveSessionHarness.Customer, $"tab-{n}")).Join);
        }

        var refused = await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "tab-5", _ => ValueTask.CompletedTask);

        LiveSessionHarness.Refused(refused, LiveSessionErrors.TooManyConnections(5));
        Assert.Equal(ErrorKind.TooManyRequests, refused.Error!.Kind);
        Assert.Equal("You are already connected to this live session 5 times (other windows, tabs or programs); close one and try again.", refused.Error.Message);
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal(5, Assert.Single(snapshot.Participants).ConnectionCount);

        // Someone else is not counted against the customer, and a closed tab makes room again.
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await tabs[0].Subscription.DisposeAsync();
        await harness.JoinAsync(LiveSessionHarness.Customer, "tab-6");
        Assert.Equal(5, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Participants.Single(p => p.Role == ParticipantRole.Customer).ConnectionCount);
    }

    [Fact]
    public async Task The_cap_is_configurable_and_a_cap_of_one_says_so()
    {
        await using var harness = new LiveSessionHarness(o => o.MaxConnectionsPerParticipant = 1);
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "first");

        var refused = await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Advisor, "second", _ => ValueTask.CompletedTask);

        Assert.Equal("You are already connected to this live session in another window or tab; close it and try again.", refused.Error?.Message);
        Assert.Throws<Core.Hosting.ConfigurationErrorException>(() => new LiveSessionOptions { MaxConnectionsPerParticipant = 0 }.Validate());
    }

    [Fact]
    public async Task Page_changes_share_one_budget_over_all_of_a_participants_connections()
    {
        await using var harness = new LiveSessionHarness(o => o.PageChangesPerSecond = 10);
        await harness.OpenAsync();
        for (var n = 0; n < 5; n++)
        {
            await harness.JoinAsync(LiveSessionHarness.Advisor, $"advisor-{n}");
        }

        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        var accepted = 0;
        for (var round = 0; round < 10; round++)
        {
            for (var n = 0; n < 5; n++)
            {
                accepted += (await harness.Coordinator.ChangePageAsync(harness.SessionId, $"advisor-{n}", harness.Terms.DocumentId, (round % 3) + 1)).Succeeded ? 1 : 0;
            }
        }

        Assert.Equal(10, accepted);
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor-4", harness.Terms.DocumentId, 2), LiveSessionErrors.TooManyPageChanges);
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "customer", harness.Terms.DocumentId, 3));
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor-2", harness.Terms.DocumentId, 1));
    }

    [Fact]
    public async Task Leaving_and_joining_again_does_not_buy_a_fresh_budget()
    {
        await using var harness = new LiveSessionHarness(o => o.PointerMovesPerSecond = 20);
        await harness.OpenAsync();
        for (var cycle = 0; cycle < 3; cycle++)
        {
            var (join, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, $"advisor-{cycle}");
            for (var n = 0; n < 20; n++)
            {
                await harness.Coordinator.MovePointerAsync(harness.SessionId, $"advisor-{cycle}", new PointerPosition(0.5, n / 20.0));
            }

            await join.Subscription.DisposeAsync();
        }

        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor-again");
        LiveSessionHarness.Refused(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor-again", new PointerPosition(0.1, 0.1)), LiveSessionErrors.TooManyPointerMoves);
        Assert.Equal(20 + 7, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version); // 20 moves, 4 joins and 3 leaves
    }

    [Fact]
    public async Task Commits_are_checked_like_values_and_share_the_field_budget()
    {
        await using var harness = new LiveSessionHarness(o => o.FieldChangesPerSecond = 5);
        var opened = await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Fields = [FullName, AdvisorNumber] });
        Assert.True(opened.Succeeded, opened.Error?.Message);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer-tab");

        LiveSessionHarness.Refused(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", Guid.NewGuid()), LiveSessionErrors.FieldNotInSession);
        LiveSessionHarness.Refused(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", AdvisorNumber.Id), LiveSessionErrors.OtherPartysField);
        LiveSessionHarness.Refused(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "nobody", FullName.Id), LiveSessionErrors.NotJoined);
        Assert.Equal("That field is not part of this contract.", LiveSessionErrors.FieldNotInSession.Message);

        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"));
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, LiveSessionHarness.Customer, FullName.Id, "Carla"));
        LiveSessionHarness.Accepted(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", FullName.Id));
        LiveSessionHarness.Accepted(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer-tab", FullName.Id));
        LiveSessionHarness.Accepted(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", FullName.Id));

        var refused = await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer-tab", FullName.Id);
        LiveSessionHarness.Refused(refused, LiveSessionErrors.TooManyCommits);
        Assert.Equal(ErrorKind.TooManyRequests, refused.Error!.Kind);
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, LiveSessionHarness.Customer, FullName.Id, "Carlo"), LiveSessionErrors.TooManyFieldChanges);
        Assert.Equal("Carla", (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.FieldValues[FullName.Id].Value);
    }
}
