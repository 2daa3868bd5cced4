using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Keeps a live session's position in its <see cref="LiveSession"/> row (last document, page and
/// version), so a session resumes where it was after a restart. Whether the session has ended is
/// the row's status, which only <see cref="LiveSessionService"/> changes.
/// <para>
/// Saves are written by one writer at a time: every save that arrives while a write is under way
/// joins the next one, and each write is a single transaction for all the sessions it carries. A
/// thousand busy sessions thus cost a few transactions per second, not a thousand, and never more
/// than one thread waiting on the database.
/// </para>
/// </summary>
public sealed class EfLiveSessionStateStore(IDbContextFactory<LiveContractDbContext> databases) : ILiveSessionStateStore
{
    private readonly Lock gate = new();
    private Batch? next;
    private bool writing;

    public async Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.LiveSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.ContractId, s.LastDocumentId, s.LastPage, s.Status, s.StateVersion })
            .SingleOrDefaultAsync(cancellationToken);
        // An ended session is reported ended even before any position was saved, so it cannot be opened again.
        return row is null ? null
            : row.LastDocumentId is { } documentId ? new LiveSessionState(sessionId, row.ContractId, documentId, row.LastPage, row.Status == LiveSessionStatus.Ended, row.StateVersion)
            : row.Status == LiveSessionStatus.Ended ? new LiveSessionState(sessionId, row.ContractId, Guid.Empty, 1, Ended: true, row.StateVersion)
            : null;
    }

    /// <summary>
    /// Saves the position, together with the other saves waiting; completes once it is committed
    /// and fails when that write failed. A state older than the one saved (lower version) changes nothing.
    /// </summary>
    public Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        Batch batch;
        bool startWriter;
        lock (gate)
        {
            batch = next ??= new Batch();
            if (!batch.States.TryGetValue(state.SessionId, out var queued) || queued.Version <= state.Version)
            {
                batch.States[state.SessionId] = state;
            }

            startWriter = !writing;
            writing = true;
        }

        if (startWriter)
        {
            _ = Task.Run(WriteAllAsync, CancellationToken.None);
        }

        return batch.Written.Task;
    }

    /// <summary>Writes batches until none is waiting; only one runs at a time.</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            Batch batch;
            lock (gate)
            {
                if (next is null)
                {
                    writing = false;
                    return;
                }

                batch = next;
                next = null;
            }

            try
            {
                await WriteAsync(batch.States.Values);
                batch.Written.TrySetResult();
            }
            catch (Exception e)
            {
                batch.Written.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(IEnumerable<LiveSessionState> states)
    {
        await using var db = await databases.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var state in states)
        {
            await db.LiveSessions
                .Where(s => s.Id == state.SessionId && s.StateVersion <= state.Version)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.LastDocumentId, state.DocumentId)
                    .SetProperty(s => s.LastPage, state.Page)
                    .SetProperty(s => s.StateVersion, state.Version));
        }

        await transaction.CommitAsync();
    }

    private sealed class Batch
    {
        public Dictionary<Guid, LiveSessionState> States { get; } = [];

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
