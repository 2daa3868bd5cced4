using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Saves live field values to <see cref="LiveContractDbContext.FieldValues"/>: each value newer than
/// the stored row replaces it; an older or equal version changes nothing, so a row's version never
/// goes backwards. A committed value that is the stored one appends a
/// <see cref="AuditEventTypes.FieldValueSet"/> event to its contract's stream in the same
/// transaction, unless the stream's last such event for the field already holds that value (a
/// field left twice unchanged is audited once; the values typed in between are never audited).
/// <para>
/// Saves are written by one writer at a time, like <see cref="EfLiveSessionStateStore"/>'s: every
/// save that arrives while a write is under way waits for the next one, and each write is a single
/// transaction for the waiting contracts, up to <see cref="MaxBatchValues"/> values (a contract's
/// values are never split). A thousand sessions typing thus cost a few transactions per second
/// instead of one each, which a database with a single writer (SQLite) could not keep up with. When
/// another writer takes a contract stream's next audit sequence first, the whole write runs again
/// (<see cref="AuditWrites"/>); when it fails otherwise (say the database refuses one contract's
/// values because it was just signed), each contract of it is written again on its own, so one
/// contract never keeps the others' values from being saved.
/// </para>
/// </summary>
public sealed class EfFieldValueStore(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time, ILogger<EfFieldValueStore> logger) : IFieldValueStore
{
    /// <summary>The most values one transaction writes (more only when a single contract has more).</summary>
    public const int MaxBatchValues = 500;

    private readonly Lock gate = new();
    private readonly Queue<ContractSave> waiting = new();
    private readonly Dictionary<Guid, ContractSave> waitingByContract = [];
    private bool writing;

    /// <summary>
    /// Saves the values with the other saves waiting; completes once they are committed and fails
    /// when writing this contract's values failed. Cancelling stops the waiting, not the write.
    /// </summary>
    public Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return Task.CompletedTask;
        }

        ContractSave save;
        bool startWriter;
        lock (gate)
        {
            if (!waitingByContract.TryGetValue(contractId, out save!))
            {
                save = new ContractSave(contractId);
                waitingByContract.Add(contractId, save);
                waiting.Enqueue(save);
            }

            save.Add(values);
            startWriter = !writing;
            writing = true;
        }

        if (startWriter)
        {
            _ = Task.Run(WriteAllAsync, CancellationToken.None);
        }

        return save.Written.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes batches until none is waiting; only one runs at a time.</summary>
    private async Task WriteAllAsync()
    {
        while (true)
        {
            var batch = new List<ContractSave>();
            lock (gate)
            {
                var count = 0;
                while (waiting.TryPeek(out var save) && (batch.Count == 0 || count + save.Values.Count <= MaxBatchValues))
                {
                    waiting.Dequeue();
                    waitingByContract.Remove(save.ContractId);
                    batch.Add(save);
                    count += save.Values.Count;
                }

                if (batch.Count == 0)
                {
                    writing = false;
                    return;
                }
            }

            await WriteBatchAsync(batch);
        }
    }

    /// <summary>Writes the batch in one transaction or, when that fails, each contract of it on its own.</summary>
    private async Task WriteBatchAsync(List<ContractSave> batch)
    {
        var failure = await TryWriteAsync(batch);
        if (failure is null)
        {
            batch.ForEach(s => s.Written.TrySetResult());
            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Written.TrySetException(failure);
            return;
        }

        logger.LogWarning(failure, "Saving the field values of {Count} contracts together failed; saving each contract's on its own", batch.Count);
        foreach (var save in batch)
        {
            if (await TryWriteAsync([save]) is { } alone)
            {
                save.Written.TrySetException(alone);
            }
            else
            {
                save.Written.TrySetResult();
            }
        }
    }

    private async Task<Exception?> TryWriteAsync(IReadOnlyList<ContractSave> batch)
    {
        try
        {
            await AuditWrites.RunOrThrowAsync(databases, db => WriteAsync(db, batch));
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private async Task<bool> WriteAsync(LiveContractDbContext db, IReadOnlyList<ContractSave> batch)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var ids = batch.SelectMany(s => s.Values.Keys).ToList();
        var stored = await db.FieldValues.Where(v => ids.Contains(v.FieldId)).ToDictionaryAsync(v => v.FieldId);
        var audited = await LastAuditedAsync(db, batch);
        var now = time.GetUtcNow();
        foreach (var contract in batch)
        {
            var stream = AuditStreams.Contract(contract.ContractId);
            foreach (var save in contract.Values.Values.OrderBy(v => v.Value.SetAt))
            {
                var value = save.Value;
                if (!stored.TryGetValue(value.FieldId, out var row))
                {
                    row = new FieldValue { FieldId = value.FieldId, ContractId = contract.ContractId };
                    db.FieldValues.Add(row);
                    stored.Add(value.FieldId, row);
                }
                else if (row.Version > value.Version || (row.Version == value.Version && !save.Committed))
                {
                    continue;
                }

                if (row.Version < value.Version)
                {
                    row.Value = value.Value;
                    row.Version = value.Version;
                    row.SetById = value.SetById;
                    row.SetByParty = save.SetByRole == ParticipantRole.Advisor ? FieldParty.Advisor : FieldParty.Customer;
                    row.SetAt = value.SetAt;
                }

                if (!save.Committed || audited.GetValueOrDefault(value.FieldId, "") == value.Value)
                {
                    continue;
                }

                audited[value.FieldId] = value.Value;
                await AuditTrail.AppendAsync(
                    db,
                    stream,
                    AuditEventTypes.FieldValueSet,
                    save.SetByRole == ParticipantRole.Advisor
                        ? new AuditActor(value.SetById, AuditActor.AdvisorRole, null)
                        : new AuditActor(value.SetById, AuditActor.CustomerRole, null),
                    new { fieldId = value.FieldId, label = save.Field.Label, party = save.Field.Party.ToString(), value = value.Value, version = value.Version, setAt = value.SetAt },
                    now);
            }
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>
    /// The value each committed field of <paramref name="batch"/> was last audited with (an empty
    /// value for a field never audited, so clearing a field nobody filled records nothing).
    /// </summary>
    private static async Task<Dictionary<Guid, string>> LastAuditedAsync(LiveContractDbContext db, IReadOnlyList<ContractSave> batch)
    {
        var committed = batch.Where(c => c.Values.Values.Any(v => v.Committed)).ToList();
        var audited = new Dictionary<Guid, string>();
        if (committed.Count == 0)
        {
            return audited;
        }

        var streams = committed.Select(c => AuditStreams.Contract(c.ContractId)).ToList();
        var fieldIds = committed.SelectMany(c => c.Values.Values.Where(v => v.Committed).Select(v => v.Value.FieldId)).ToHashSet();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => streams.Contains(e.Stream) && e.Type == AuditEventTypes.FieldValueSet)
            .OrderBy(e => e.Sequence)
            .Select(e => e.Data)
            .ToListAsync();
        foreach (var data in events)
        {
            using var json = JsonDocument.Parse(data);
            if (json.RootElement.TryGetProperty("fieldId", out var id) && id.TryGetGuid(out var fieldId) && fieldIds.Contains(fieldId)
                && json.RootElement.TryGetProperty("value", out var value))
            {
                audited[fieldId] = value.GetString() ?? "";
            }
        }

        return audited;
    }

    /// <summary>One contract's values waiting for the next write (the newest version of each field) and whoever waits for them.</summary>
    private sealed class ContractSave(Guid contractId)
    {
        public Guid ContractId { get; } = contractId;

        public Dictionary<Guid, FieldValueSave> Values { get; } = [];

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(IEnumerable<FieldValueSave> values)
        {
            foreach (var save in values)
            {
                if (!Values.TryGetValue(save.Value.FieldId, out var queued))
                {
                    Values[save.Value.FieldId] = save;
                }
                else if (queued.Value.Version < save.Value.Version)
                {
                    // A commit waiting here is kept: the newer value is committed in its place rather than lost.
                    Values[save.Value.FieldId] = save with { Committed = save.Committed || queued.Committed };
                }
                else if (queued.Value.Version == save.Value.Version && save.Committed)
                {
                    Values[save.Value.FieldId] = queued with { Committed = true };
                }
            }
        }
    }
}
