namespace LiveContract.Core.LiveSessions;

/// <summary>
/// What the health check and the administration's system page say of the live-session backend:
/// which one, whether it is connected, and the load of every server that shares it.
/// </summary>
public interface ILiveSessionCluster
{
    Task<LiveSessionClusterReport> GetReportAsync(CancellationToken cancellationToken = default);
}

/// <summary>Whether the backend works as configured.</summary>
public enum LiveSessionBackendState
{
    /// <summary>Everything works (the in-memory backend always does).</summary>
    Connected,

    /// <summary>Sessions go on on each server, but servers do not hear of each other (Redis unreachable).</summary>
    Degraded,
}

/// <summary>
/// The backend (<see cref="Backend"/>, a name for people), its <see cref="State"/> with a sentence
/// (<see cref="Detail"/>, never a connection string or password) and each server's load, this one first.
/// </summary>
public sealed record LiveSessionClusterReport(
    string Backend,
    LiveSessionBackendState State,
    string Detail,
    IReadOnlyList<LiveSessionInstanceLoad> Instances);

/// <summary>One server's live sessions and connections, as it last reported them at <see cref="ReportedAt"/>.</summary>
public sealed record LiveSessionInstanceLoad(
    string InstanceId,
    string Name,
    bool IsThisServer,
    int OpenSessions,
    int Connections,
    DateTimeOffset ReportedAt);

/// <summary>The in-memory backend's report: this server alone, always connected.</summary>
public sealed class InMemoryLiveSessionCluster(ILiveSessionCoordinator coordinator, TimeProvider time) : ILiveSessionCluster
{
    public async Task<LiveSessionClusterReport> GetReportAsync(CancellationToken cancellationToken = default)
    {
        var load = await coordinator.GetServerLoadAsync(cancellationToken);
        var name = Environment.MachineName;
        return new LiveSessionClusterReport(
            load.Backend,
            LiveSessionBackendState.Connected,
            "Sessions live on this server only.",
            [new LiveSessionInstanceLoad(name, name, IsThisServer: true, load.OpenSessions, load.Connections, time.GetUtcNow())]);
    }
}

/// <summary>The Redis backend's report: every server sharing the sessions, or this one alone (Degraded) while Redis is unreachable.</summary>
public sealed class RedisLiveSessionCluster(RedisLiveSessionCoordinator coordinator) : ILiveSessionCluster
{
    public Task<LiveSessionClusterReport> GetReportAsync(CancellationToken cancellationToken = default) => coordinator.GetClusterReportAsync(cancellationToken);
}
