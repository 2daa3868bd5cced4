using LiveContract.Core.Fields;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Where a live session's field values become durable. The coordinator saves the values changed
/// since its last save at most <see cref="LiveSessionOptions.SaveInterval"/> after a change, at
/// once when asked to flush (a field left, a signature about to be recorded), when the session
/// ends and when the coordinator stops; a failed save is retried. Saves of one session never overlap.
/// </summary>
public interface IFieldValueStore
{
    /// <summary>
    /// Saves <paramref name="values"/> of <paramref name="contractId"/>, all or none; a value whose
    /// stored version is already as high or higher changes nothing (versions never go backwards).
    /// </summary>
    Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default);
}

/// <summary>A value to save: the field (for its label and party), the value as the session holds it, and the role of whoever set it.</summary>
public sealed record FieldValueSave(FieldDefinition Field, LiveFieldValue Value, ParticipantRole SetByRole);
