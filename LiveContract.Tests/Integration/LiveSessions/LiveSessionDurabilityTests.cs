using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

public sealed class LiveSessionDurabilityTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_database_store_keeps_the_position_and_knows_when_a_session_ended(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages, LiveSessionScenario.FivePages]);
        var started = await scenario.StartAsync(contract.Id);
        var store = scenario.App.Services.GetRequiredService<ILiveSessionStateStore>();
        var annex = contract.Documents[1].Id;

        Assert.IsType<EfLiveSessionStateStore>(store);
        Assert.Null(await store.LoadAsync(started.Session.Id));
        Assert.Null(await store.LoadAsync(Guid.NewGuid()));
        await store.SaveAsync(new LiveSessionState(started.Session.Id, contract.Id, annex, 4, Ended: false, 7));
        Assert.Equal(new LiveSessionState(started.Session.Id, contract.Id, annex, 4, false, 7), await store.LoadAsync(started.Session.Id));
        await store.SaveAsync(new LiveSessionState(started.Session.Id, contract.Id, contract.Documents[0].Id, 2, Ended: false, 6));
        Assert.Equal(new LiveSessionState(started.Session.Id, contract.Id, annex, 4, false, 7), await store.LoadAsync(started.Session.Id));

        // Saving the final state does not end the row: only the service does.
        await store.SaveAsync(new LiveSessionState(started.Session.Id, contract.Id, annex, 5, Ended: true, 8));
        Assert.Equal(new LiveSessionState(started.Session.Id, contract.Id, annex, 5, false, 8), await store.LoadAsync(started.Session.Id));
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));
        Assert.True((await store.LoadAsync(started.Session.Id))!.Ended);
        await using var db = scenario.Database();
        Assert.Equal(LiveSessionStatus.Ended, (await db.LiveSessions.SingleAsync()).Status);

        // A session ended before any position was saved is still known as ended: it cannot open again.
        var unsaved = await scenario.StartAsync(contract.Id);
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, unsaved.Session.Id));
        Assert.True((await store.LoadAsync(unsaved.Session.Id))!.Ended);
        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Coordinator.OpenAsync(
            unsaved.Session.Id,
            new LiveSessionSetup(contract.Id, [new SessionDocument(annex, "annex.pdf", 5)], annex, 1, Core.Contracts.ContractStatus.Draft))).Error);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Saves_arriving_together_are_written_together_and_the_newest_of_each_session_wins(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var store = scenario.App.Services.GetRequiredService<ILiveSessionStateStore>();
        var sessions = new List<(Guid SessionId, Guid ContractId, Guid DocumentId)>();
        for (var i = 0; i < 3; i++)
        {
            var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.FivePages]);
            sessions.Add(((await scenario.StartAsync(contract.Id)).Session.Id, contract.Id, contract.Documents[0].Id));
        }

        // Forty saves per session, in shuffled order and all at once: each session keeps its highest version.
        var saves = sessions
            .SelectMany(s => Enumerable.Range(1, 40).Select(v => new LiveSessionState(s.SessionId, s.ContractId, s.DocumentId, (v % 5) + 1, false, v)))
            .OrderBy(_ => Random.Shared.Next())
            .Select(state => store.SaveAsync(state))
            .ToList();
        await Task.WhenAll(saves);

        foreach (var (sessionId, contractId, documentId) in sessions)
        {
            Assert.Equal(new LiveSessionState(sessionId, contractId, documentId, 1, false, 40), await store.LoadAsync(sessionId));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task After_a_restart_a_session_resumes_at_its_last_document_and_page(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages, LiveSessionScenario.FivePages]);
        var started = await scenario.StartAsync(contract.Id);
        var annex = contract.Documents[1].Id;
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));
        var joined = LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(started.Session.Id, access.Participant, "advisor-tab", _ => ValueTask.CompletedTask));
        var version = LiveSessionScenario.Accepted(await scenario.Coordinator.ChangePageAsync(started.Session.Id, "advisor-tab", annex, 4));

        // The position reaches the database within the save interval (one second), without any stop or end.
        var store = scenario.App.Services.GetRequiredService<ILiveSessionStateStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await store.LoadAsync(started.Session.Id))?.Page != 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "The position was not saved within the save interval.");
            await Task.Delay(50);
        }

        await scenario.RestartAsync();

        Assert.Null(await scenario.Coordinator.GetSnapshotAsync(started.Session.Id));
        var customer = (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Grant!;
        var resumed = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(customer.LinkId), started.Session.Id));
        var snapshot = (await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!;
        Assert.Equal((annex, 4, version), (snapshot.DocumentId, snapshot.Page, snapshot.Version));
        Assert.Equal(ParticipantRole.Customer, resumed.Participant.Role);
        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await joined.Subscription.Completion);
    }

    [Fact]
    public async Task A_session_ended_before_a_restart_stays_ended()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var started = await scenario.StartAsync((await scenario.CreateContractWithDocumentAsync()).Id);
        LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));

        await scenario.RestartAsync();

        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id)).Error);
        Assert.Null(await scenario.Coordinator.GetSnapshotAsync(started.Session.Id));
        Assert.Equal(LinkProblem.SessionEnded, (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Problem);
    }
}
