using LiveContract.Core.Contracts;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Something that happened in a live session. <see cref="Version"/> increases by exactly one per
/// event of a session, so a subscriber sees 1, 2, 3… after the version of its snapshot.
/// <see cref="Name"/> is the protocol's name for the event (<c>pageChange</c>, <c>pointer</c>…).
/// </summary>
public abstract record LiveSessionEvent(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp)
{
    public abstract string Name { get; }
}

/// <summary>The session switched to another document; it shows <see cref="Page"/> (the first) and no pointer.</summary>
public sealed record LoadDocument(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "loadDocument";
}

/// <summary>The session shows <see cref="Page"/> of <see cref="DocumentId"/>, and no pointer.</summary>
public sealed record PageChange(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "pageChange";
}

/// <summary>Someone points at <see cref="Position"/> on the page shown, or stops pointing (null).</summary>
public sealed record Pointer(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page, PointerPosition? Position)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "pointer";
}

/// <summary>Someone arrived or the last connection of someone left; <see cref="Participants"/> is everyone connected now.</summary>
public sealed record Presence(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, IReadOnlyList<ParticipantPresence> Participants)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "presence";
}

/// <summary>
/// The contract's documents changed (one was added or removed): <see cref="Documents"/> is the new
/// list, and the session shows <see cref="Page"/> of <see cref="DocumentId"/>, with no pointer. The
/// document shown stays when it is still there; otherwise the session moves to the first page of
/// the first document.
/// </summary>
public sealed record DocumentsChanged(
    Guid SessionId,
    long Version,
    LiveSessionActor Actor,
    DateTimeOffset Timestamp,
    IReadOnlyList<SessionDocument> Documents,
    Guid DocumentId,
    int Page)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "documents";
}

/// <summary>The contract moved to <see cref="Status"/>.</summary>
public sealed record StatusUpdate(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, ContractStatus Status)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "statusUpdate";
}

/// <summary>A signer signed the contract.</summary>
public sealed record ContractSigned(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, string SignedBy, DateTimeOffset SignedAt)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "contractSigned";
}

/// <summary>
/// The signed contract's sealed PDF is stored (<see cref="Sealed"/>: its document and when it was
/// sealed): participants can download it now. Published once per session, whichever server sealed.
/// </summary>
public sealed record ContractSealed(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, SessionSealedPdf Sealed)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "contractSealed";
}

/// <summary>The session is over: the last event a subscriber receives; the session accepts nothing more.</summary>
public sealed record SessionEnded(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "sessionEnded";
}

/// <summary>
/// <see cref="DisplayName"/> (the actor) moved into <see cref="FieldId"/>, or out of every field
/// (null). Each participant is in at most one field at a time.
/// </summary>
public sealed record FieldFocus(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid? FieldId, string DisplayName)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "fieldFocus";
}

/// <summary>
/// A field's value changed to <see cref="Value"/>, its <see cref="ValueVersion"/>-th accepted
/// change (last write wins: a client keeps the value with the highest version).
/// <see cref="Problem"/> says why the value is not valid yet (shown beside the field), or is null:
/// always in English with dates and numbers in their stored forms, whatever the culture of the server
/// or participant that set it (<see cref="Fields.FieldValueRules.SharedCulture"/>); each screen words it again
/// in its reader's language.
/// </summary>
public sealed record FieldValueChanged(
    Guid SessionId,
    long Version,
    LiveSessionActor Actor,
    DateTimeOffset Timestamp,
    Guid FieldId,
    string Value,
    long ValueVersion,
    string? Problem)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "fieldValue";
}

/// <summary>The advisor guides the customer to <see cref="FieldId"/>: the customer's view jumps to it and highlights it.</summary>
public sealed record FieldGuide(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, Guid FieldId, Guid DocumentId, int Page)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "fieldGuide";
}

/// <summary>
/// The contract's fields changed (placed, changed or removed while it was a draft, or reloaded as
/// it went to review): <see cref="Fields"/> is the new list; values of fields no longer listed are gone.
/// </summary>
public sealed record FieldsChanged(Guid SessionId, long Version, LiveSessionActor Actor, DateTimeOffset Timestamp, IReadOnlyList<Fields.FieldDefinition> Fields)
    : LiveSessionEvent(SessionId, Version, Actor, Timestamp)
{
    public override string Name => "fields";
}
