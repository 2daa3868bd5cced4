using LiveContract.Core.Common;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionRateLimitTests
{
    private static LiveSessionHarness Limited() => new(o =>
    {
        o.PageChangesPerSecond = 10;
        o.PointerMovesPerSecond = 20;
    });

    [Fact]
    public async Task A_connection_may_change_pages_ten_times_a_second_and_is_told_when_it_goes_faster()
    {
        await using var harness = Limited();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        for (var n = 0; n < 10; n++)
        {
            LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2));
        }

        var refused = await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 3);
        LiveSessionHarness.Refused(refused, LiveSessionErrors.TooManyPageChanges);
        Assert.Equal(ErrorKind.TooManyRequests, refused.Error!.Kind);
        Assert.Equal("Pages are changing too quickly; wait a moment and try again.", refused.Error.Message);
        LiveSessionHarness.Refused(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "advisor", harness.Annex.DocumentId), LiveSessionErrors.TooManyPageChanges);

        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        LiveSessionHarness.Accepted(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "advisor", harness.Annex.DocumentId));
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 2), LiveSessionErrors.TooManyPageChanges);
        Assert.Equal(12, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version);
    }

    [Fact]
    public async Task A_connection_may_point_twenty_times_a_second_and_excess_positions_are_skipped()
    {
        await using var harness = Limited();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        for (var n = 0; n < 20; n++)
        {
            LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(n / 20.0, 0.5)));
        }

        LiveSessionHarness.Refused(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(1, 1)), LiveSessionErrors.TooManyPointerMoves);
        Assert.Equal(new PointerPosition(19 / 20.0, 0.5), (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Pointer);
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        for (var n = 0; n < 20; n++)
        {
            LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0.5, 0.5)));
        }
    }

    [Fact]
    public async Task A_flooding_connection_does_not_limit_other_connections_or_sessions()
    {
        await using var harness = Limited();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "flooding");
        await harness.JoinAsync(LiveSessionHarness.Customer, "calm");
        var otherSession = Guid.NewGuid();
        LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(otherSession, harness.Setup));
        LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(otherSession, LiveSessionHarness.Advisor, "elsewhere", _ => ValueTask.CompletedTask));

        for (var n = 0; n < 100; n++)
        {
            await harness.Coordinator.ChangePageAsync(harness.SessionId, "flooding", harness.Terms.DocumentId, 2);
            await harness.Coordinator.MovePointerAsync(harness.SessionId, "flooding", new PointerPosition(0.5, 0.5));
        }

        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "flooding", harness.Terms.DocumentId, 2), LiveSessionErrors.TooManyPageChanges);
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "calm", harness.Terms.DocumentId, 3));
        LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "calm", new PointerPosition(0.1, 0.1)));
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(otherSession, "elsewhere", harness.Terms.DocumentId, 3));
    }
}
