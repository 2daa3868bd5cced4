using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.Fields;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>A session replica applying changes another server accepted: an assignment that publishes only what changes.</summary>
public sealed class LiveSessionReplicaTests
{
    private static readonly FieldDefinition FullName = FieldValueRulesTests.Field(FieldKind.Text, "Full name");
    private static readonly LiveSessionActor Elsewhere = new("advisor-2", ParticipantRole.Advisor);

    [Fact]
    public async Task A_remote_page_change_is_published_once_and_repeating_it_changes_nothing()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join, events) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        var change = new LiveSessionChange { Actor = Elsewhere, DocumentId = harness.Annex.DocumentId, Page = 4 };

        Assert.True(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Page, change));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Page, change));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Page, change with { Page = 6 }));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Page, change with { DocumentId = Guid.NewGuid() }));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(Guid.NewGuid(), LiveSessionChangeKind.Page, change));

        await events.WaitForVersionAsync(join.Snapshot.Version + 1, join.Snapshot.Version);
        var page = Assert.IsType<PageChange>(Assert.Single(events.Events));
        Assert.Equal((harness.Annex.DocumentId, 4, Elsewhere), (page.DocumentId, page.Page, page.Actor));
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal((harness.Annex.DocumentId, 4, join.Snapshot.Version + 1), (snapshot.DocumentId, snapshot.Page, snapshot.Version));
    }

    [Fact]
    public async Task A_remote_value_is_shown_with_the_higher_version_but_left_for_its_own_server_to_save()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join, events) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"));
        LiveSessionHarness.Accepted(await harness.Coordinator.FlushFieldsAsync(harness.SessionId));
        var typedThere = new LiveFieldValue(FullName.Id, "Carla", 7, "customer-1", "Carl Customer", DateTimeOffset.UnixEpoch, null);
        var change = new LiveSessionChange { Actor = LiveSessionHarness.Customer.Actor, Value = typedThere, Role = ParticipantRole.Customer };

        Assert.True(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Value, change));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Value, change));
        Assert.True(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Value, change with { Value = typedThere with { Value = "Carl", Version = 2 } }));
        LiveSessionHarness.Accepted(await harness.Coordinator.FlushFieldsAsync(harness.SessionId));

        await events.WaitForVersionAsync(join.Snapshot.Version + 3, join.Snapshot.Version);
        Assert.Equal([(1L, "Carl"), (7L, "Carla"), (8L, "Carl")], events.Events.OfType<FieldValueChanged>().Select(v => (v.ValueVersion, v.Value)));
        Assert.Single(harness.FieldStore.Saved);
        Assert.Equal(8, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.FieldValues[FullName.Id].Version);
    }

    [Fact]
    public async Task Participants_of_other_servers_join_the_presence_once_and_leave_with_their_server()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join, events) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        var since = DateTimeOffset.UnixEpoch;
        IReadOnlyList<ParticipantPresence> there =
        [
            new("advisor-1", ParticipantRole.Advisor, "Ada Advisor", since, 1),
            new("customer-1", ParticipantRole.Customer, "Carl Customer", since, 2),
        ];

        Assert.True(harness.Coordinator.ApplyRemotePresence(harness.SessionId, "server-b", there));
        Assert.False(harness.Coordinator.ApplyRemotePresence(harness.SessionId, "server-b", there));
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal([("advisor-1", 1), ("customer-1", 3)], snapshot.Participants.Select(p => (p.ParticipantId, p.ConnectionCount)));

        harness.Coordinator.DropInstance("server-b");
        harness.Coordinator.DropInstance("server-b");

        await events.WaitForVersionAsync(join.Snapshot.Version + 2, join.Snapshot.Version);
        var presence = events.Events.OfType<Presence>().ToList();
        Assert.Equal(2, presence.Count);
        Assert.Equal(["advisor-1", "customer-1"], presence[0].Participants.Select(p => p.ParticipantId));
        Assert.Equal(["customer-1"], presence[1].Participants.Select(p => p.ParticipantId));
        Assert.Equal(("advisor-1", ParticipantRole.Advisor), (presence[1].Actor.ParticipantId, presence[1].Actor.Role));
    }

    [Fact]
    public async Task Changes_accepted_here_go_to_the_replicator_and_applied_ones_do_not()
    {
        await using var harness = new LiveSessionHarness();
        var sent = new List<(string Kind, LiveSessionChange Change)>();
        harness.Coordinator.Replicator = (_, kind, change) =>
        {
            lock (sent)
            {
                sent.Add((kind, change));
            }
        };
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "customer", harness.Terms.DocumentId, 2));
        await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Page, new LiveSessionChange { Actor = Elsewhere, DocumentId = harness.Terms.DocumentId, Page = 3 });
        await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Status, new LiveSessionChange { Actor = Elsewhere, Status = ContractStatus.Signed });
        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Customer.Actor));

        Assert.Equal(
            [LiveSessionChangeKind.Presence, LiveSessionChangeKind.Page, LiveSessionChangeKind.Ended],
            sent.Select(s => s.Kind));
        Assert.Equal((harness.Terms.DocumentId, 2), (sent[1].Change.DocumentId, sent[1].Change.Page));
        Assert.Equal("customer-1", Assert.Single(sent[0].Change.Participants!).ParticipantId);
    }

    [Fact]
    public async Task A_remote_end_ends_the_replica_for_its_subscribers()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join, events) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        Assert.True(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Ended, new LiveSessionChange { Actor = Elsewhere }));
        Assert.False(await harness.Coordinator.ApplyReplicatedAsync(harness.SessionId, LiveSessionChangeKind.Ended, new LiveSessionChange { Actor = Elsewhere }));

        Assert.Equal(SubscriptionEnd.SessionEnded, await join.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        Assert.Equal(Elsewhere, Assert.IsType<SessionEnded>(Assert.Single(events.Events)).Actor);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup), LiveSessionErrors.Ended);
    }

    private static async Task OpenAsync(LiveSessionHarness harness)
    {
        var opened = await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Fields = [FullName] });
        Assert.True(opened.Succeeded, opened.Error?.Message);
    }
}
