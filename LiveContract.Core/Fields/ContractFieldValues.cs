using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Fields;

/// <summary>A contract's fields and stored values as one read: what live sessions open with and what signing checks.</summary>
public sealed record ContractFieldValues(IReadOnlyList<FieldDefinition> Fields, IReadOnlyDictionary<Guid, FieldValue> Values)
{
    /// <summary>The values as text by field id (an unfilled field has none).</summary>
    public IReadOnlyDictionary<Guid, string> Texts => Values.ToDictionary(v => v.Key, v => v.Value.Value);

    /// <summary>
    /// Reads the fields of <paramref name="contractId"/> in reading order (documents in contract
    /// order, then by page, top to bottom, left to right) and their stored values.
    /// </summary>
    public static async Task<ContractFieldValues> LoadAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ordered = await FieldService.LoadAsync(db, contractId, cancellationToken);
        var values = await db.FieldValues.AsNoTracking().Where(v => v.ContractId == contractId).ToDictionaryAsync(v => v.FieldId, cancellationToken);
        return new ContractFieldValues(ordered, values);
    }
}
