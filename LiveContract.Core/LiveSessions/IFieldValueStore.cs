using LiveContract.Core.Fields;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Where a live session's field values become durable. The coordinator saves the values changed
/// since its last save at most <see cref="LiveSessionOptions.SaveInterval"/> after a change, at
/// once when asked to flush (a field left, a signature about to be recorded), when the session
/// ends and when the coordinator stops; a failed save is retried. Saves of one session never overlap.
/// Only a committed value (<see cref="FieldValueSave.Committed"/>: the field was left, a signature
/// is about to be recorded, the session ends) reaches the audit trail, and only when it differs
/// from the value the trail holds last for its field; the values typed in between are saved for
/// resuming, not audited.
/// </summary>
public interface IFieldValueStore
{
    /// <summary>
    /// Saves <paramref name="values"/> of <paramref name="contractId"/>, all or none; a value whose
    /// stored version is already higher changes nothing (versions never go backwards), and one
    /// whose stored version is the same changes nothing but may still be audited as committed.
    /// </summary>
    Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default);
}

/// <summary>
/// A value to save: the field (for its label and party), the value as the session holds it, the
/// role of whoever set it, and whether it is committed (then audited, unless the trail already
/// holds it as the field's last value).
/// </summary>
public sealed record FieldValueSave(FieldDefinition Field, LiveFieldValue Value, ParticipantRole SetByRole, bool Committed = false);
