using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// The database lease that lets one sealer at a time, on any server, build a contract's sealed PDF:
/// the contract's <see cref="Contract.SealingLeaseHolder"/> and <see cref="Contract.SealingLeaseUntil"/>,
/// taken by one conditional UPDATE (no sealed PDF yet, and no lease or an expired one) so that
/// the database decides between sealers racing, and released by its holder when done. A lease
/// ends by itself at <see cref="Contract.SealingLeaseUntil"/>, so a sealer that died blocks no one
/// for longer than <see cref="SealingOptions.LeaseDuration"/>.
/// </summary>
internal static class SealingLease
{
    /// <summary>Longest holder name: a GUID in its 32-digit form.</summary>
    public const int MaxHolderLength = 32;

    /// <summary>A holder name for one sealing attempt, unique across servers.</summary>
    public static string NewHolder() => Guid.NewGuid().ToString("N");

    /// <summary>Takes the lease of <paramref name="contractId"/> for <paramref name="holder"/> until <paramref name="until"/>; false when another holds it, the contract is sealed, or there is no such contract.</summary>
    public static async Task<bool> TryTakeAsync(LiveContractDbContext db, Guid contractId, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        await db.Contracts
            .Where(c => c.Id == contractId
                && !c.Documents.Any(d => d.Kind == DocumentKind.Sealed)
                && (c.SealingLeaseUntil == null || c.SealingLeaseUntil <= now))
            .ExecuteUpdateAsync(
                set => set.SetProperty(c => c.SealingLeaseHolder, holder).SetProperty(c => c.SealingLeaseUntil, until),
                cancellationToken) == 1;

    /// <summary>Ends <paramref name="holder"/>'s lease of <paramref name="contractId"/>; does nothing when another sealer has taken it over since.</summary>
    public static Task ReleaseAsync(LiveContractDbContext db, Guid contractId, string holder, CancellationToken cancellationToken) =>
        db.Contracts
            .Where(c => c.Id == contractId && c.SealingLeaseHolder == holder)
            .ExecuteUpdateAsync(
                set => set.SetProperty(c => c.SealingLeaseHolder, (string?)null).SetProperty(c => c.SealingLeaseUntil, (DateTimeOffset?)null),
                cancellationToken);
}
