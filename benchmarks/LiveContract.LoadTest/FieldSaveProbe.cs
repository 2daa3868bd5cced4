using System.Diagnostics;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.LoadTest;

/// <summary>
/// Counts the app's durable field-value saves in its own database while it runs: every saved
/// value is one <c>field.value_set</c> audit event in the contract's stream, written in the same
/// transaction as its <c>FieldValues</c> row, and every event one transaction writes has that
/// transaction's time (one time per batch of the store, whatever contracts it carries). The
/// measured window is marked by the audit table's highest id at its start and end.
/// </summary>
public sealed class FieldSaveProbe(IDbContextFactory<LiveContractDbContext> databases)
{
    private long fromId;
    private long toId;
    private long fromTimestamp;
    private long toTimestamp;

    /// <summary>Marks the start of the measured window.</summary>
    public async Task MarkStartAsync(CancellationToken cancellationToken)
    {
        fromId = await HighestIdAsync(cancellationToken);
        fromTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Marks the end of the measured window.</summary>
    public async Task MarkEndAsync(CancellationToken cancellationToken)
    {
        toId = await HighestIdAsync(cancellationToken);
        toTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>The saves between the two marks; <paramref name="activeFields"/> is how many fields were being typed into at any time.</summary>
    public async Task<FieldSaveResult> SummarizeAsync(int activeFields, long valuesSent, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var saved = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Id > fromId && e.Id <= toId && e.Type == AuditEventTypes.FieldValueSet)
            .Select(e => new { e.Stream, e.At, e.Data })
            .ToListAsync(cancellationToken);
        var lags = saved
            .Select(e => (int)Math.Clamp((e.At - SetAt(e.Data)).TotalMicroseconds, 0, int.MaxValue))
            .Order()
            .ToArray();
        var seconds = Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalSeconds;
        return new FieldSaveResult(
            seconds,
            saved.Count,
            saved.Select(e => e.At).Distinct().Count(),
            activeFields,
            valuesSent,
            LatencySummary.From(lags));
    }

    private async Task<long> HighestIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }

    /// <summary>When the saved value was typed: the event's <c>setAt</c>.</summary>
    private static DateTimeOffset SetAt(string data)
    {
        using var json = JsonDocument.Parse(data);
        return json.RootElement.GetProperty("setAt").GetDateTimeOffset();
    }
}

/// <summary>
/// The durable saves of field values in a measured window: values written (rows and
/// <c>field.value_set</c> events), save transactions, and how long after its last change each
/// value was saved.
/// </summary>
public sealed record FieldSaveResult(double Seconds, long ValuesSaved, long Transactions, int ActiveFields, long ValuesSent, LatencySummary SaveDelay)
{
    public double ValuesSavedPerSecond => ValuesSaved / Seconds;

    public double TransactionsPerSecond => Transactions / Seconds;

    /// <summary>Saves per field being typed into, per second (the debounce aims at about one).</summary>
    public double SavesPerActiveFieldPerSecond => ActiveFields == 0 ? double.NaN : ValuesSaved / Seconds / ActiveFields;

    /// <summary>Value batches sent per value saved: how many changes one write covers.</summary>
    public double BatchesPerSave => ValuesSaved == 0 ? double.NaN : ValuesSent / (double)ValuesSaved;
}
