using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionOrderingTests
{
    [Fact]
    public async Task Every_subscriber_sees_the_same_gapless_sequence_while_several_tasks_send_commands()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var members = new List<(LiveSessionJoin Join, EventRecorder Events, string Connection)>();
        for (var i = 0; i < 6; i++)
        {
            var participant = new LiveParticipant($"p{i}", i == 0 ? ParticipantRole.Advisor : ParticipantRole.Customer, $"Person {i}");
            var (join, events) = await harness.JoinAsync(participant, $"c{i}");
            members.Add((join, events, $"c{i}"));
        }

        var accepted = await Task.WhenAll(members.Select(m => Task.Run(async () =>
        {
            var versions = new List<long>();
            for (var n = 0; n < 150; n++)
            {
                var outcome = (n % 3) switch
                {
                    0 => await harness.Coordinator.ChangePageAsync(harness.SessionId, m.Connection, harness.Annex.DocumentId, (n % 5) + 1),
                    1 => await harness.Coordinator.MovePointerAsync(harness.SessionId, m.Connection, new PointerPosition(0.5, n / 150.0)),
                    _ => await harness.Coordinator.LoadDocumentAsync(harness.SessionId, m.Connection, harness.Terms.DocumentId),
                };
                versions.Add(LiveSessionHarness.Accepted(outcome));
            }

            return versions;
        })));

        var final = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version;
        var joinedAt = members[^1].Join.Snapshot.Version;
        Assert.Equal(Enumerable.Range((int)joinedAt + 1, 6 * 150).Select(v => (long)v), accepted.SelectMany(v => v).Order());
        foreach (var member in members)
        {
            await member.Events.WaitForVersionAsync(final, member.Join.Snapshot.Version);
            var versions = member.Events.Events.Select(e => e.Version).ToArray();
            var from = member.Join.Snapshot.Version + 1;
            Assert.Equal(Enumerable.Range((int)from, (int)(final - from + 1)).Select(v => (long)v), versions);
        }

        var reference = members[0].Events.Events.Where(e => e.Version > joinedAt).ToArray();
        foreach (var member in members.Skip(1))
        {
            Assert.Equal(reference, member.Events.Events.Where(e => e.Version > joinedAt));
        }
    }

    [Fact]
    public async Task Late_joiners_continue_from_their_snapshot_without_gap_or_duplicate()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        var navigating = Task.Run(async () =>
        {
            for (var n = 0; n < 600; n++)
            {
                LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, (n % 5) + 1));
            }
        });
        var latecomers = await Task.Run(async () =>
        {
            var joined = new List<(LiveSessionJoin Join, EventRecorder Events)>();
            for (var i = 0; i < 20; i++)
            {
                joined.Add(await harness.JoinAsync(new LiveParticipant($"late-{i}", ParticipantRole.Customer, $"Late {i}"), $"late-{i}"));
            }

            return joined;
        });
        await navigating;

        var final = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        foreach (var (join, events) in latecomers)
        {
            await events.WaitForVersionAsync(final.Version, join.Snapshot.Version);
            var from = join.Snapshot.Version + 1;
            Assert.Equal(Enumerable.Range((int)from, (int)(final.Version - from + 1)).Select(v => (long)v), events.Events.Select(e => e.Version));

            var state = events.Events.Aggregate(join.Snapshot, Apply);
            Assert.Equal((final.DocumentId, final.Page), (state.DocumentId, state.Page));
            Assert.Equal(final.Participants.Select(p => p.ParticipantId), state.Participants.Select(p => p.ParticipantId));
        }
    }

    [Fact]
    public async Task Concurrent_joins_each_get_their_own_version_and_everyone_ends_with_the_same_presence()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();

        var joins = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            harness.JoinAsync(new LiveParticipant($"p{i}", ParticipantRole.Customer, $"Person {i}"), $"c{i}"))));

        Assert.Equal(Enumerable.Range(1, 50).Select(v => (long)v), joins.Select(j => j.Join.Snapshot.Version).Order());
        var final = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal(50, final.Version);
        Assert.Equal(50, final.Participants.Count);
        foreach (var (join, events) in joins)
        {
            Assert.Equal(join.Snapshot.Version, join.Snapshot.Participants.Count);
            await events.WaitForVersionAsync(50, join.Snapshot.Version);
            var state = events.Events.Aggregate(join.Snapshot, Apply);
            Assert.Equal(50, state.Participants.Count);
            Assert.All(events.Events, e => Assert.IsType<Presence>(e));
        }
    }

    [Fact]
    public async Task Concurrent_joins_of_one_person_count_once()
    {
        await using var harness = new LiveSessionHarness(o => o.MaxConnectionsPerParticipant = 10);
        await harness.OpenAsync();
        var (_, observer) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => harness.JoinAsync(LiveSessionHarness.Customer, $"tab-{i}"))));
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2));

        await observer.WaitForAsync<PageChange>();
        Assert.Collection(observer.Events, e => Assert.IsType<Presence>(e), e => Assert.IsType<PageChange>(e));
        var customer = Assert.Single((await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Participants, p => p.Role == ParticipantRole.Customer);
        Assert.Equal(10, customer.ConnectionCount);
    }

    internal static LiveSessionSnapshot Apply(LiveSessionSnapshot state, LiveSessionEvent @event)
    {
        Assert.Equal(state.Version + 1, @event.Version);
        state = state with { Version = @event.Version };
        return @event switch
        {
            PageChange change => state with { DocumentId = change.DocumentId, Page = change.Page, Pointer = null },
            LoadDocument load => state with { DocumentId = load.DocumentId, Page = load.Page, Pointer = null },
            DocumentsChanged changed => state with { Documents = changed.Documents, DocumentId = changed.DocumentId, Page = changed.Page, Pointer = null },
            Pointer pointer => state with { Pointer = pointer.Position },
            Presence presence => state with { Participants = presence.Participants },
            StatusUpdate update => state with { Status = update.Status },
            SessionEnded => state with { Ended = true, Participants = [] },
            _ => state,
        };
    }
}
