using LiveContract.Core.Audit;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using static LiveContract.Tests.Integration.LiveSessions.LiveSessionScenario;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>Joins and leaves on the audit trail are recorded once per stay, not once per connection, on the real app and database.</summary>
public sealed class PresenceAuditTests
{
    [Fact]
    public async Task Connections_coming_and_going_within_the_grace_period_record_one_join_and_one_leave()
    {
        await using var scenario = await CreateAsync(settings: new Dictionary<string, string?> { ["LiveSessions:PresenceGracePeriod"] = "00:00:00.750" });
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = TokenOf(started.CustomerLink);
        var grant = (await scenario.Sessions.RedeemLinkAsync(token, "203.0.113.7")).Grant!;
        var customer = Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(grant.LinkId), grant.SessionId)).Participant;

        // 20 loops of connect and disconnect at once, 400 connections in all, as a reconnecting or flooding client makes them.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(loop => Task.Run(async () =>
        {
            for (var n = 0; n < 20; n++)
            {
                await scenario.Presence.ConnectedAsync(grant.SessionId, customer, $"203.0.113.{loop}");
                scenario.Presence.Disconnected(grant.SessionId, customer, $"203.0.113.{loop}");
            }
        })));

        Assert.Equal((1, 0), await CountsAsync(scenario, contract.Id));
        await WaitForAsync(async () => (await CountsAsync(scenario, contract.Id)).Left == 1);

        // Back after the grace period: a new stay, one more join.
        await scenario.Presence.ConnectedAsync(grant.SessionId, customer, "203.0.113.99");
        await scenario.Presence.ConnectedAsync(grant.SessionId, customer, "203.0.113.99");
        Assert.Equal((2, 1), await CountsAsync(scenario, contract.Id));
        await using var db = scenario.Database();
        var left = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventTypes.ParticipantLeft);
        Assert.StartsWith("203.0.113.", left.IpAddress, StringComparison.Ordinal);
        Assert.Equal(customer.ParticipantId, left.ActorId);
        Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.Contract(contract.Id))).IsOk);
    }

    [Fact]
    public async Task Leaves_waiting_for_their_grace_period_are_written_when_the_server_stops_and_before_a_session_ends()
    {
        await using var scenario = await CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var grant = (await scenario.Sessions.RedeemLinkAsync(TokenOf(started.CustomerLink), "203.0.113.7")).Grant!;
        var customer = Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(grant.LinkId), grant.SessionId)).Participant;
        var advisor = Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, grant.SessionId)).Participant;
        await scenario.Presence.ConnectedAsync(grant.SessionId, customer, "203.0.113.7");
        scenario.Presence.Disconnected(grant.SessionId, customer, "203.0.113.8");
        await scenario.Presence.ConnectedAsync(grant.SessionId, advisor, "192.0.2.10");
        Assert.Equal((2, 0), await CountsAsync(scenario, contract.Id));

        // The default grace period is a minute; stopping the server does not wait for it.
        await scenario.RestartAsync();
        Assert.Equal((2, 2), await CountsAsync(scenario, contract.Id));

        await scenario.Presence.ConnectedAsync(grant.SessionId, customer, "203.0.113.7");
        scenario.Presence.Disconnected(grant.SessionId, customer, "203.0.113.9");
        Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, grant.SessionId));

        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contract.Id);
        var trail = await db.AuditEvents.Where(e => e.Stream == stream).OrderBy(e => e.Sequence).Select(e => new { e.Type, e.ActorId, e.IpAddress }).ToListAsync();
        var presence = trail.Where(e => e.Type is AuditEventTypes.ParticipantJoined or AuditEventTypes.ParticipantLeft).Select(e => (e.Type, e.ActorId, e.IpAddress)).ToList();
        Assert.Equal(
            new (string, string?, string?)[] { (AuditEventTypes.ParticipantJoined, customer.ParticipantId, "203.0.113.7"), (AuditEventTypes.ParticipantJoined, advisor.ParticipantId, "192.0.2.10") },
            presence[..2]);

        // At the stop: the customer as they left (their last address), the advisor still connected (no address: the server stopped).
        Assert.Equal(
            new (string, string?, string?)[] { (AuditEventTypes.ParticipantLeft, advisor.ParticipantId, null), (AuditEventTypes.ParticipantLeft, customer.ParticipantId, "203.0.113.8") },
            presence[2..4].OrderBy(e => e.IpAddress is not null));
        Assert.Equal(
            new (string, string?, string?)[] { (AuditEventTypes.ParticipantJoined, customer.ParticipantId, "203.0.113.7"), (AuditEventTypes.ParticipantLeft, customer.ParticipantId, "203.0.113.9") },
            presence[4..]);
        Assert.Equal(AuditEventTypes.SessionEnded, trail[^1].Type);
        Assert.True((await AuditTrail.VerifyAsync(db, stream)).IsOk);
    }

    private static async Task<(int Joined, int Left)> CountsAsync(LiveSessionScenario scenario, Guid contractId)
    {
        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contractId);
        var types = await db.AuditEvents.Where(e => e.Stream == stream).Select(e => e.Type).ToListAsync();
        return (types.Count(t => t == AuditEventTypes.ParticipantJoined), types.Count(t => t == AuditEventTypes.ParticipantLeft));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(50, patience.Token);
        }
    }
}
