using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>
/// The host's stop of the live sessions: it saves what is unsaved of every session even while
/// one connection's delivery hangs, and a stop that outlasts the host's shutdown timeout is a
/// warning in the log, never an exception out of the host's stop.
/// </summary>
public sealed class LiveSessionShutdownTests
{
    [Fact]
    public async Task A_save_that_outlasts_the_hosts_shutdown_timeout_is_logged_as_a_warning_instead_of_thrown()
    {
        var store = new BlockingStateStore();
        await using var harness = new LiveSessionHarness();
        var coordinator = new InMemoryLiveSessionCoordinator(Microsoft.Extensions.Options.Options.Create(harness.Options), store, harness.FieldStore, harness.Time, harness.Logger);
        LiveSessionHarness.Accepted(await coordinator.OpenAsync(harness.SessionId, harness.Setup));
        LiveSessionHarness.Accepted(await coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Advisor, "advisor", _ => ValueTask.CompletedTask));
        LiveSessionHarness.Accepted(await coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 2));
        var logger = new ListLogger<LiveSessionShutdown>();
        using var hostTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await new LiveSessionShutdown(coordinator, logger).StopAsync(hostTimeout.Token).WaitAsync(LiveSessionHarness.Patience);

        Assert.True(store.SaveStarted.IsCompleted, "The stop did not try to save the unsaved position.");
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("The live sessions had not finished stopping when the host's shutdown timeout was reached", warning.Message, StringComparison.Ordinal);
        store.Release();
    }

    [Fact]
    public async Task A_second_stop_returns_only_once_the_first_one_has_saved()
    {
        var store = new BlockingStateStore();
        await using var harness = new LiveSessionHarness();
        var coordinator = new InMemoryLiveSessionCoordinator(Microsoft.Extensions.Options.Options.Create(harness.Options), store, harness.FieldStore, harness.Time, harness.Logger);
        LiveSessionHarness.Accepted(await coordinator.OpenAsync(harness.SessionId, harness.Setup));
        LiveSessionHarness.Accepted(await coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Advisor, "advisor", _ => ValueTask.CompletedTask));
        LiveSessionHarness.Accepted(await coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 2));

        // The host's stop and the container's disposal (or a second stop of the host) overlap.
        var first = coordinator.DisposeAsync().AsTask();
        await store.SaveStarted.WaitAsync(LiveSessionHarness.Patience);
        var second = coordinator.DisposeAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var returnedBeforeTheSave = second.IsCompleted;
        store.Release();
        await Task.WhenAll(first, second).WaitAsync(LiveSessionHarness.Patience);

        Assert.False(returnedBeforeTheSave, "The second stop returned while the first was still saving, so the database could be disposed under that save.");
    }

    [Fact]
    public async Task A_delivery_that_hangs_in_one_session_does_not_keep_the_other_sessions_from_being_saved()
    {
        await using var harness = new LiveSessionHarness();
        using var never = new SemaphoreSlim(0);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup));
        LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "stuck", async _ =>
        {
            hung.TrySetResult();
            await never.WaitAsync();
        }));
        LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Advisor, "advisor", _ => ValueTask.CompletedTask));
        await hung.Task.WaitAsync(LiveSessionHarness.Patience);
        var others = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var sessionId = Guid.NewGuid();
            LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(sessionId, harness.Setup));
            LiveSessionHarness.Accepted(await harness.Coordinator.JoinAsync(sessionId, LiveSessionHarness.Advisor, $"advisor-{i}", _ => ValueTask.CompletedTask));
            LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(sessionId, $"advisor-{i}", harness.Annex.DocumentId, 3));
            others.Add(sessionId);
        }

        var logger = new ListLogger<LiveSessionShutdown>();
        using var hostTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await new LiveSessionShutdown(harness.Coordinator, logger).StopAsync(hostTimeout.Token).WaitAsync(LiveSessionHarness.Patience);

        Assert.All(others, id => Assert.Contains(harness.Store.Saved, s => s.SessionId == id && s.DocumentId == harness.Annex.DocumentId && s.Page == 3));
        Assert.Equal(LogLevel.Warning, Assert.Single(logger.Entries).Level);
        never.Release();
    }

    [Fact]
    public async Task A_stop_within_the_timeout_saves_and_logs_nothing()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 5));
        var logger = new ListLogger<LiveSessionShutdown>();

        await new LiveSessionShutdown(harness.Coordinator, logger).StopAsync(CancellationToken.None);

        Assert.Equal((harness.Annex.DocumentId, 5), (harness.Store.Saved[^1].DocumentId, harness.Store.Saved[^1].Page));
        Assert.Empty(logger.Entries);
    }

    /// <summary>A store whose saves do not finish until released, like a database that stopped answering.</summary>
    private sealed class BlockingStateStore : ILiveSessionStateStore
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SaveStarted => started.Task;

        public Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default) => Task.FromResult<LiveSessionState?>(null);

        public Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default)
        {
            started.TrySetResult();
            return release.Task;
        }

        public void Release() => release.TrySetResult();
    }
}
