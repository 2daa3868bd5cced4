using System.Data;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Audit;

/// <summary>
/// Reading a contract's audit trail: the timeline with each actor's name, the chain check, and the
/// export. An advisor sees the trail of their own contracts, an admin every contract's; another
/// advisor's contract is not found. Events are written by the services that make the changes
/// (<see cref="AuditTrail.AppendAsync"/>, in the same transaction), never here.
/// </summary>
public sealed class AuditService(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time)
{
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

    private static Task<Contract?> FindContractAsync(LiveContractDbContext db, Actor actor, Guid contractId, CancellationToken cancellationToken) =>
        db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);

    private static async Task<IReadOnlyList<AuditEntry>> ReadAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken)
    {
        var stream = AuditStreams.Contract(contractId);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == stream)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
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
