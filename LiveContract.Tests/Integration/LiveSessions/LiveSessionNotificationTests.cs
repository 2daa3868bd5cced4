using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit.LiveSessions;

namespace LiveContract.Tests.Integration.LiveSessions;

public sealed class LiveSessionNotificationTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_status_change_reaches_everyone_in_the_session(Core.Data.DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var customer = await JoinAsCustomerAsync(scenario, started);

        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Title: "Motor insurance")));
        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Draft)));

        await customer.WaitUntilAsync(e => e.OfType<StatusUpdate>().Count() == 2);
        var updates = customer.Events.OfType<StatusUpdate>().ToList();
        Assert.Equal([ContractStatus.Review, ContractStatus.Draft], updates.Select(u => u.Status));
        Assert.All(updates, u => Assert.Equal(new LiveSessionActor(scenario.Advisor.UserId, ParticipantRole.Advisor), u.Actor));
        Assert.Equal(ContractStatus.Draft, (await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!.Status);
    }

    [Fact]
    public async Task Adding_and_removing_documents_updates_the_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var customer = await JoinAsCustomerAsync(scenario, started);
        var first = contract.Documents[0].Id;

        using (var content = new MemoryStream(FixturePdfs.Read(LiveSessionScenario.FivePages)))
        {
            LiveSessionScenario.Accepted(await scenario.Documents.UploadAsync(scenario.Advisor, contract.Id, "annex.pdf", content));
        }

        await customer.WaitForAsync<DocumentsChanged>();
        var added = customer.Events.OfType<DocumentsChanged>().Single();
        Assert.Equal([(LiveSessionScenario.ThreePages, 3), ("annex.pdf", 5)], added.Documents.Select(d => (d.FileName, d.PageCount)));
        Assert.Equal((first, 1), (added.DocumentId, added.Page));
        Assert.Equal("documents", added.Name);

        LiveSessionScenario.Accepted(await scenario.Documents.RemoveAsync(scenario.Advisor, first));

        await customer.WaitUntilAsync(e => e.OfType<DocumentsChanged>().Count() == 2);
        var removed = customer.Events.OfType<DocumentsChanged>().Last();
        Assert.Equal(["annex.pdf"], removed.Documents.Select(d => d.FileName));
        Assert.Equal((added.Documents[1].DocumentId, 1), (removed.DocumentId, removed.Page));
        Assert.Equal(removed.Documents, (await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!.Documents);
    }

    [Fact]
    public async Task Changes_to_a_contract_whose_session_is_not_open_here_are_harmless()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        await scenario.StartAsync(contract.Id);

        using var content = new MemoryStream(FixturePdfs.Read(LiveSessionScenario.FivePages));
        LiveSessionScenario.Accepted(await scenario.Documents.UploadAsync(scenario.Advisor, contract.Id, "annex.pdf", content));
        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
    }

    private static async Task<EventRecorder> JoinAsCustomerAsync(LiveSessionScenario scenario, StartedLiveSession started)
    {
        var grant = (await scenario.Sessions.RedeemLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink), null)).Grant!;
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(grant.LinkId), started.Session.Id));
        var events = new EventRecorder();
        LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(started.Session.Id, access.Participant, "customer-tab", events.OnEventAsync));
        return events;
    }
}
