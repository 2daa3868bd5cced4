using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Administration;

/// <summary>An admin gives one open contract to another advisor.</summary>
public sealed class ContractReassignmentTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_admin_gives_a_contract_in_review_to_another_advisor_and_its_session_ends(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var live = scenario.Live;
        var session = await scenario.StartInReviewAsync();
        var versionBefore = session.Contract.Version;

        var moved = LiveSessionScenario.Accepted(await Reassignment(live).ReassignAsync(live.Admin, session.ContractId, live.OtherAdvisor.UserId));

        Assert.Equal((live.OtherAdvisor.UserId, "Olga Other"), (moved.AdvisorId, moved.AdvisorName));
        Assert.Equal(versionBefore + 1, moved.Version);
        Assert.Equal(ContractStatus.Review, moved.Status);
        await using (var db = live.Database())
        {
            var ended = await db.LiveSessions.SingleAsync(s => s.Id == session.SessionId);
            Assert.Equal((LiveSessionStatus.Ended, live.Admin.UserId), (ended.Status, ended.EndedById));
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Stream == AuditStreams.Contract(session.ContractId) && e.Type == AuditEventTypes.ContractReassigned);
            Assert.Equal(
                $$"""{"fromAdvisorId":"{{live.Advisor.UserId}}","fromAdvisorName":"Victor Advisor","toAdvisorId":"{{live.OtherAdvisor.UserId}}","toAdvisorName":"Olga Other"}""",
                audit.Data);
            Assert.Equal((live.Admin.UserId, AuditActor.AdminRole), (audit.ActorId, audit.ActorRole));
            Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.Contract(session.ContractId))).IsOk);
        }

        // The new advisor works on it: starts a session of their own; the old one no longer sees it.
        LiveSessionScenario.Accepted(await live.Sessions.StartAsync(live.OtherAdvisor, session.ContractId));
        Assert.Equal(ErrorKind.NotFound, (await live.Contracts.GetAsync(live.Advisor, session.ContractId)).Error!.Kind);

        // The same advisor again is a harmless repeat.
        var again = LiveSessionScenario.Accepted(await Reassignment(live).ReassignAsync(live.Admin, session.ContractId, live.OtherAdvisor.UserId));
        Assert.Equal(moved.Version, again.Version);
        await using (var db = live.Database())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.Contract(session.ContractId) && e.Type == AuditEventTypes.ContractReassigned));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Refusals_say_why(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var live = scenario.Live;
        var signed = await scenario.StartInReviewAsync(advisorMustSign: false);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(signed));
        var draft = await live.CreateContractAsync();
        var locked = await live.App.CreateUserAsync("Lena Locked", "lena@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        Assert.True((await live.App.Services.GetRequiredService<UserAdministration>().LockAsync(live.Admin, locked.Id)).Succeeded);
        var reassignment = Reassignment(live);

        // An advisor is refused before anything is looked up, for their own contract as for others'.
        Assert.Equal(ContractReassignment.AdminsOnly, (await reassignment.ReassignAsync(live.Advisor, draft.Id, live.OtherAdvisor.UserId)).Error);
        Assert.Equal(ContractReassignment.AdminsOnly, (await reassignment.ReassignAsync(live.OtherAdvisor, draft.Id, live.OtherAdvisor.UserId)).Error);
        Assert.Equal(ErrorKind.Forbidden, ContractReassignment.AdminsOnly.Kind);

        var signedRefusal = await reassignment.ReassignAsync(live.Admin, signed.ContractId, live.OtherAdvisor.UserId);
        Assert.Equal("This contract is signed and final: it stays with the advisor who took it to signature.", signedRefusal.Error!.Message);
        Assert.Equal(ErrorKind.NotFound, (await reassignment.ReassignAsync(live.Admin, Guid.NewGuid(), live.OtherAdvisor.UserId)).Error!.Kind);
        Assert.Equal(ContractReassignment.NotAnAdvisor, (await reassignment.ReassignAsync(live.Admin, draft.Id, "no-such-id")).Error);
        Assert.Equal(ContractReassignment.NotAnAdvisor, (await reassignment.ReassignAsync(live.Admin, draft.Id, locked.Id)).Error);
        Assert.Equal(ContractReassignment.NotAnAdvisor, (await reassignment.ReassignAsync(live.Admin, draft.Id, live.Admin.UserId)).Error);
        Assert.Equal(ErrorKind.Invalid, (await reassignment.ReassignAsync(live.Admin, draft.Id, " ")).Error!.Kind);

        Assert.Equal(live.Advisor.UserId, (await scenario.ContractAsync(draft.Id)).AdvisorId);
        Assert.Equal(live.Advisor.UserId, (await scenario.ContractAsync(signed.ContractId)).AdvisorId);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_admins_reassigning_at_once_never_both_win_on_a_stale_read(DatabaseProvider provider)
    {
        await using var live = await LiveSessionScenario.CreateAsync(provider);
        var third = await live.App.CreateUserAsync("Theo Third", "theo@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        var draft = await live.CreateContractAsync();

        var outcomes = await Task.WhenAll(
            Task.Run(() => Reassignment(live).ReassignAsync(live.Admin, draft.Id, live.OtherAdvisor.UserId)),
            Task.Run(() => Reassignment(live).ReassignAsync(live.Admin, draft.Id, third.Id)));

        // Either one after the other (the contract's stream orders them), or the one that read a
        // version already gone is told to reload, as for any change of a contract.
        Assert.Contains(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal("The contract was changed by someone else at the same time. Reload it and try again.", o.Error!.Message));
        await using var db = live.Database();
        var moves = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == AuditStreams.Contract(draft.Id) && e.Type == AuditEventTypes.ContractReassigned)
            .OrderBy(e => e.Sequence)
            .Select(e => e.Data)
            .ToListAsync();
        Assert.Equal(outcomes.Count(o => o.Succeeded), moves.Count);
        var owner = (await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == draft.Id)).AdvisorId;
        Assert.Contains($"\"toAdvisorId\":\"{owner}\"", moves[^1]);
        Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.Contract(draft.Id))).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_admin_api_lists_filters_by_advisor_and_reassigns(DatabaseProvider provider)
    {
        await using var live = await LiveSessionScenario.CreateAsync(provider);
        var mine = await live.CreateContractAsync();
        await live.CreateContractAsync(live.OtherAdvisor, "hugo@example.com");
        using var api = await ApiClient.ForAsync(live.App, live.Admin.UserId);

        var all = await (await api.GetAsync("api/admin/contracts")).ReadAsync<PagedResult<ContractSummary>>();
        var victors = await (await api.GetAsync($"api/admin/contracts?advisorId={live.Advisor.UserId}")).ReadAsync<PagedResult<ContractSummary>>();
        Assert.Equal(2, all.Total);
        Assert.Equal([mine.Id], victors.Items.Select(c => c.Id));

        using var moved = await api.PostAsJsonAsync($"api/admin/contracts/{mine.Id}/reassign", new { advisorId = live.OtherAdvisor.UserId });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("Olga Other", (await moved.ReadAsync<ContractDetails>()).AdvisorName);

        using var invalid = await api.PostAsJsonAsync($"api/admin/contracts/{mine.Id}/reassign", new { advisorId = "no-such-id" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(ContractReassignment.NotAnAdvisor.Message, await invalid.ProblemDetailAsync());
        using var unknown = await api.PostAsJsonAsync($"api/admin/contracts/{Guid.NewGuid()}/reassign", new { advisorId = live.OtherAdvisor.UserId });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static ContractReassignment Reassignment(LiveSessionScenario live) => live.App.Services.GetRequiredService<ContractReassignment>();
}
