using System.Collections.Concurrent;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Keeps saved session states in the process: what tests use, and the default until the database
/// keeps them. A state older than the one held (lower version) is ignored.
/// </summary>
public sealed class InMemoryLiveSessionStateStore : ILiveSessionStateStore
{
    private readonly ConcurrentDictionary<Guid, LiveSessionState> states = new();

    public Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(states.TryGetValue(sessionId, out var state) ? state : null);

    public Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default)
    {
        states.AddOrUpdate(state.SessionId, state, (_, held) => state.Version >= held.Version ? state : held);
        return Task.CompletedTask;
    }
}
