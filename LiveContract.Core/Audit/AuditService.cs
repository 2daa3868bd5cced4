using System.Data;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Localization;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Audit;

/// <summary>
/// Reading the audit trail: a contract's timeline with each actor's name, the chain check, and the
/// export; for admins also the system stream and the check of every chain at once. An advisor sees
/// the trail of their own contracts, an admin every contract's; another advisor's contract is not
/// found. Events are written by the services that make the changes (<see cref="AuditTrail.AppendAsync"/>,
/// in the same transaction), never here, except the record that an admin verified every chain.
/// </summary>
public sealed class AuditService(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time)
{
    /// <summary>How often, in events, <see cref="VerifyAllAsync"/> reports its progress.</summary>
    public const int ProgressInterval = 1000;

    /// <summary>The broken streams named in an <see cref="AuditEventTypes.ChainsVerified"/> event (the count is always complete).</summary>
    public const int MaxBrokenStreamsRecorded = 100;

    /// <summary>The broken streams a <see cref="ChainsReport"/> lists (the count is always complete).</summary>
    public const int MaxBrokenStreamsReported = 1000;

    private const int MaxReferenceLength = 32;

    private static readonly OperationError AdminsOnly =
        new(ErrorKind.Forbidden, "Only an administrator can read the system audit stream or verify every chain.");

    /// <summary>
    /// The contract's events in order, each with who caused it and a sentence saying what happened:
    /// all of them, or only the <paramref name="newest"/> ones (read from the end of the stream's
    /// index, so a trail of any length costs the same) with the total count.
    /// </summary>
    public async Task<Outcome<ContractAuditTrail>> GetTimelineAsync(Actor actor, Guid contractId, int? newest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newest ?? 1, nameof(newest));
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await FindContractAsync(db, actor, contractId, cancellationToken) is not { } contract)
        {
            return OperationError.NotFound("That contract");
        }

        if (newest is not { } count)
        {
            return new ContractAuditTrail(contract.Id, contract.Reference, contract.Title, await ReadAsync(db, contractId, cancellationToken));
        }

        // Sequences are gapless from 1, so the head's is the number of events.
        var stream = AuditStreams.Contract(contractId);
        var latest = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == stream)
            .OrderByDescending(e => e.Sequence)
            .Take(count)
            .ToListAsync(cancellationToken);
        latest.Reverse();
        return new ContractAuditTrail(contract.Id, contract.Reference, contract.Title, await ToEntriesAsync(db, latest, cancellationToken))
        {
            Total = latest.Count == 0 ? 0 : latest[^1].Sequence,
        };
    }

    /// <summary>Recomputes the contract's chain and names the first broken event, if any.</summary>
    public async Task<Outcome<ChainCheck>> VerifyAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await FindContractAsync(db, actor, contractId, cancellationToken) is null)
        {
            return OperationError.NotFound("That contract");
        }

        return await AuditTrail.VerifyAsync(db, AuditStreams.Contract(contractId), cancellationToken);
    }

    /// <summary>
    /// Every event of the contract with every field, and the chain check of exactly those events:
    /// both are read in one repeatable-read transaction, so an event appended meanwhile is in
    /// neither.
    /// </summary>
    public async Task<Outcome<AuditExport>> ExportAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        if (await FindContractAsync(db, actor, contractId, cancellationToken) is not { } contract)
        {
            return OperationError.NotFound("That contract");
        }

        var stream = AuditStreams.Contract(contractId);
        var events = await ReadAsync(db, contractId, cancellationToken);
        var chain = await AuditTrail.VerifyAsync(db, stream, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AuditExport(
            contract.Id,
            contract.Reference,
            contract.Title,
            stream,
            AuditTrail.Normalize(time.GetUtcNow()),
            AuditExport.HashDescription,
            chain,
            events);
    }

    /// <summary>The contract with exactly this reference (e.g. <c>LC-2026-000042</c>), if the actor may see it.</summary>
    public async Task<Outcome<Guid>> FindContractAsync(Actor actor, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var wanted = reference?.Trim().ToUpperInvariant() ?? "";
        if (wanted.Length is 0 or > MaxReferenceLength)
        {
            return new OperationError(ErrorKind.Invalid, "Type a contract reference, such as LC-2026-000042.");
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var id = await db.Contracts.AsNoTracking().VisibleTo(actor)
            .Where(c => c.Reference == wanted)
            .Select(c => (Guid?)c.Id)
            .SingleOrDefaultAsync(cancellationToken);
        return id is { } found ? found : new OperationError(ErrorKind.NotFound, $"No contract has the reference {wanted}.");
    }

    /// <summary>A page of the system stream (sign-ins, account and token changes, settings), newest first. Admins only.</summary>
    public async Task<Outcome<PagedResult<AuditEntry>>> ListSystemAsync(Actor actor, SystemAuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        if (!actor.IsAdmin)
        {
            return AdminsOnly;
        }

        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, SystemAuditQuery.MaxPageSize);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStreams.System);
        // The type filter is served by the index on (Stream, Type, Sequence): an exact type is an
        // equality, a family the list of its known types (Type IN (...)), because neither
        // database's index serves LIKE 'user.%' here (PostgreSQL's B-tree only under the C
        // collation, SQLite's LIKE ignores case).
        if (query.Type?.Trim() is { Length: > 0 } type)
        {
            if (type.EndsWith('.'))
            {
                var family = AuditEventTypes.All.Where(t => t.StartsWith(type, StringComparison.Ordinal)).ToList();
                events = events.Where(e => family.Contains(e.Type));
            }
            else
            {
                events = events.Where(e => e.Type == type);
            }
        }

        // Text search has no index: it scans the system stream's events (narrowed by the type
        // filter), which is acceptable for an admin's occasional search of sign-ins and settings.
        if (query.Search?.Trim().ToLowerInvariant() is { Length: > 0 } term)
        {
            events = events.Where(e => e.Data.ToLower().Contains(term));
        }

        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.Sequence).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedResult<AuditEntry>(await ToEntriesAsync(db, items, cancellationToken), total, page, size);
    }

    /// <summary>
    /// Recomputes every chain (the system stream and every contract's) in one scan ordered by
    /// stream and sequence, holding one stream's state at a time and keeping only the broken
    /// streams, so a million events cost one query and the memory of what is broken. The report
    /// has the totals and the broken streams (at most <see cref="MaxBrokenStreamsReported"/>), each
    /// contract's reference read in one query for those alone. Reports progress every
    /// <see cref="ProgressInterval"/> events and records the outcome on the system stream. Admins only.
    /// </summary>
    public async Task<Outcome<ChainsReport>> VerifyAllAsync(Actor actor, IProgress<ChainsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            return AdminsOnly;
        }

        var broken = new List<StreamVerification>();
        var brokenCount = 0;
        var streams = 0;
        var events = 0L;
        IReadOnlyList<StreamVerification> results;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var total = await db.AuditEvents.LongCountAsync(cancellationToken);
            progress?.Report(new ChainsProgress(0, total, 0));
            ChainWalk? walk = null;
            void Finish()
            {
                if (walk is null)
                {
                    return;
                }

                streams++;
                if (walk.Result is { BrokenSequence: { } sequence, Problem: { } problem } check && ++brokenCount <= MaxBrokenStreamsReported)
                {
                    broken.Add(new StreamVerification(check.Stream, ContractIdOf(check.Stream), null, check.Events, sequence, problem));
                }
            }

            await foreach (var audit in db.AuditEvents.AsNoTracking()
                               .OrderBy(e => e.Stream)
                               .ThenBy(e => e.Sequence)
                               .AsAsyncEnumerable()
                               .WithCancellation(cancellationToken))
            {
                if (audit.Stream != walk?.Stream)
                {
                    Finish();
                    walk = new ChainWalk(audit.Stream);
                }

                walk!.Add(audit);
                if (++events % ProgressInterval == 0)
                {
                    progress?.Report(new ChainsProgress(events, Math.Max(total, events), streams + 1));
                }
            }

            Finish();
            progress?.Report(new ChainsProgress(events, Math.Max(total, events), streams));
            results = await LabelAsync(db, broken, cancellationToken);
        }

        var now = time.GetUtcNow();
        await AuditWrites.RunOrThrowAsync(databases, async db =>
        {
            await AuditTrail.AppendAsync(db, AuditStreams.System, AuditEventTypes.ChainsVerified, AuditActor.For(actor), new
            {
                streams,
                events,
                broken = brokenCount,
                brokenStreams = results.Take(MaxBrokenStreamsRecorded).Select(r => r.Stream).ToList(),
            }, now, cancellationToken);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return new ChainsReport(AuditTrail.Normalize(now), streams, events, brokenCount, results);
    }

    /// <summary>The broken streams with their contracts' references (one query), the system stream first, then contracts by reference.</summary>
    private static async Task<IReadOnlyList<StreamVerification>> LabelAsync(LiveContractDbContext db, List<StreamVerification> broken, CancellationToken cancellationToken)
    {
        var ids = broken.Select(r => r.ContractId).OfType<Guid>().ToList();
        var references = ids.Count == 0
            ? []
            : await db.Contracts.AsNoTracking()
                .Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.Reference })
                .ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);
        return broken
            .Select(r => r.ContractId is { } id ? r with { ContractReference = references.GetValueOrDefault(id) } : r)
            .OrderBy(r => r.ContractId is not null)
            .ThenBy(r => r.ContractReference ?? r.Stream, StringComparer.Ordinal)
            .ToList();
    }

    private static Guid? ContractIdOf(string stream) =>
        stream.StartsWith(AuditStreams.ContractPrefix, StringComparison.Ordinal)
        && Guid.TryParseExact(stream.AsSpan(AuditStreams.ContractPrefix.Length), "D", out var id)
            ? id
            : null;

    private static Task<Contract?> FindContractAsync(LiveContractDbContext db, Actor actor, Guid contractId, CancellationToken cancellationToken) =>
        db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);

    private static async Task<IReadOnlyList<AuditEntry>> ReadAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken)
    {
        var stream = AuditStreams.Contract(contractId);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == stream)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
        return await ToEntriesAsync(db, events, cancellationToken);
    }

    private static async Task<IReadOnlyList<AuditEntry>> ToEntriesAsync(LiveContractDbContext db, List<AuditEvent> events, CancellationToken cancellationToken)
    {
        var names = await AuditActorNames.LoadAsync(db, events, cancellationToken);

        // The staff pages and the API describe events in English, whatever language cookie the browser has.
        using var english = Languages.Use(Languages.Default);
        return events
            .Select(e => new AuditEntry(
                e.Id,
                e.Stream,
                e.Sequence,
                e.Type,
                e.At.ToUniversalTime(),
                e.ActorId,
                e.ActorRole,
                names.NameOf(e),
                e.IpAddress,
                AuditDescriptions.Describe(e.Type, e.Data),
                e.Data,
                e.PreviousHash,
                e.Hash))
            .ToList();
    }
}
