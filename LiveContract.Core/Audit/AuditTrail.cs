using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Audit;

/// <summary>
/// Appends hash-chained events to the audit trail inside the caller's context and transaction, so
/// an event is written together with the change it records, and verifies a stream's chain.
/// Two appends racing on one stream take the same sequence number; the unique index on
/// (Stream, Sequence) lets exactly one commit, the other's SaveChanges fails (retry or report a
/// conflict).
/// </summary>
public static class AuditTrail
{
    /// <summary>Ticks kept in <see cref="AuditEvent.At"/>: 100 µs, what SQLite's binary date-time
    /// conversion keeps (PostgreSQL keeps microseconds), so the hashed time survives a round trip.</summary>
    public const long TimePrecisionTicks = 1_000;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly byte[] Domain = Encoding.UTF8.GetBytes("LiveContract audit event v1");

    /// <summary>Adds the stream's next event to <paramref name="db"/> (not saved: the caller's SaveChanges writes it).</summary>
    public static async Task<AuditEvent> AppendAsync(
        LiveContractDbContext db,
        string stream,
        string type,
        AuditActor? actor,
        object data,
        DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(data);
        if (!AuditStreams.IsValid(stream))
        {
            throw new ArgumentException($"'{stream}' is not an audit stream (\"system\" or \"contract:{{id}}\").", nameof(stream));
        }

        // Events of this stream added earlier in the same unit of work come after the saved ones.
        var pending = db.AuditEvents.Local
            .Where(e => e.Stream == stream && db.Entry(e).State == EntityState.Added)
            .MaxBy(e => e.Sequence);
        var last = pending is not null
            ? new { pending.Sequence, pending.Hash }
            : await db.AuditEvents.AsNoTracking()
                .Where(e => e.Stream == stream)
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);

        var audit = new AuditEvent
        {
            Stream = stream,
            Sequence = (last?.Sequence ?? 0) + 1,
            Type = type,
            At = Normalize(at),
            ActorId = actor?.Id,
            ActorRole = actor?.Role,
            IpAddress = actor?.IpAddress,
            Data = data as string ?? JsonSerializer.Serialize(data, data.GetType(), JsonOptions),
            PreviousHash = last?.Hash ?? "",
        };
        audit.Hash = ComputeHash(audit);
        db.AuditEvents.Add(audit);
        return audit;
    }

    /// <summary>Recomputes every hash of <paramref name="stream"/> in order and names the first broken event, if any.</summary>
    public static async Task<ChainCheck> VerifyAsync(LiveContractDbContext db, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(stream);
        var walk = new ChainWalk(stream);
        await foreach (var audit in db.AuditEvents.AsNoTracking()
                           .Where(e => e.Stream == stream)
                           .OrderBy(e => e.Sequence)
                           .AsAsyncEnumerable()
                           .WithCancellation(cancellationToken))
        {
            if (!walk.Add(audit))
            {
                break;
            }
        }

        return walk.Result;
    }

    /// <summary>UTC, truncated to <see cref="TimePrecisionTicks"/>.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimePrecisionTicks), TimeSpan.Zero);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the event's canonical encoding: a domain label, then Stream,
    /// Sequence, Type, At (UTC, round-trip "O" format), ActorId, ActorRole, IpAddress, Data and
    /// PreviousHash, each as a presence byte (0 null, 1 present) and, when present, its UTF-8
    /// length (4 bytes, big-endian) and bytes, so two different events never encode the same.
    /// </summary>
    public static string ComputeHash(AuditEvent audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        using var buffer = new MemoryStream();
        buffer.Write(Domain);
        Write(buffer, audit.Stream);
        Write(buffer, audit.Sequence.ToString(CultureInfo.InvariantCulture));
        Write(buffer, audit.Type);
        Write(buffer, audit.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Write(buffer, audit.ActorId);
        Write(buffer, audit.ActorRole);
        Write(buffer, audit.IpAddress);
        Write(buffer, audit.Data);
        Write(buffer, audit.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Write(MemoryStream buffer, string? value)
    {
        if (value is null)
        {
            buffer.WriteByte(0);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.WriteByte(1);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}

/// <summary>
/// Follows one stream's events in sequence order and stops at the first broken one, so a single
/// check (<see cref="AuditTrail.VerifyAsync"/>) and the scan of every stream
/// (<see cref="AuditService.VerifyAllAsync"/>) judge a chain the same way.
/// </summary>
internal sealed class ChainWalk(string stream)
{
    private long expected = 1;
    private string previousHash = "";
    private ChainCheck? broken;

    public string Stream => stream;

    /// <summary>The stream's result so far: ok with the events seen, or the first broken event.</summary>
    public ChainCheck Result => broken ?? new ChainCheck(stream, expected - 1, previousHash, null, null);

    /// <summary>Checks the stream's next event; false once the chain is broken (later events are not judged).</summary>
    public bool Add(AuditEvent audit)
    {
        if (broken is not null)
        {
            return false;
        }

        if (audit.Sequence != expected)
        {
            broken = new ChainCheck(stream, expected - 1, previousHash, expected, $"Event {expected} is missing.");
            return false;
        }

        if (audit.PreviousHash != previousHash || AuditTrail.ComputeHash(audit) != audit.Hash)
        {
            broken = new ChainCheck(stream, expected - 1, previousHash, audit.Sequence, $"Event {audit.Sequence} of {stream} was changed after it was written.");
            return false;
        }

        previousHash = audit.Hash;
        expected++;
        return true;
    }
}
