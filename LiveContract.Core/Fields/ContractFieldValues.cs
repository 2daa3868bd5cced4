using LiveContract.Core.Data;
using LiveContract.Core.Documents;
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
        var documents = (await db.Documents.AsNoTracking().Where(d => d.ContractId == contractId).ToListAsync(cancellationToken))
            .InContractOrder()
            .Select((d, index) => (d.Id, index))
            .ToDictionary(d => d.Id, d => d.index);
        var fields = await db.Fields.AsNoTracking().Where(f => f.ContractId == contractId).ToListAsync(cancellationToken);
        var values = await db.FieldValues.AsNoTracking().Where(v => v.ContractId == contractId).ToDictionaryAsync(v => v.FieldId, cancellationToken);
        var ordered = fields
            .OrderBy(f => documents.GetValueOrDefault(f.DocumentId, int.MaxValue))
            .ThenBy(f => f.Page)
            .ThenByDescending(f => f.Bottom + f.Height)
            .ThenBy(f => f.Left)
            .ThenBy(f => f.Id)
            .Select(FieldDefinition.From)
            .ToList();
        return new ContractFieldValues(ordered, values);
    }
}
