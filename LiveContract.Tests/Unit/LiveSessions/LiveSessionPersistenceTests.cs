using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionPersistenceTests
{
    [Fact]
    public async Task The_position_is_saved_at_most_once_a_second_with_the_latest_page()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2);
        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 4);
        await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0.5, 0.5));
        harness.Time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(harness.Store.Saved);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var saved = Assert.Single(harness.Store.Saved);
        Assert.Equal(new LiveSessionState(harness.SessionId, harness.ContractId, harness.Annex.DocumentId, 4, false, 4), saved);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(harness.Store.Saved);

        await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "advisor", harness.Terms.DocumentId);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((harness.Terms.DocumentId, 1), (harness.Store.Saved[^1].DocumentId, harness.Store.Saved[^1].Page));
        Assert.Equal(2, harness.Store.Saved.Count);
    }

    [Fact]
    public async Task Pointer_status_and_presence_alone_are_not_saved()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0.5, 0.5));
        await harness.Coordinator.PublishStatusAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor, ContractStatus.Draft);
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(harness.Store.Saved);
    }

    [Fact]
    public async Task Ending_saves_the_final_state_at_once_and_nothing_after()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 3);

        var endedAt = LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor));

        Assert.Equal(new LiveSessionState(harness.SessionId, harness.ContractId, harness.Annex.DocumentId, 3, true, endedAt), Assert.Single(harness.Store.Saved));
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(harness.Store.Saved);
    }

    [Fact]
    public async Task A_session_resumes_at_its_saved_document_and_page_after_a_restart()
    {
        var store = new RecordingStateStore();
        var sessionId = Guid.NewGuid();
        Guid annex;
        LiveSessionSetup setup;
        await using (var before = new LiveSessionHarness(store: store))
        {
            setup = before.Setup;
            annex = before.Annex.DocumentId;
            LiveSessionHarness.Accepted(await before.Coordinator.OpenAsync(sessionId, setup));
            LiveSessionHarness.Accepted(await before.Coordinator.JoinAsync(sessionId, LiveSessionHarness.Advisor, "advisor", _ => ValueTask.CompletedTask));
            await before.Coordinator.ChangePageAsync(sessionId, "advisor", annex, 5);
            before.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await using var after = new LiveSessionHarness(store: store);
        var resumed = LiveSessionHarness.Accepted(await after.Coordinator.OpenAsync(sessionId, setup));

        Assert.Equal((annex, 5, 2L), (resumed.DocumentId, resumed.Page, resumed.Version));
        Assert.Empty(resumed.Participants);
    }

    [Fact]
    public async Task A_resumed_session_starts_at_the_beginning_when_its_saved_document_is_gone_and_clamps_a_page_that_is()
    {
        var store = new RecordingStateStore();
        await using var harness = new LiveSessionHarness(store: store);
        await store.SaveAsync(new LiveSessionState(harness.SessionId, harness.ContractId, Guid.NewGuid(), 7, false, 9));

        var gone = LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup));
        Assert.Equal((harness.Terms.DocumentId, 1, 9L), (gone.DocumentId, gone.Page, gone.Version));

        var other = Guid.NewGuid();
        await store.SaveAsync(new LiveSessionState(other, harness.ContractId, harness.Annex.DocumentId, 7, false, 3));
        var clamped = LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(other, harness.Setup));
        Assert.Equal((harness.Annex.DocumentId, 5), (clamped.DocumentId, clamped.Page));
    }

    [Fact]
    public async Task A_failing_store_is_logged_and_the_session_goes_on()
    {
        await using var harness = new LiveSessionHarness(store: new RecordingStateStore { Failing = true });
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Contains(harness.Logger.Entries, e => e.Message.Contains("Could not save the position", StringComparison.Ordinal));
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 3));
        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor));
    }
}
