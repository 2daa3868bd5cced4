using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Options;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>The customer's time per page, counted from the coordinator's moves on a manual clock.</summary>
public sealed class PageViewTrackerTests : IAsyncDisposable
{
    private static readonly LiveParticipant Advisor = new("advisor-1", ParticipantRole.Advisor, "Ada Advisor");
    private static readonly LiveParticipant Customer = new(Guid.NewGuid().ToString(), ParticipantRole.Customer, "Carl Customer");

    private readonly ManualTimeProvider time = new();
    private readonly PageViewTracker tracker;
    private readonly InMemoryLiveSessionCoordinator coordinator;
    private readonly Guid sessionId = Guid.NewGuid();
    private readonly SessionDocument terms = new(Guid.NewGuid(), "terms.pdf", 3);
    private readonly SessionDocument annex = new(Guid.NewGuid(), "annex.pdf", 5);

    public PageViewTrackerTests()
    {
        tracker = new PageViewTracker(time);
        var options = new LiveSessionOptions { PointerMovesPerSecond = 1_000_000, PageChangesPerSecond = 1_000_000 };
        coordinator = new InMemoryLiveSessionCoordinator(Options.Create(options), new RecordingStateStore(), new InMemoryFieldValueStore(), time, new ListLogger<InMemoryLiveSessionCoordinator>(), tracker);
    }

    [Fact]
    public async Task Time_counts_for_the_page_shown_while_the_customer_is_connected()
    {
        await OpenAsync();
        await JoinAsync(Advisor, "advisor");
        time.Advance(TimeSpan.FromMinutes(5));
        var since = time.GetUtcNow();
        var customer = await JoinAsync(Customer, "customer-tab");

        time.Advance(TimeSpan.FromSeconds(10));
        Accepted(await coordinator.ChangePageAsync(sessionId, "advisor", terms.DocumentId, 2));
        time.Advance(TimeSpan.FromSeconds(20));
        Accepted(await coordinator.MovePointerAsync(sessionId, "advisor", new PointerPosition(0.5, 0.5)));
        time.Advance(TimeSpan.FromSeconds(5));
        Accepted(await coordinator.LoadDocumentAsync(sessionId, "customer-tab", annex.DocumentId));
        time.Advance(TimeSpan.FromSeconds(7));
        await customer.Subscription.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(3));
        Accepted(await coordinator.ChangePageAsync(sessionId, "advisor", terms.DocumentId, 1));
        time.Advance(TimeSpan.FromMinutes(1));

        var views = tracker.Summarize(sessionId);

        Assert.NotNull(views);
        Assert.Equal(since, views.CountedSince);
        Assert.Equal(
            [(terms.DocumentId, 1, TimeSpan.FromSeconds(10)), (terms.DocumentId, 2, TimeSpan.FromSeconds(25)), (annex.DocumentId, 1, TimeSpan.FromSeconds(7))],
            views.Pages.Select(p => (p.DocumentId, p.Page, p.Duration)));
        Assert.Equal(TimeSpan.FromSeconds(42), views.Total);
    }

    [Fact]
    public async Task A_customer_who_leaves_and_returns_is_counted_once_per_moment_across_tabs()
    {
        await OpenAsync();
        await JoinAsync(Advisor, "advisor");
        var first = await JoinAsync(Customer, "tab-1");
        time.Advance(TimeSpan.FromSeconds(4));
        var second = await JoinAsync(Customer, "tab-2");
        time.Advance(TimeSpan.FromSeconds(6));
        await first.Subscription.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(2));
        await second.Subscription.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        Accepted(await coordinator.ChangePageAsync(sessionId, "advisor", terms.DocumentId, 3));
        await JoinAsync(Customer, "tab-3");
        time.Advance(TimeSpan.FromSeconds(8));

        var views = tracker.Summarize(sessionId)!;

        Assert.Equal([(1, TimeSpan.FromSeconds(12)), (3, TimeSpan.FromSeconds(8))], views.Pages.Select(p => (p.Page, p.Duration)));
        Assert.Equal(TimeSpan.FromSeconds(20), views.Total);
    }

    [Fact]
    public async Task A_document_list_change_moves_the_count_to_the_page_the_session_then_shows()
    {
        await OpenAsync();
        await JoinAsync(Advisor, "advisor");
        Accepted(await coordinator.LoadDocumentAsync(sessionId, "advisor", annex.DocumentId));
        Accepted(await coordinator.ChangePageAsync(sessionId, "advisor", annex.DocumentId, 4));
        await JoinAsync(Customer, "customer");
        time.Advance(TimeSpan.FromSeconds(3));

        Accepted(await coordinator.UpdateDocumentsAsync(sessionId, Advisor.Actor, [terms]));
        time.Advance(TimeSpan.FromSeconds(9));

        var views = tracker.Summarize(sessionId)!;
        Assert.Equal(
            [(annex.DocumentId, 4, TimeSpan.FromSeconds(3)), (terms.DocumentId, 1, TimeSpan.FromSeconds(9))],
            views.Pages.Select(p => (p.DocumentId, p.Page, p.Duration)));
    }

    [Fact]
    public async Task Without_the_customer_there_is_nothing_to_summarise_and_an_ended_session_is_forgotten()
    {
        await OpenAsync();
        await JoinAsync(Advisor, "advisor");
        time.Advance(TimeSpan.FromMinutes(2));
        Accepted(await coordinator.ChangePageAsync(sessionId, "advisor", terms.DocumentId, 2));

        Assert.Null(tracker.Summarize(sessionId));
        Assert.Null(tracker.Summarize(Guid.NewGuid()));

        await JoinAsync(Customer, "customer");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(tracker.Summarize(sessionId));
        Accepted(await coordinator.EndAsync(sessionId, Advisor.Actor));
        Assert.Null(tracker.Summarize(sessionId));
    }

    [Fact]
    public async Task A_report_older_than_the_last_one_changes_nothing()
    {
        await OpenAsync();
        await JoinAsync(Customer, "customer");
        var moved = Accepted(await coordinator.ChangePageAsync(sessionId, "customer", terms.DocumentId, 3));

        tracker.Shown(sessionId, annex.DocumentId, 5, moved - 1);
        time.Advance(TimeSpan.FromSeconds(30));

        var page = Assert.Single(tracker.Summarize(sessionId)!.Pages);
        Assert.Equal((terms.DocumentId, 3, TimeSpan.FromSeconds(30)), (page.DocumentId, page.Page, page.Duration));
    }

    public ValueTask DisposeAsync() => coordinator.DisposeAsync();

    private static T Accepted<T>(Core.Common.Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        return outcome.Value!;
    }

    private async Task OpenAsync() =>
        Accepted(await coordinator.OpenAsync(sessionId, new LiveSessionSetup(Guid.NewGuid(), [terms, annex], terms.DocumentId, 1, ContractStatus.Review)));

    private async Task<LiveSessionJoin> JoinAsync(LiveParticipant participant, string connectionId) =>
        Accepted(await coordinator.JoinAsync(sessionId, participant, connectionId, _ => ValueTask.CompletedTask));
}
