using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// What one circuit knows of its live session at <see cref="Version"/>: the snapshot it joined
/// with and every event applied since, in version order. Immutable: the client swaps it whole.
/// <see cref="SigningVersion"/> is the version of the last event that may have changed where the
/// contract stands with signing (a signature, a status change; or the snapshot itself, which may
/// follow changes missed while reconnecting): a view reloads its signing state when it moves.
/// </summary>
public sealed record LiveSessionClientState(
    LiveSessionInfo Session,
    LiveParticipant Self,
    IReadOnlyList<SessionDocument> Documents,
    Guid DocumentId,
    int Page,
    SharedPointer? Pointer,
    IReadOnlyList<ParticipantPresence> Participants,
    IReadOnlyDictionary<string, DepartedParticipant> Departed,
    ContractStatus ContractStatus,
    bool Ended,
    long Version,
    string? Announcement,
    long SigningVersion)
{
    /// <summary>The contract's fields, in the order the contract lists them.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    /// <summary>
    /// Every filled field's value by field id: the highest version received, or, for a field this
    /// circuit is typing into, what was typed (shown at once, before it is sent).
    /// </summary>
    public IReadOnlyDictionary<Guid, LiveFieldValue> FieldValues { get; init; } = new Dictionary<Guid, LiveFieldValue>();

    /// <summary>Who is in which field now.</summary>
    public IReadOnlyList<FieldFocusMarker> FieldFocus { get; init; } = [];

    /// <summary>Whether the values are frozen for good because someone has signed.</summary>
    public bool FieldsFrozen { get; init; }

    /// <summary>The signed contract's sealed PDF once it is stored (from the snapshot or <see cref="ContractSealed"/>), or null.</summary>
    public SessionSealedPdf? Sealed { get; init; }

    /// <summary>Whether the session's work is done: its contract is signed (those in it stay until they leave).</summary>
    public bool Completed => ContractStatus == ContractStatus.Signed;

    /// <summary>The advisor's last guide to a field (for the customer's view to jump to and highlight), or null.</summary>
    public FieldGuideRequest? Guide { get; init; }

    /// <summary>Who last moved the shared view to another document or page since this circuit joined (null until someone does).</summary>
    public LiveSessionActor? MovedBy { get; init; }

    /// <summary>Who signed last since this circuit joined (null until someone does).</summary>
    public LiveSessionActor? LastSigner { get; init; }

    /// <summary>The document shown to everyone following.</summary>
    public SessionDocument? Document => Documents.FirstOrDefault(d => d.DocumentId == DocumentId);

    /// <summary>Whether the participant <paramref name="participantId"/> is connected now.</summary>
    public bool IsConnected(string participantId) => Participants.Any(p => p.ParticipantId == participantId);
}

/// <summary>Someone who was connected and has left (their last connection closed) at <see cref="LeftAt"/>.</summary>
public sealed record DepartedParticipant(string ParticipantId, ParticipantRole Role, string DisplayName, DateTimeOffset LeftAt);

/// <summary>Someone points at <see cref="Position"/> on <see cref="Page"/> of <see cref="DocumentId"/>.</summary>
public sealed record SharedPointer(PointerPosition Position, Guid DocumentId, int Page, string ParticipantId, string DisplayName);

/// <summary>The advisor asked, at <see cref="Version"/>, to look at <see cref="FieldId"/> on <see cref="Page"/> of <see cref="DocumentId"/>.</summary>
public sealed record FieldGuideRequest(Guid FieldId, Guid DocumentId, int Page, long Version);
