using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>The administration's lists of live sessions, over the real services, coordinator and database.</summary>
public sealed class LiveSessionAdministrationTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Active_and_ended_sessions_are_paged_newest_first_with_their_people(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var started = new List<(ContractDetails Contract, StartedLiveSession Session)>();
        for (var i = 0; i < 5; i++)
        {
            var contract = await scenario.CreateContractWithDocumentAsync();
            started.Add((contract, await scenario.StartAsync(contract.Id)));
        }

        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started[0].Session.Session.Id));
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Admin, started[1].Session.Session.Id));
        var administration = Administration(scenario);

        var first = await administration.ListActiveAsync(new SessionListQuery(1, 2));
        var second = await administration.ListActiveAsync(new SessionListQuery(2, 2));
        var beyond = await administration.ListActiveAsync(new SessionListQuery(9, 2));
        var byContract = await administration.ListActiveAsync(new SessionListQuery(Sort: SessionSort.Contract, Descending: false));
        var ended = await administration.ListEndedAsync(new SessionListQuery(Sort: SessionSort.EndedAt));

        Assert.Equal((3, 1, 2), (first.Total, first.Page, first.PageSize));
        Assert.Equal([started[4].Session.Session.Id, started[3].Session.Session.Id], first.Items.Select(r => r.SessionId));
        Assert.Equal([started[2].Session.Session.Id], second.Items.Select(r => r.SessionId));
        Assert.Empty(beyond.Items);
        Assert.Equal(3, beyond.Total);
        Assert.Equal(started.Skip(2).Select(s => s.Contract.Reference).Order(StringComparer.Ordinal), byContract.Items.Select(r => r.ContractReference));
        var newest = first.Items[0];
        Assert.Equal(
            (started[4].Contract.Id, started[4].Contract.Reference, "Motor insurance", "Victor Advisor", "Chloé Dupont", started[4].Session.Session.StartedAt),
            (newest.ContractId, newest.ContractReference, newest.ContractTitle, newest.AdvisorName, newest.CustomerName, newest.StartedAt));

        Assert.Equal(2, ended.Total);
        Assert.Equal([(started[1].Session.Session.Id, "Ada Admin"), (started[0].Session.Session.Id, "Victor Advisor")], ended.Items.Select(r => (r.SessionId, r.EndedBy)));
        Assert.All(ended.Items, r => Assert.True(r.EndedAt >= r.StartedAt));
        Assert.Equal(started[1].Contract.Reference, ended.Items[0].ContractReference);
    }

    [Fact]
    public async Task Page_sizes_are_kept_within_bounds()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        await scenario.StartAsync(contract.Id);
        var administration = Administration(scenario);

        var tiny = await administration.ListActiveAsync(new SessionListQuery(0, 0));
        var huge = await administration.ListEndedAsync(new SessionListQuery(-3, 100_000));

        Assert.Equal((1, 1, 1), (tiny.Page, tiny.PageSize, tiny.Items.Count));
        Assert.Equal((1, SessionListQuery.MaxPageSize, 0), (huge.Page, huge.PageSize, huge.Total));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Who_is_connected_and_the_last_activity_come_from_this_servers_coordinator(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var joinedContract = await scenario.CreateContractWithDocumentAsync();
        var joined = await scenario.StartAsync(joinedContract.Id);
        var idle = await scenario.StartAsync((await scenario.CreateContractWithDocumentAsync()).Id);
        var sessionId = joined.Session.Id;

        await using var advisor = await JoinAsync(scenario, scenario.AdvisorCaller, sessionId, "advisor");
        await using var customer = await JoinAsync(scenario, await CustomerCallerAsync(scenario, joined), sessionId, "customer");
        var rows = (await Administration(scenario).ListActiveAsync(new SessionListQuery())).Items;

        var live = rows.Single(r => r.SessionId == sessionId);
        Assert.Equal([(ParticipantRole.Advisor, "Victor Advisor"), (ParticipantRole.Customer, "Chloé Dupont")], live.Participants.Select(p => (p.Role, p.DisplayName)));
        Assert.Equal((await scenario.Coordinator.GetSnapshotAsync(sessionId))!.LastActivityAt, live.LastActivityAt);
        var notHere = rows.Single(r => r.SessionId == idle.Session.Id);
        Assert.Empty(notHere.Participants);
        Assert.Null(notHere.LastActivityAt);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_admin_ends_a_session_for_everyone_and_it_is_recorded_as_theirs(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var sessionId = started.Session.Id;
        await using var customer = await JoinAsync(scenario, await CustomerCallerAsync(scenario, started), sessionId, "customer");

        var ended = await scenario.Sessions.EndAsync(scenario.Admin, sessionId);
        var again = await scenario.Sessions.EndAsync(scenario.Admin, sessionId);
        var unknown = await scenario.Sessions.EndAsync(scenario.Admin, Guid.NewGuid());

        Assert.Equal(LiveSessionStatus.Ended, LiveSessionScenario.Accepted(ended).Status);
        Assert.Equal(LiveSessionStatus.Ended, LiveSessionScenario.Accepted(again).Status);
        Assert.Equal(LiveSessionErrors.UnknownSession, unknown.Error);
        Assert.Equal(SubscriptionEnd.SessionEnded, await customer.Join.Subscription.Completion.WaitAsync(LiveSessionScenario.Patience));
        Assert.IsType<SessionEnded>(await customer.LastEvent.Task.WaitAsync(LiveSessionScenario.Patience));
        await using (var db = scenario.Database())
        {
            var stream = AuditStreams.Contract(contract.Id);
            var audited = await db.AuditEvents.Where(e => e.Stream == stream && e.Type == AuditEventTypes.SessionEnded).ToListAsync();
            Assert.Equal((scenario.Admin.UserId, AuditActor.AdminRole), (Assert.Single(audited).ActorId, audited[0].ActorRole));
        }

        var administration = Administration(scenario);
        Assert.Empty((await administration.ListActiveAsync(new SessionListQuery())).Items);
        var row = Assert.Single((await administration.ListEndedAsync(new SessionListQuery(Sort: SessionSort.EndedAt))).Items);
        Assert.Equal((sessionId, "Ada Admin"), (row.SessionId, row.EndedBy));
    }

    private static LiveSessionAdministration Administration(LiveSessionScenario scenario) =>
        scenario.App.Services.GetRequiredService<LiveSessionAdministration>();

    private static async Task<SessionCaller.Customer> CustomerCallerAsync(LiveSessionScenario scenario, StartedLiveSession started)
    {
        var check = await scenario.Sessions.RedeemLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink), "203.0.113.7");
        return new SessionCaller.Customer(check.Grant!.LinkId);
    }

    /// <summary>Opens the session for <paramref name="caller"/> and joins it on this server's coordinator, as the live view does.</summary>
    private static async Task<Connection> JoinAsync(LiveSessionScenario scenario, SessionCaller caller, Guid sessionId, string connectionId)
    {
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(caller, sessionId));
        var connection = new Connection();
        connection.Join = LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(sessionId, access.Participant, connectionId, connection.OnEventAsync));
        return connection;
    }

    private sealed class Connection : IAsyncDisposable
    {
        public LiveSessionJoin Join { get; set; } = default!;

        /// <summary>Completes with the session's last event (<see cref="SessionEnded"/>).</summary>
        public TaskCompletionSource<LiveSessionEvent> LastEvent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnEventAsync(LiveSessionEvent @event)
        {
            if (@event is SessionEnded)
            {
                LastEvent.TrySetResult(@event);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => Join.Subscription.DisposeAsync();
    }
}
