using LiveContract.Web.Features.Signing;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Components;

/// <summary>The re-checks the signing panels make while a signed contract waits for its signed PDF: soon at first, then less and less often.</summary>
public sealed class SigningSealingWatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider clock = new();
    private readonly CancellationTokenSource leaving = new();
    private int rechecks;

    [Fact]
    public void The_pauses_double_from_two_seconds_up_to_thirty()
    {
        var pauses = new List<TimeSpan> { SealingWatch.FirstInterval };
        while (pauses.Count < 7)
        {
            pauses.Add(SealingWatch.After(pauses[^1]));
        }

        Assert.Equal([2, 4, 8, 16, 30, 30, 30], pauses.Select(p => p.TotalSeconds));
    }

    [Fact]
    public async Task A_contract_that_stays_unsealed_is_asked_about_less_and_less_often()
    {
        await StartAsync(() => true);

        await AdvanceAsync(TimeSpan.FromSeconds(2), expected: 1);
        await AdvanceAsync(TimeSpan.FromSeconds(3), expected: 1);
        await AdvanceAsync(TimeSpan.FromSeconds(1), expected: 2);
        await AdvanceAsync(TimeSpan.FromSeconds(8), expected: 3);
        await AdvanceAsync(TimeSpan.FromSeconds(16), expected: 4);
        await AdvanceAsync(TimeSpan.FromSeconds(29), expected: 4);
        await AdvanceAsync(TimeSpan.FromSeconds(1), expected: 5);
        await AdvanceAsync(TimeSpan.FromSeconds(30), expected: 6);
    }

    [Fact]
    public async Task The_watch_stops_once_the_pdf_is_ready_or_the_panel_goes()
    {
        var waiting = true;
        await StartAsync(() => waiting);
        await AdvanceAsync(TimeSpan.FromSeconds(2), expected: 1);

        waiting = false;
        await AdvanceAsync(TimeSpan.FromMinutes(5), expected: 1);

        var second = new SealingWatch(clock);
        rechecks = 0;
        await Task.Run(() => second.Start(() => true, Recheck, leaving.Token));
        await leaving.CancelAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(5), expected: 0);
    }

    [Fact]
    public async Task A_second_start_while_one_runs_does_not_ask_twice_as_often()
    {
        var watch = new SealingWatch(clock);
        await Task.Run(() =>
        {
            watch.Start(() => true, Recheck, leaving.Token);
            watch.Start(() => true, Recheck, leaving.Token);
        });

        await AdvanceAsync(TimeSpan.FromSeconds(2), expected: 1);
        await leaving.CancelAsync();
    }

    /// <summary>Started off the test's synchronization context, so the fake clock's ticks run the watch at once.</summary>
    private Task StartAsync(Func<bool> waiting) =>
        Task.Run(() => new SealingWatch(clock).Start(waiting, Recheck, leaving.Token));

    private Task Recheck()
    {
        Interlocked.Increment(ref rechecks);
        return Task.CompletedTask;
    }

    private async Task AdvanceAsync(TimeSpan by, int expected)
    {
        // Lets the watch set its next pause before the clock moves, then a re-check that should not come the chance to come anyway.
        await Task.Delay(50);
        clock.Advance(by);
        await Task.Delay(50);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref rechecks) >= expected, Patience), $"Expected {expected} re-checks, saw {rechecks}.");
        Assert.Equal(expected, Volatile.Read(ref rechecks));
    }
}
