using System.Data;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
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

    private const int MaxReferenceLength = 32;

    private static readonly OperationError AdminsOnly =
        new(ErrorKind.Forbidden, "Only an administrator can read the system audit stream or verify every chain.");

    /// <summary>The contract's events in order, each with who caused it and a sentence saying what happened.</summary>
    public async Task<Outcome<ContractAuditTrail>> GetTimelineAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await FindContractAsync(db, actor, contractId, cancellationToken) is not { } contract)
        {
            return OperationError.NotFound("That contract");
        }

        return new ContractAuditTrail(contract.Id, contract.Reference, contract.Title, await ReadAsync(db, contractId, cancellationToken));
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
        if (query.Type?.Trim() is { Length: > 0 } type)
        {
            events = type.EndsWith('.') ? events.Where(e => e.Type.StartsWith(type)) : events.Where(e => e.Type == type);
        }

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
    /// stream and sequence, holding one stream's state at a time, so a million events cost one
    /// query and no more memory than the per-stream results. Reports progress every
    /// <see cref="ProgressInterval"/> events and records the outcome on the system stream. Admins only.
    /// </summary>
    public async Task<Outcome<ChainsReport>> VerifyAllAsync(Actor actor, IProgress<ChainsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            return AdminsOnly;
        }

        var checks = new List<ChainCheck>();
        var events = 0L;
        Dictionary<Guid, string> references;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var total = await db.AuditEvents.LongCountAsync(cancellationToken);
            progress?.Report(new ChainsProgress(0, total, 0));
            ChainWalk? walk = null;
            string? stream = null;
            await foreach (var audit in db.AuditEvents.AsNoTracking()
                               .OrderBy(e => e.Stream)
                               .ThenBy(e => e.Sequence)
                               .AsAsyncEnumerable()
                               .WithCancellation(cancellationToken))
            {
                if (audit.Stream != stream)
                {
                    if (walk is not null)
                    {
                        checks.Add(walk.Result);
                    }

                    stream = audit.Stream;
                    walk = new ChainWalk(stream);
                }

                walk!.Add(audit);
                if (++events % ProgressInterval == 0)
                {
                    progress?.Report(new ChainsProgress(events, Math.Max(total, events), checks.Count + 1));
                }
            }

            if (walk is not null)
            {
                checks.Add(walk.Result);
            }

            progress?.Report(new ChainsProgress(events, Math.Max(total, events), checks.Count));
            references = await db.Contracts.AsNoTracking().Select(c => new { c.Id, c.Reference }).ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);
        }

        var results = checks
            .Select(c => ContractIdOf(c.Stream) is { } id
                ? new StreamVerification(c.Stream, id, references.GetValueOrDefault(id), c.Events, c.BrokenSequence, c.Problem)
                : new StreamVerification(c.Stream, null, null, c.Events, c.BrokenSequence, c.Problem))
            .OrderBy(r => r.IsOk)
            .ThenBy(r => r.ContractId is not null)
            .ThenBy(r => r.ContractReference ?? r.Stream, StringComparer.Ordinal)
            .ToList();
        var broken = results.Where(r => !r.IsOk).ToList();
        var now = time.GetUtcNow();
        await AuditWrites.RunOrThrowAsync(databases, async db =>
        {
            await AuditTrail.AppendAsync(db, AuditStreams.System, AuditEventTypes.ChainsVerified, AuditActor.For(actor), new
            {
                streams = results.Count,
                events,
                broken = broken.Count,
                brokenStreams = broken.Take(MaxBrokenStreamsRecorded).Select(r => r.Stream).ToList(),
            }, now, cancellationToken);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return new ChainsReport(AuditTrail.Normalize(now), results.Count, events, broken.Count, results);
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
