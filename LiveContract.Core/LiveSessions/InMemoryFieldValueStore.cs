using System.Collections.Concurrent;

namespace LiveContract.Core.LiveSessions;

/// <summary>Keeps saved field values in the process: what tests use, and the default until the database keeps them. An older version than the one held is ignored.</summary>
public sealed class InMemoryFieldValueStore : IFieldValueStore
{
    private readonly ConcurrentDictionary<Guid, LiveFieldValue> values = new();

    /// <summary>The value saved for <paramref name="fieldId"/>, or null.</summary>
    public LiveFieldValue? Find(Guid fieldId) => values.GetValueOrDefault(fieldId);

    public Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var save in values)
        {
            this.values.AddOrUpdate(save.Value.FieldId, save.Value, (_, held) => save.Value.Version > held.Version ? save.Value : held);
        }

        return Task.CompletedTask;
    }
}
