using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.LiveSessions;

namespace LiveContract.Tests.Integration.LiveSessions;

public sealed class LiveSessionAccessTests
{
    [Fact]
    public async Task The_advisor_opens_their_session_with_its_documents_in_order()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.FivePages, LiveSessionScenario.ThreePages]);
        var started = await scenario.StartAsync(contract.Id);

        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));

        Assert.Equal(new LiveParticipant(scenario.Advisor.UserId, ParticipantRole.Advisor, "Victor Advisor"), access.Participant);
        Assert.Equal([(LiveSessionScenario.FivePages, 5), (LiveSessionScenario.ThreePages, 3)], access.Documents.Select(d => (d.FileName, d.PageCount)));
        Assert.Equal(started.Session.Id, access.Session.Id);
        var snapshot = (await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!;
        Assert.Equal((contract.Id, access.Documents[0].DocumentId, 1, ContractStatus.Draft), (snapshot.ContractId, snapshot.DocumentId, snapshot.Page, snapshot.Status));
    }

    [Fact]
    public async Task Nobody_else_takes_part_in_a_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var mine = await scenario.StartAsync((await scenario.CreateContractWithDocumentAsync()).Id);
        var theirs = await scenario.CreateContractAsync(scenario.OtherAdvisor, "bob@example.com", LiveSessionScenario.ThreePages);
        var other = LiveSessionScenario.Accepted(await scenario.Sessions.StartAsync(scenario.OtherAdvisor, theirs.Id));
        var myCustomer = (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(mine.CustomerLink))).Grant!;

        var customerElsewhere = await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(myCustomer.LinkId), other.Session.Id);
        var unknownLink = await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(Guid.NewGuid()), mine.Session.Id);
        var otherAdvisor = await scenario.Sessions.OpenForAsync(new SessionCaller.Staff(scenario.OtherAdvisor, "Olga Other"), mine.Session.Id);
        var admin = await scenario.Sessions.OpenForAsync(new SessionCaller.Staff(scenario.Admin, "Ada Admin"), mine.Session.Id);
        var unknownSession = await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, Guid.NewGuid());

        Assert.Equal(OperationError.NotFound("That live session"), customerElsewhere.Error);
        Assert.Equal(OperationError.NotFound("That live session"), unknownLink.Error);
        Assert.Equal(OperationError.NotFound("That live session"), otherAdvisor.Error);
        Assert.Equal(OperationError.NotFound("That live session"), unknownSession.Error);
        Assert.Equal(
            new OperationError(ErrorKind.Forbidden, "Administrators can watch sessions from the management page; only the contract's advisor takes part."),
            admin.Error);
        Assert.Null(await scenario.Coordinator.GetSnapshotAsync(other.Session.Id));
        Assert.True((await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(myCustomer.LinkId), mine.Session.Id)).Succeeded);
    }

    [Fact]
    public async Task A_customer_keeps_access_only_while_the_link_is_in_force()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var started = await scenario.StartAsync((await scenario.CreateContractWithDocumentAsync()).Id);
        var first = (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Grant!;

        var resent = LiveSessionScenario.Accepted(await scenario.Sessions.ResendLinkAsync(scenario.Advisor, started.Session.Id));
        var second = (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(resent.CustomerLink))).Grant!;

        Assert.Equal(ErrorKind.Forbidden, (await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(first.LinkId), started.Session.Id)).Error!.Kind);
        Assert.True((await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(second.LinkId), started.Session.Id)).Succeeded);

        // The re-check of a connection that joined gives the same answers without opening anything.
        Assert.Equal(ErrorKind.Forbidden, (await scenario.Sessions.AuthorizeAsync(new SessionCaller.Customer(first.LinkId), started.Session.Id))!.Kind);
        Assert.Null(await scenario.Sessions.AuthorizeAsync(new SessionCaller.Customer(second.LinkId), started.Session.Id));
        Assert.Null(await scenario.Sessions.AuthorizeAsync(scenario.AdvisorCaller, started.Session.Id));
        Assert.Equal(LiveSessionErrors.UnknownSession, await scenario.Sessions.AuthorizeAsync(new SessionCaller.Customer(second.LinkId), Guid.NewGuid()));
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));
        Assert.Equal(LiveSessionErrors.Ended, await scenario.Sessions.AuthorizeAsync(scenario.AdvisorCaller, started.Session.Id));
        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(second.LinkId), started.Session.Id)).Error);
        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(first.LinkId), started.Session.Id)).Error);
    }
}
