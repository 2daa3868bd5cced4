using System.Data.Common;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

public sealed class AuditTrailTests
{
    // Sub-tick noise and a non-UTC offset: the stored time must still hash the same after a round trip.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 23, 14, 2, 3, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    private static readonly AuditActor Advisor = new("advisor-id", "Advisor", "192.0.2.10");

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Appended_events_are_numbered_and_chained_and_the_chain_verifies(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(Guid.NewGuid());

        await AppendAsync(databases, stream, 1);
        await using (var db = await databases.CreateDbContextAsync())
        {
            // Two events in one unit of work chain to each other too.
            await AuditTrail.AppendAsync(db, stream, "document.uploaded", Advisor, new { fileName = "a.pdf" }, Start.AddSeconds(2), CancellationToken.None);
            await AuditTrail.AppendAsync(db, stream, "contract.status", null, new { status = "Review" }, Start.AddSeconds(3), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await using var check = await databases.CreateDbContextAsync();
        var events = await check.AuditEvents.Where(e => e.Stream == stream).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        Assert.Equal("", events[0].PreviousHash);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);
        Assert.Equal(events[1].Hash, events[2].PreviousHash);
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
        Assert.Equal(AuditTrail.Normalize(Start), events[0].At);
        Assert.Equal(("Advisor", "192.0.2.10", """{"fileName":"a.pdf"}"""), (events[1].ActorRole, events[1].IpAddress, events[1].Data));
        var verified = await AuditTrail.VerifyAsync(check, stream, CancellationToken.None);
        Assert.True(verified.IsOk, verified.Problem);
        Assert.Equal((3L, events[2].Hash), (verified.Events, verified.HeadHash));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_database_refuses_to_update_or_delete_audit_events(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(Guid.NewGuid());
        await AppendAsync(databases, stream, 3);
        var before = await SnapshotAsync(databases, stream);

        const string forged = """{"forged":true}""";
        await using (var db = await databases.CreateDbContextAsync())
        {
            var update = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlAsync($"""UPDATE "AuditEvents" SET "Data" = {forged}"""));
            Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
            var delete = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEvents" """));
            Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
            if (provider == DatabaseProvider.Postgres)
            {
                await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("""TRUNCATE "AuditEvents" """));
            }
        }

        Assert.Equal(before, await SnapshotAsync(databases, stream));
        await using var check = await databases.CreateDbContextAsync();
        Assert.True((await AuditTrail.VerifyAsync(check, stream, CancellationToken.None)).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Verification_names_the_first_altered_or_missing_event(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var altered = AuditStreams.Contract(Guid.NewGuid());
        var gap = AuditStreams.Contract(Guid.NewGuid());
        var untouched = AuditStreams.System;
        await AppendAsync(databases, altered, 4);
        await AppendAsync(databases, gap, 4);
        await AppendAsync(databases, untouched, 2);

        await using var db = await databases.CreateDbContextAsync();

        // An attacker with DDL rights removes the triggers, then edits and deletes rows.
        await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres
            ? """DROP TRIGGER "AuditEvents_append_only" ON "AuditEvents";"""
            : """DROP TRIGGER "AuditEvents_no_update"; DROP TRIGGER "AuditEvents_no_delete";""");
        Assert.Equal(1, await db.Database.ExecuteSqlAsync(
            $$"""UPDATE "AuditEvents" SET "Data" = '{"n":99}' WHERE "Stream" = {{altered}} AND "Sequence" = 3"""));
        Assert.Equal(1, await db.Database.ExecuteSqlAsync(
            $"""DELETE FROM "AuditEvents" WHERE "Stream" = {gap} AND "Sequence" = 2"""));

        var changed = await AuditTrail.VerifyAsync(db, altered, CancellationToken.None);
        Assert.Equal((false, 3L, $"Event 3 of {altered} was changed after it was written."), (changed.IsOk, changed.BrokenSequence, changed.Problem));
        var missing = await AuditTrail.VerifyAsync(db, gap, CancellationToken.None);
        Assert.Equal((false, 2L, "Event 2 is missing."), (missing.IsOk, missing.BrokenSequence, missing.Problem));
        Assert.True((await AuditTrail.VerifyAsync(db, untouched, CancellationToken.None)).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Of_two_concurrent_appends_to_one_stream_exactly_one_is_written(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(Guid.NewGuid());
        await AppendAsync(databases, stream, 1);

        await using var first = await databases.CreateDbContextAsync();
        await using var second = await databases.CreateDbContextAsync();
        var a = await AuditTrail.AppendAsync(first, stream, "participant.joined", Advisor, new { who = "first" }, Start.AddSeconds(10), CancellationToken.None);
        var b = await AuditTrail.AppendAsync(second, stream, "participant.joined", Advisor, new { who = "second" }, Start.AddSeconds(10), CancellationToken.None);
        Assert.Equal((2L, 2L), (a.Sequence, b.Sequence));

        var results = await Task.WhenAll(TrySaveAsync(first), TrySaveAsync(second));

        Assert.Single(results, saved => saved);
        await using var check = await databases.CreateDbContextAsync();
        Assert.Equal(2, await check.AuditEvents.CountAsync(e => e.Stream == stream));
        Assert.True((await AuditTrail.VerifyAsync(check, stream, CancellationToken.None)).IsOk);
    }

    private static async Task<bool> TrySaveAsync(LiveContractDbContext db)
    {
        await Task.Yield();
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private static async Task AppendAsync(IDbContextFactory<LiveContractDbContext> databases, string stream, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = await databases.CreateDbContextAsync();
            await AuditTrail.AppendAsync(db, stream, "test.event", Advisor, new { n = i }, Start.AddMinutes(i), CancellationToken.None);
            await db.SaveChangesAsync();
        }
    }

    private static async Task<List<string>> SnapshotAsync(IDbContextFactory<LiveContractDbContext> databases, string stream)
    {
        await using var db = await databases.CreateDbContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).ToListAsync();
        return [.. events.Select(e => $"{e.Id}|{e.Sequence}|{e.Data}|{e.PreviousHash}|{e.Hash}")];
    }
}
