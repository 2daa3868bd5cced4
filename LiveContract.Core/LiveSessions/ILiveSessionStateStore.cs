namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Where a live session's position survives a restart. The coordinator saves at most once per
/// <see cref="LiveSessionOptions.SaveInterval"/> per session while the document or page changes,
/// and once more when the session ends; it loads when it opens a session it does not hold.
/// Saves of one session never overlap and come in increasing <see cref="LiveSessionState.Version"/>.
/// A failing save is logged and does not disturb the session.
/// </summary>
public interface ILiveSessionStateStore
{
    /// <summary>The last state saved for the session, or null when none was.</summary>
    Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the session's saved state.</summary>
    Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default);
}
