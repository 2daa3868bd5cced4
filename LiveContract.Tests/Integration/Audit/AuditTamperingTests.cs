using System.Data.Common;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Audit;

/// <summary>A contract's recorded events cannot be changed in the database, and an event slipped in beside the app is named as broken.</summary>
public sealed class AuditTamperingTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Raw_sql_can_neither_change_nor_delete_a_contracts_events(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var stream = AuditStreams.Contract(contract.Id);
        await using var db = scenario.Database();
        var before = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).Select(e => e.Data + e.Hash).ToListAsync();

        var update = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlAsync(
            $"""UPDATE "AuditEvents" SET "IpAddress" = '10.0.0.1' WHERE "Stream" = {stream} AND "Sequence" = 2"""));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlAsync(
            $"""DELETE FROM "AuditEvents" WHERE "Stream" = {stream}"""));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).Select(e => e.Data + e.Hash).ToListAsync());
        var check = LiveSessionScenario.Accepted(await scenario.App.Services.GetRequiredService<AuditService>().VerifyAsync(scenario.Advisor, contract.Id));
        Assert.Equal((true, 2L), (check.IsOk, check.Events));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_event_inserted_beside_the_app_is_named_as_the_first_broken_link(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var other = await scenario.CreateContractWithDocumentAsync();
        await using (var db = scenario.Database())
        {
            await ForgeNextEventAsync(db, contract.Id);
        }

        var audit = scenario.App.Services.GetRequiredService<AuditService>();
        var check = LiveSessionScenario.Accepted(await audit.VerifyAsync(scenario.Advisor, contract.Id));

        Assert.False(check.IsOk);
        Assert.Equal(3L, check.BrokenSequence);
        Assert.Equal($"Event 3 of {AuditStreams.Contract(contract.Id)} was changed after it was written.", check.Problem);
        Assert.Equal(2L, check.Events);
        Assert.True(LiveSessionScenario.Accepted(await audit.VerifyAsync(scenario.Advisor, other.Id)).IsOk);
        var export = LiveSessionScenario.Accepted(await audit.ExportAsync(scenario.Admin, contract.Id));
        Assert.Equal((3, false, 3L), (export.Events.Count, export.Chain.IsOk, export.Chain.BrokenSequence));
    }

    /// <summary>
    /// Appends, with raw SQL (the triggers refuse only updates and deletes), a copy of the contract's
    /// last event that claims a title change, chained to it but with a hash nobody computed.
    /// </summary>
    internal static async Task ForgeNextEventAsync(LiveContractDbContext db, Guid contractId)
    {
        var stream = AuditStreams.Contract(contractId);
        var forgedHash = new string('0', 64);
        const string forgedData = """{"title":{"from":"Motor insurance","to":"Forged"}}""";
        Assert.Equal(1, await db.Database.ExecuteSqlAsync($$"""
            INSERT INTO "AuditEvents" ("Stream", "Sequence", "Type", "At", "ActorId", "ActorRole", "IpAddress", "Data", "PreviousHash", "Hash")
            SELECT "Stream", "Sequence" + 1, 'contract.updated', "At", "ActorId", "ActorRole", "IpAddress",
                   {{forgedData}}, "Hash", {{forgedHash}}
            FROM "AuditEvents"
            WHERE "Stream" = {{stream}} AND "Sequence" = (SELECT MAX("Sequence") FROM "AuditEvents" WHERE "Stream" = {{stream}})
            """));
    }
}
