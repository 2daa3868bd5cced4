using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Keeps a live session's position in its <see cref="LiveSession"/> row (last document, page and
/// version), so a session resumes where it was after a restart. Whether the session has ended is
/// the row's status, which only <see cref="LiveSessionService"/> changes.
/// </summary>
public sealed class EfLiveSessionStateStore(IDbContextFactory<LiveContractDbContext> databases) : ILiveSessionStateStore
{
    public async Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.LiveSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.ContractId, s.LastDocumentId, s.LastPage, s.Status, s.StateVersion })
            .SingleOrDefaultAsync(cancellationToken);
        return row?.LastDocumentId is { } documentId
            ? new LiveSessionState(sessionId, row.ContractId, documentId, row.LastPage, row.Status == LiveSessionStatus.Ended, row.StateVersion)
            : null;
    }

    /// <summary>Saves the position; a state older than the one saved (lower version) changes nothing.</summary>
    public async Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.LiveSessions
            .Where(s => s.Id == state.SessionId && s.StateVersion <= state.Version)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.LastDocumentId, state.DocumentId)
                    .SetProperty(s => s.LastPage, state.Page)
                    .SetProperty(s => s.StateVersion, state.Version),
                cancellationToken);
    }
}
