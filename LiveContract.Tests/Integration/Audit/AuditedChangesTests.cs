using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Audit;

/// <summary>Every change of a contract, its documents and its live sessions writes its audit event in the same transaction, on both databases.</summary>
public sealed class AuditedChangesTests
{
    private const string RefusedTitle = "Refused by the database";
    private const string RefusedFile = "refused.pdf";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_contracts_life_is_recorded_in_order_with_who_and_where_and_its_chain_verifies(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var advisor = scenario.Advisor with { IpAddress = "192.0.2.10" };
        var admin = scenario.Admin with { IpAddress = "198.51.100.1" };
        var contract = Accepted(await scenario.Contracts.CreateAsync(advisor, new NewContract("Motor insurance", "Chloé Dupont", LiveSessionScenario.CustomerEmail)));
        Accepted(await scenario.Contracts.UpdateAsync(advisor, contract.Id, new ContractChanges(Title: "Motor insurance 2027", AdvisorMustSign: false)));
        var claim = await UploadAsync(scenario, advisor, contract.Id, LiveSessionScenario.ThreePages);
        var paper = await UploadAsync(scenario, advisor, contract.Id, LiveSessionScenario.FivePages);
        Accepted(await scenario.Documents.RemoveAsync(advisor, paper.Id));
        Accepted(await scenario.Contracts.UpdateAsync(advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        var started = Accepted(await scenario.Sessions.StartAsync(advisor, contract.Id));
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var grant = (await scenario.Sessions.RedeemLinkAsync(token, "203.0.113.7")).Grant!;

        // The customer joins as the hub does: authorized, joined to the coordinator, presence recorded.
        var access = Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(grant.LinkId), grant.SessionId));
        var join = Accepted(await scenario.Coordinator.JoinAsync(grant.SessionId, access.Participant, "hub:customer", _ => ValueTask.CompletedTask));
        await scenario.Presence.ConnectedAsync(grant.SessionId, access.Participant, "203.0.113.7");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await join.Subscription.DisposeAsync();
        scenario.Presence.Disconnected(grant.SessionId, access.Participant, "203.0.113.7");
        await scenario.Presence.FlushAsync(grant.SessionId);
        Accepted(await scenario.Sessions.RevokeLinkAsync(advisor, started.Session.Id));
        Accepted(await scenario.Sessions.ResendLinkAsync(advisor, started.Session.Id));
        Accepted(await scenario.Sessions.EndAsync(admin, started.Session.Id));

        var audit = scenario.App.Services.GetRequiredService<AuditService>();
        var trail = Accepted(await audit.GetTimelineAsync(scenario.Advisor, contract.Id));
        var events = trail.Events;
        Assert.Equal(
            [
                AuditEventTypes.ContractCreated, AuditEventTypes.ContractUpdated, AuditEventTypes.DocumentUploaded, AuditEventTypes.DocumentUploaded,
                AuditEventTypes.DocumentRemoved, AuditEventTypes.StatusChanged, AuditEventTypes.SessionStarted, AuditEventTypes.LinkSent,
                AuditEventTypes.LinkUsed, AuditEventTypes.ParticipantJoined, AuditEventTypes.ParticipantLeft, AuditEventTypes.LinkRevoked,
                AuditEventTypes.LinkSent, AuditEventTypes.PagesViewed, AuditEventTypes.SessionEnded,
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(TimeSpan.Zero, e.At.Offset));

        var customerId = started.Session.CustomerId.ToString("D");
        var who = events.Select(e => (e.Type, e.ActorId, e.ActorRole, e.ActorName, e.IpAddress)).ToList();
        Assert.Equal((AuditEventTypes.ContractCreated, scenario.Advisor.UserId, "Advisor", "Victor Advisor", "192.0.2.10"), who[0]);
        Assert.Equal((AuditEventTypes.LinkUsed, customerId, "Customer", "Chloé Dupont", "203.0.113.7"), who[8]);
        Assert.Equal((AuditEventTypes.ParticipantJoined, customerId, "Customer", "Chloé Dupont", "203.0.113.7"), who[9]);
        Assert.Equal((AuditEventTypes.PagesViewed, customerId, "Customer", "Chloé Dupont", null), who[13]);
        Assert.Equal((AuditEventTypes.SessionEnded, scenario.Admin.UserId, "Admin", "Ada Admin", "198.51.100.1"), who[14]);

        Assert.Equal("""{"title":{"from":"Motor insurance","to":"Motor insurance 2027"},"advisorMustSign":{"from":true,"to":false}}""", events[1].Data);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(FixturePdfs.Read(LiveSessionScenario.ThreePages)));
        Assert.Equal(
            $$"""{"documentId":"{{claim.Id}}","fileName":"{{LiveSessionScenario.ThreePages}}","size":{{claim.Size}},"pages":3,"sha256":"{{sha256}}"}""",
            events[2].Data);
        Assert.Equal($"Document {LiveSessionScenario.FivePages} removed", events[4].Description);
        Assert.Equal(
            $$"""{"from":"Draft","to":"Review","pinnedDocuments":[{"documentId":"{{claim.Id}}","fileName":"{{LiveSessionScenario.ThreePages}}","sha256":"{{sha256}}"}]}""",
            events[5].Data);
        Assert.Equal("Status changed from Draft to Review (1 document pinned)", events[5].Description);
        Assert.Equal("Customer link revoked", events[11].Description);
        Assert.All(events, e => Assert.DoesNotContain(token[4..], e.Data, StringComparison.Ordinal));

        using var pages = JsonDocument.Parse(events[13].Data);
        var viewed = Assert.Single(pages.RootElement.GetProperty("pages").EnumerateArray());
        Assert.Equal((claim.Id.ToString(), LiveSessionScenario.ThreePages, 1), (viewed.GetProperty("documentId").GetString(), viewed.GetProperty("fileName").GetString(), viewed.GetProperty("page").GetInt32()));
        Assert.InRange(viewed.GetProperty("seconds").GetDouble(), 0.2, 30);
        Assert.Equal(viewed.GetProperty("seconds").GetDouble(), pages.RootElement.GetProperty("totalSeconds").GetDouble());

        var check = Accepted(await audit.VerifyAsync(scenario.Admin, contract.Id));
        Assert.True(check.IsOk, check.Problem);
        Assert.Equal((15L, events[^1].Hash), (check.Events, check.HeadHash));
        Assert.Equal(events.Take(events.Count - 1).Select(e => e.Hash), events.Skip(1).Select(e => e.PreviousHash));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_change_the_database_refuses_or_the_rules_refuse_leaves_no_event(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        await using (var db = scenario.Database())
        {
            await RefuseInTheDatabaseAsync(db, provider);
        }

        var before = await EventsAsync(scenario);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => scenario.Contracts.CreateAsync(scenario.Advisor, new NewContract(RefusedTitle, "Chloé Dupont", LiveSessionScenario.CustomerEmail)));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Title: RefusedTitle)));
        using (var content = new MemoryStream(FixturePdfs.Read(LiveSessionScenario.ThreePages)))
        {
            Assert.Equal(ErrorKind.Unavailable, (await scenario.Documents.UploadAsync(scenario.Advisor, contract.Id, RefusedFile, content)).Error?.Kind);
        }

        await Assert.ThrowsAnyAsync<DbException>(() => scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));
        Assert.Equal(ErrorKind.NotFound, (await scenario.Contracts.UpdateAsync(scenario.OtherAdvisor, contract.Id, new ContractChanges(Title: "Mine now"))).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await scenario.Documents.RemoveAsync(scenario.OtherAdvisor, contract.Documents[0].Id)).Error?.Kind);
        Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        var afterReview = await EventsAsync(scenario);
        Assert.Equal(ErrorKind.Conflict, (await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Title: "Too late"))).Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, (await scenario.Documents.RemoveAsync(scenario.Advisor, contract.Documents[0].Id)).Error?.Kind);
        Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));

        Assert.Equal([.. before, $"{AuditStreams.Contract(contract.Id)}:{AuditEventTypes.StatusChanged}"], afterReview);
        Assert.Equal(afterReview, await EventsAsync(scenario));
        await using var check = scenario.Database();
        var current = await check.Contracts.Include(c => c.Documents).SingleAsync(c => c.Id == contract.Id);
        Assert.Equal(("Motor insurance", 1), (current.Title, current.Documents.Count));
        Assert.Equal(LiveSessionStatus.Active, (await check.LiveSessions.SingleAsync()).Status);
        Assert.DoesNotContain(await check.Contracts.Select(c => c.Title).ToListAsync(), t => t == RefusedTitle);
        Assert.True((await AuditTrail.VerifyAsync(check, AuditStreams.Contract(contract.Id))).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Changes_racing_on_one_contract_are_all_recorded_without_a_gap(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var advisor = Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id)).Participant;

        var presence = Enumerable.Range(0, 12).Select(i => scenario.Presence.RecordAsync(started.Session.Id, advisor, joined: i % 2 == 0, $"192.0.2.{i}", DateTimeOffset.UtcNow));
        var uploads = Enumerable.Range(0, 3).Select(async _ =>
        {
            using var content = new MemoryStream(FixturePdfs.Read(LiveSessionScenario.ThreePages));
            Accepted(await scenario.Documents.UploadAsync(scenario.Advisor, contract.Id, "racing.pdf", content));
        });
        await Task.WhenAll(presence.Concat(uploads));

        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contract.Id);
        var types = await db.AuditEvents.Where(e => e.Stream == stream).Select(e => e.Type).ToListAsync();
        Assert.Equal(6, types.Count(t => t == AuditEventTypes.ParticipantJoined));
        Assert.Equal(6, types.Count(t => t == AuditEventTypes.ParticipantLeft));
        Assert.Equal(4, types.Count(t => t == AuditEventTypes.DocumentUploaded));
        var check = await AuditTrail.VerifyAsync(db, stream);
        Assert.True(check.IsOk, check.Problem);
        Assert.Equal(types.Count, check.Events);
    }

    /// <summary>Database triggers that refuse one title, one file name and ending a session, as a failing database would, after the services decided.</summary>
    internal static async Task RefuseInTheDatabaseAsync(LiveContractDbContext db, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION "test_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
                CREATE TRIGGER "test_refuse_contract" BEFORE INSERT OR UPDATE ON "Contracts" FOR EACH ROW WHEN (NEW."Title" = 'Refused by the database') EXECUTE FUNCTION "test_refuse"();
                CREATE TRIGGER "test_refuse_document" BEFORE INSERT ON "Documents" FOR EACH ROW WHEN (NEW."FileName" = 'refused.pdf') EXECUTE FUNCTION "test_refuse"();
                CREATE TRIGGER "test_refuse_end" BEFORE UPDATE ON "LiveSessions" FOR EACH ROW WHEN (NEW."Status" = 'Ended') EXECUTE FUNCTION "test_refuse"();
                """);
            return;
        }

        await db.Database.ExecuteSqlRawAsync("""
            CREATE TRIGGER "test_refuse_contract_insert" BEFORE INSERT ON "Contracts" WHEN NEW."Title" = 'Refused by the database'
            BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
            CREATE TRIGGER "test_refuse_contract_update" BEFORE UPDATE ON "Contracts" WHEN NEW."Title" = 'Refused by the database'
            BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
            CREATE TRIGGER "test_refuse_document" BEFORE INSERT ON "Documents" WHEN NEW."FileName" = 'refused.pdf'
            BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
            CREATE TRIGGER "test_refuse_end" BEFORE UPDATE ON "LiveSessions" WHEN NEW."Status" = 'Ended'
            BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;
            """);
    }

    private static async Task<List<string>> EventsAsync(LiveSessionScenario scenario)
    {
        await using var db = scenario.Database();
        return (await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Stream, e.Type }).ToListAsync())
            .Select(e => $"{e.Stream}:{e.Type}")
            .ToList();
    }

    private static async Task<DocumentSummary> UploadAsync(LiveSessionScenario scenario, Actor actor, Guid contractId, string fixture)
    {
        using var content = new MemoryStream(FixturePdfs.Read(fixture));
        return Accepted(await scenario.Documents.UploadAsync(actor, contractId, fixture, content));
    }

    private static T Accepted<T>(Outcome<T> outcome) => LiveSessionScenario.Accepted(outcome);
}
