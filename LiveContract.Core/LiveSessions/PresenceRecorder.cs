using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Records participants joining and leaving a live session on the contract's audit trail
/// (<c>session.participant_joined</c> / <c>_left</c>, with the address), once per stay rather than
/// once per connection: hub connections and Blazor circuits report each connection joining
/// (<see cref="ConnectedAsync"/>) and leaving (<see cref="Disconnected"/>); "joined" is written
/// when the participant was not there, "left" only when their last connection has been gone for
/// <see cref="LiveSessionOptions.PresenceGracePeriod"/> (with the time that connection closed).
/// A reload, a dropped network, a second tab or a loop of connections within the grace period
/// therefore writes nothing more, however many connections come and go.
/// <para>
/// Pending leaves are written early when the session ends (<see cref="FlushAsync"/>, before
/// <c>session.ended</c>) and when the server stops (<see cref="StopAsync"/>: everyone still
/// counted here is recorded as having left, since their connections close with the server). If
/// the process dies without stopping, the trail keeps a "joined" with no "left", and the next
/// connection records a new "joined": nothing is lost but the time of leaving. The count is this
/// server's: with several servers, each records its own joins and leaves of a participant.
/// </para>
/// </summary>
public sealed class PresenceRecorder(
    IDbContextFactory<LiveContractDbContext> databases,
    IOptions<LiveSessionOptions> options,
    TimeProvider time,
    ILogger<PresenceRecorder> logger) : IHostedService
{
    private readonly Lock gate = new();
    private readonly Dictionary<(Guid SessionId, string ParticipantId), Stay> stays = [];
    private bool stopped;

    /// <summary>
    /// A connection of <paramref name="participant"/> joined the session: writes "joined" (and
    /// completes when it is written) unless the participant is here already or left less than the
    /// grace period ago, which writes nothing.
    /// </summary>
    public Task ConnectedAsync(Guid sessionId, LiveParticipant participant, string? ipAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        lock (gate)
        {
            if (stopped)
            {
                return Task.CompletedTask;
            }

            var key = (sessionId, participant.ParticipantId);
            if (!stays.TryGetValue(key, out var stay))
            {
                stay = new Stay(participant);
                stays.Add(key, stay);
            }

            stay.Connections++;
            if (stay.PendingLeave is { } pending)
            {
                pending.Dispose();
                stay.PendingLeave = null;
                return Task.CompletedTask;
            }

            if (stay.Present)
            {
                return Task.CompletedTask;
            }

            stay.Present = true;
            return stay.Then(() => RecordAsync(sessionId, participant, joined: true, ipAddress, time.GetUtcNow(), cancellationToken));
        }
    }

    /// <summary>A connection of <paramref name="participant"/> left the session: after their last one, "left" is written once the grace period has passed without a return.</summary>
    public void Disconnected(Guid sessionId, LiveParticipant participant, string? ipAddress)
    {
        ArgumentNullException.ThrowIfNull(participant);
        lock (gate)
        {
            var key = (sessionId, participant.ParticipantId);
            if (stopped || !stays.TryGetValue(key, out var stay) || stay.Connections == 0 || --stay.Connections > 0)
            {
                return;
            }

            stay.LeftAt = time.GetUtcNow();
            stay.LeftFrom = ipAddress;
            stay.PendingLeave = time.CreateTimer(_ => _ = LeaveAsync(key), null, options.Value.PresenceGracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Whether <paramref name="participantId"/> is in the session as this server counts it: connected,
    /// or gone for less than the grace period ("left" not written yet), as after a reload.
    /// </summary>
    public bool IsPresent(Guid sessionId, string participantId)
    {
        lock (gate)
        {
            return !stopped && stays.TryGetValue((sessionId, participantId), out var stay) && stay.Present;
        }
    }

    /// <summary>Writes the leaves still waiting for their grace period in <paramref name="sessionId"/> now (the session ends or completes).</summary>
    public Task FlushAsync(Guid sessionId)
    {
        List<(Guid SessionId, string ParticipantId)> pending;
        lock (gate)
        {
            pending = stays.Where(s => s.Key.SessionId == sessionId && s.Value.PendingLeave is not null).Select(s => s.Key).ToList();
        }

        return Task.WhenAll(pending.Select(LeaveAsync));
    }

    /// <summary>
    /// Writes "joined" or "left" for <paramref name="participant"/> at <paramref name="at"/> as one
    /// event on the session's contract stream (nothing when the session does not exist). Never
    /// throws: a failure is logged, since it runs while connections open and close.
    /// </summary>
    public async Task RecordAsync(Guid sessionId, LiveParticipant participant, bool joined, string? ipAddress, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        try
        {
            await AuditWrites.RunOrThrowAsync(
                databases,
                async db =>
                {
                    var contractId = await db.LiveSessions.Where(s => s.Id == sessionId).Select(s => (Guid?)s.ContractId).SingleOrDefaultAsync(cancellationToken);
                    if (contractId is null)
                    {
                        return false;
                    }

                    var ip = ClientLimits.Clip(ipAddress, ClientLimits.MaxIpAddressLength);
                    var who = participant.Role == ParticipantRole.Customer && Guid.TryParse(participant.ParticipantId, out var customerId)
                        ? AuditActor.ForCustomer(customerId, ip)
                        : new AuditActor(participant.ParticipantId, AuditActor.AdvisorRole, ip);
                    await AuditTrail.AppendAsync(
                        db,
                        AuditStreams.Contract(contractId.Value),
                        joined ? AuditEventTypes.ParticipantJoined : AuditEventTypes.ParticipantLeft,
                        who,
                        new { sessionId },
                        at,
                        cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    return true;
                },
                cancellationToken);
        }
        catch (Exception e)
        {
            // Runs while connections close: losing one line of the record must not break that.
            logger.LogWarning(e, "Could not record that {ParticipantId} {Movement} live session {SessionId}", participant.ParticipantId, joined ? "joined" : "left", sessionId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The server stops, and its connections with it: records every participant still counted
    /// here as having left (at the time their last connection closed, or now), and records nothing
    /// more. Runs before the coordinator stops, while the database is still there.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Func<Task>> leaves = [];
        lock (gate)
        {
            stopped = true;
            var now = time.GetUtcNow();
            foreach (var ((sessionId, _), stay) in stays)
            {
                stay.PendingLeave?.Dispose();
                if (stay.Present)
                {
                    var (at, from) = stay.PendingLeave is null ? (now, null) : (stay.LeftAt, stay.LeftFrom);
                    stay.PendingLeave = null;
                    stay.Present = false;
                    leaves.Add(() => stay.Then(() => RecordAsync(sessionId, stay.Participant, joined: false, from, at, cancellationToken)));
                }
            }

            stays.Clear();
        }

        // One at a time: they share the contract's stream, and racing would only retry.
        foreach (var leave in leaves)
        {
            await leave();
        }
    }

    /// <summary>Writes the leave waiting for <paramref name="key"/>, unless the participant came back (or it was written already); forgets the stay once written.</summary>
    private async Task LeaveAsync((Guid SessionId, string ParticipantId) key)
    {
        Stay? stay;
        Task written;
        lock (gate)
        {
            if (!stays.TryGetValue(key, out stay) || stay.PendingLeave is not { } pending || stay.Connections > 0)
            {
                return;
            }

            pending.Dispose();
            stay.PendingLeave = null;
            stay.Present = false;
            var (at, from) = (stay.LeftAt, stay.LeftFrom);
            written = stay.Then(() => RecordAsync(key.SessionId, stay.Participant, joined: false, from, at));
        }

        await written;
        lock (gate)
        {
            if (stay.Connections == 0 && !stay.Present && stays.TryGetValue(key, out var current) && current == stay)
            {
                stays.Remove(key);
            }
        }
    }

    /// <summary>One participant's stay in one session on this server. Guarded by the recorder's lock.</summary>
    private sealed class Stay(LiveParticipant participant)
    {
        private Task writes = Task.CompletedTask;

        public LiveParticipant Participant { get; } = participant;

        /// <summary>Their connections here now.</summary>
        public int Connections { get; set; }

        /// <summary>Whether "joined" is recorded and "left" is not yet.</summary>
        public bool Present { get; set; }

        /// <summary>The timer that writes "left" once the grace period has passed; null while connected.</summary>
        public ITimer? PendingLeave { get; set; }

        public DateTimeOffset LeftAt { get; set; }

        public string? LeftFrom { get; set; }

        /// <summary>Runs <paramref name="write"/> after this stay's earlier writes, so its "joined" and "left" are written in order.</summary>
        public Task Then(Func<Task> write)
        {
            writes = After(writes, write);
            return writes;
        }

        private static async Task After(Task previous, Func<Task> write)
        {
            await previous;
            await write();
        }
    }
}
