using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Integration;

/// <summary>
/// An Error in the log means something is wrong: refused hub calls and lost races for an audit
/// sequence number, both expected, log no Error and no exception; a genuine fault still logs an
/// Error with its exception. The real app on real Kestrel, its log recorded.
/// </summary>
public sealed class RefusalLoggingTests
{
    // Twelve connections of one link at once: above the default cap of five per participant.
    private static readonly Dictionary<string, string?> DebugForLiveContract = new()
    {
        ["Logging:LogLevel:LiveContract"] = "Debug",
        ["LiveSessions:MaxConnectionsPerParticipant"] = "16",
    };

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Refusals_and_lost_audit_races_log_no_error_while_a_fault_does(DatabaseProvider provider)
    {
        var log = new RecordingLogger();
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start(DebugForLiveContract, log);
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);

        // Refused hub calls: a command before joining, the customer pointing, joining twice.
        await using var customer = await SessionHubClient.ConnectAsync(app, session.Token);
        var notJoined = await customer.RefusalAsync("PageChange", session.ThreePages.Id, 2);
        await customer.JoinAsync(session.SessionId);
        var notAdvisor = await customer.RefusalAsync("Pointer", 0.5, 0.5);
        var joinedTwice = await Assert.ThrowsAsync<HubException>(() => customer.JoinAsync(session.SessionId));

        // Concurrent joins: the advisor's and the link's (coalesced into one stay) append "joined" to the
        // contract's audit stream at the same moment.
        var hubs = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SessionHubClient.ConnectAsync(app, session.Token)));
        var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await Task.WhenAll(hubs.Append(advisorHub).Select(h => h.JoinAsync(session.SessionId)));

        // A race for the next sequence number made to happen: another writer saves first, the work runs again.
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(session.Contract.Id);
        var attempts = 0;
        var raced = await AuditWrites.RunAsync<bool>(databases, async db =>
        {
            attempts++;
            await AuditTrail.AppendAsync(db, stream, "test.mine", AuditActor.System, new { }, DateTimeOffset.UtcNow);
            if (attempts == 1)
            {
                await using var other = await databases.CreateDbContextAsync();
                await AuditTrail.AppendAsync(other, stream, "test.other", AuditActor.System, new { }, DateTimeOffset.UtcNow);
                await other.SaveChangesAsync();
            }

            await db.SaveChangesAsync();
            return true;
        });
        Assert.True(raced.Succeeded);
        Assert.Equal(2, attempts);

        var records = log.Records;
        var noise = records.Where(r => r.Level >= LogLevel.Error || (r.Level >= LogLevel.Warning && r.Exception is not null)).ToList();
        Assert.True(noise.Count == 0, string.Join("\n", noise.Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception?.GetType().Name}: {r.Exception?.Message}")));
        foreach (var refusal in new[] { notJoined, notAdvisor, joinedTwice.Message })
        {
            // The client gets SignalR's "An unexpected error occurred invoking '…' on the server. HubException: " and the sentence.
            var sentence = refusal[(refusal.IndexOf("HubException: ", StringComparison.Ordinal) + "HubException: ".Length)..];
            Assert.Contains(records, r => r.Level == LogLevel.Information && r.Exception is null && r.Category == typeof(HubCallLogging).FullName && r.Message.EndsWith($"refused: {sentence}", StringComparison.Ordinal));
        }

        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Exception is null && r.Category == typeof(DatabaseFailureLogging).FullName && r.Message.StartsWith("Another writer took the audit sequence number first", StringComparison.Ordinal));

        // A genuine fault in a hub call (a table gone) and a save that breaks another unique index are Errors with their exception.
        await using (var db = await databases.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "Fields" RENAME TO "FieldsGone" """);
        }

        await using var late = await SessionHubClient.ConnectAsync(app, session.Token);
        var fault = await Assert.ThrowsAsync<HubException>(() => late.JoinAsync(session.SessionId));
        Assert.Contains("An unexpected error occurred invoking 'Join'", fault.Message, StringComparison.Ordinal);
        foreach (var last in new[] { 1, 2 })
        {
            await using var db = await databases.CreateDbContextAsync();
            db.ReferenceCounters.Add(new ReferenceCounter { Year = 1999, Last = last });
            if (last == 1)
            {
                await db.SaveChangesAsync();
            }
            else
            {
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            }
        }

        records = log.Records;
        Assert.Contains(records, r => r.Level == LogLevel.Error && r.Exception is not null && r.Category == typeof(HubCallLogging).FullName && r.Message.Contains("Join", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Level == LogLevel.Error && r.Exception is not null && r.Category == typeof(DatabaseFailureLogging).FullName);
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        await advisorHub.DisposeAsync();
    }
}
