using System.Diagnostics;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>
/// Issue #17's flood through one customer link, replayed against the real app on loopback: hub
/// connections that connect, join and disconnect in a loop, 20 at once. The connection cap holds,
/// the audit trail grows by a handful of events however many cycles run, and the contract page
/// still answers in well under a second, also with a trail as long as the flood made before.
/// </summary>
public sealed class LinkFloodTests(ITestOutputHelper output)
{
    private const int Parallel = 20;
    private const int MaxCycles = 2_000;
    private static readonly TimeSpan MaxFlood = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PageBudget = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_link_flooding_the_hub_is_capped_adds_a_handful_of_audit_events_and_leaves_the_contract_page_fast()
    {
        await using var installation = await TestInstallation.CreateAsync();
        // A grace period longer than the test: the flood's one stay ends when the session does.
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveSessions:PresenceGracePeriod"] = "00:10:00" });
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var stream = AuditStreams.Contract(session.Contract.Id);
        var before = await CountAsync(app, stream);

        // The cap: five connections of the link join, the sixth is told why not.
        var held = new List<SessionHubClient>();
        for (var n = 0; n < 5; n++)
        {
            held.Add(await SessionHubClient.ConnectAsync(app, session.Token));
            await held[^1].JoinAsync(session.SessionId);
        }

        await using (var sixth = await SessionHubClient.ConnectAsync(app, session.Token))
        {
            var refusal = await Assert.ThrowsAsync<HubException>(() => sixth.JoinAsync(session.SessionId));
            Assert.Contains("You are already connected to this live session 5 times (other windows, tabs or programs); close one and try again.", refusal.Message);
        }

        foreach (var client in held)
        {
            await client.DisposeAsync();
        }

        // The flood: connect, join, disconnect, 20 loops at once, bounded in cycles and time.
        var cycles = 0;
        var joined = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < MaxFlood && Interlocked.Increment(ref cycles) <= MaxCycles)
            {
                await using var hub = await SessionHubClient.ConnectAsync(app, session.Token);
                try
                {
                    await hub.JoinAsync(session.SessionId);
                    Interlocked.Increment(ref joined);
                }
                catch (HubException e) when (e.Message.Contains("You are already connected to this live session", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        var flood = clock.Elapsed;
        var attempted = joined + refused;
        output.WriteLine($"Flood: {attempted} cycles in {flood.TotalSeconds:0.0} s ({attempted / flood.TotalSeconds:0} cycles/s), {joined} joined, {refused} refused by the cap.");
        Assert.True(attempted >= 300, $"Only {attempted} cycles ran: not a flood.");

        // At most the cap at any moment: once the flood's connections have closed, nobody is left behind.
        var coordinator = app.Services.GetRequiredService<ILiveSessionCoordinator>();
        await EventuallyAsync(async () => (await coordinator.GetSnapshotAsync(session.SessionId))!.Participants.Count == 0);

        var after = await CountAsync(app, stream);
        var presence = await PresenceEventsAsync(app, stream);
        output.WriteLine($"Audit events on the contract's stream: {before} before, {after} after ({presence} joins and leaves).");
        Assert.Equal(1, presence);
        Assert.True(after - before <= 2, $"The flood added {after - before} audit events.");

        // The contract page after the flood, then with a trail as long as the old flood left (6,000 joins and leaves).
        using var browser = await app.LogInAsAdvisorAsync();
        var path = $"/contracts/{session.Contract.Id}";
        await MeasureAsync(browser, path);
        var (firstByte, whole, size) = await MeasureAsync(browser, path);
        output.WriteLine($"Contract page after the flood: first byte {firstByte.TotalMilliseconds:0} ms, whole page {whole.TotalMilliseconds:0} ms, {size:N0} bytes.");
        Assert.True(whole < PageBudget, $"The contract page took {whole.TotalMilliseconds:0} ms.");

        await AuditSeed.AppendPresenceAsync(app, session.Contract.Id, session.SessionId, 6_000);
        var (longFirstByte, longWhole, longSize) = await MeasureAsync(browser, path);
        output.WriteLine($"Contract page with {await CountAsync(app, stream):N0} events: first byte {longFirstByte.TotalMilliseconds:0} ms, whole page {longWhole.TotalMilliseconds:0} ms, {longSize:N0} bytes.");
        Assert.True(longWhole < PageBudget, $"The contract page took {longWhole.TotalMilliseconds:0} ms with a long trail.");
        Assert.True(longSize < size + 100_000, $"The page grew from {size:N0} to {longSize:N0} bytes with the trail.");

        // The session's end still writes the pending leave before it, and the customer's page-view summary.
        using (var ended = await api.DeleteAsync($"api/sessions/{session.SessionId}"))
        {
            ended.EnsureSuccessStatusCode();
        }

        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        var tail = await db.AuditEvents.Where(e => e.Stream == stream).OrderByDescending(e => e.Sequence).Take(3).Select(e => e.Type).ToListAsync();
        Assert.Equal([AuditEventTypes.SessionEnded, AuditEventTypes.PagesViewed, AuditEventTypes.ParticipantLeft], tail);
        Assert.True((await AuditTrail.VerifyAsync(db, stream)).IsOk);
    }

    private static async Task<(TimeSpan FirstByte, TimeSpan Whole, long Size)> MeasureAsync(WebClient browser, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await browser.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        var read = await body.ReadAsync(first);
        var firstByte = clock.Elapsed;
        var rest = new MemoryStream();
        await body.CopyToAsync(rest);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (firstByte, clock.Elapsed, read + rest.Length);
    }

    private static async Task<int> CountAsync(LiveContractApp app, string stream)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        return await db.AuditEvents.CountAsync(e => e.Stream == stream);
    }

    private static async Task<int> PresenceEventsAsync(LiveContractApp app, string stream)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        return await db.AuditEvents.CountAsync(e => e.Stream == stream && (e.Type == AuditEventTypes.ParticipantJoined || e.Type == AuditEventTypes.ParticipantLeft));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(50, patience.Token);
        }
    }
}
