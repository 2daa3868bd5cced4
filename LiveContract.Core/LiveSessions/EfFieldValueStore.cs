using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Saves live field values to <see cref="LiveContractDbContext.FieldValues"/>: in one transaction
/// per save, each value newer than the stored row replaces it and appends a
/// <see cref="AuditEventTypes.FieldValueSet"/> event to the contract's stream; an older or equal
/// version changes nothing, so a row's version never goes backwards.
/// </summary>
public sealed class EfFieldValueStore(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time) : IFieldValueStore
{
    public async Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return;
        }

        await AuditWrites.RunOrThrowAsync(
            databases,
            async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var ids = values.Select(v => v.Value.FieldId).ToList();
                var stored = await db.FieldValues.Where(v => ids.Contains(v.FieldId)).ToDictionaryAsync(v => v.FieldId, cancellationToken);
                var stream = AuditStreams.Contract(contractId);
                var now = time.GetUtcNow();
                foreach (var save in values.OrderBy(v => v.Value.SetAt))
                {
                    var value = save.Value;
                    if (!stored.TryGetValue(value.FieldId, out var row))
                    {
                        row = new FieldValue { FieldId = value.FieldId, ContractId = contractId };
                        db.FieldValues.Add(row);
                        stored.Add(value.FieldId, row);
                    }
                    else if (row.Version >= value.Version)
                    {
                        continue;
                    }

                    row.Value = value.Value;
                    row.Version = value.Version;
                    row.SetById = value.SetById;
                    row.SetByParty = save.SetByRole == ParticipantRole.Advisor ? FieldParty.Advisor : FieldParty.Customer;
                    row.SetAt = value.SetAt;
                    await AuditTrail.AppendAsync(
                        db,
                        stream,
                        AuditEventTypes.FieldValueSet,
                        save.SetByRole == ParticipantRole.Advisor
                            ? new AuditActor(value.SetById, AuditActor.AdvisorRole, null)
                            : new AuditActor(value.SetById, AuditActor.CustomerRole, null),
                        new { fieldId = value.FieldId, label = save.Field.Label, party = save.Field.Party.ToString(), value = value.Value, version = value.Version, setAt = value.SetAt },
                        now,
                        cancellationToken);
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return true;
            },
            cancellationToken);
    }
}
