using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;

namespace LiveContract.Core.LiveSessions;

/// <summary>The side a person takes in a live session.</summary>
public enum ParticipantRole
{
    Advisor,
    Customer,
}

/// <summary>Who caused an event: a participant's id (the advisor's user id, the customer's id) and role.</summary>
public sealed record LiveSessionActor(string ParticipantId, ParticipantRole Role);

/// <summary>A person joining a live session, as the caller has authenticated them.</summary>
public sealed record LiveParticipant(string ParticipantId, ParticipantRole Role, string DisplayName)
{
    public LiveSessionActor Actor => new(ParticipantId, Role);
}

/// <summary>
/// A participant who is connected now. A person with two tabs open is one participant with
/// <see cref="ConnectionCount"/> 2; the count is informative and changes without a new version.
/// </summary>
public sealed record ParticipantPresence(
    string ParticipantId,
    ParticipantRole Role,
    string DisplayName,
    DateTimeOffset ConnectedSince,
    int ConnectionCount);

/// <summary>A spot on a page, from its top-left corner: 0..1 of the page's width and of its height.</summary>
public readonly record struct PointerPosition(double X, double Y)
{
    public bool IsOnPage => X is >= 0 and <= 1 && Y is >= 0 and <= 1;
}

/// <summary>A document the session may show, with the name the document switcher shows and its number of pages.</summary>
public sealed record SessionDocument(Guid DocumentId, string FileName, int PageCount);

/// <summary>
/// What a live session starts with: its contract, the documents it may show and where it opens.
/// When the <see cref="ILiveSessionStateStore"/> remembers the session, it resumes at its last
/// document and page instead of <see cref="FirstDocumentId"/> and <see cref="FirstPage"/>.
/// </summary>
public sealed record LiveSessionSetup(
    Guid ContractId,
    IReadOnlyList<SessionDocument> Documents,
    Guid FirstDocumentId,
    int FirstPage,
    ContractStatus Status)
{
    /// <summary>The contract's fields, in the order the contract lists them.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    /// <summary>The values stored so far (one per field ever filled); the session continues from their versions.</summary>
    public IReadOnlyList<LiveFieldValue> FieldValues { get; init; } = [];

    /// <summary>Whether someone has signed already, so no value may change any more.</summary>
    public bool FieldsFrozen { get; init; }

    /// <summary>The signed contract's sealed PDF, when it is stored already.</summary>
    public SessionSealedPdf? Sealed { get; init; }
}

/// <summary>A signed contract's sealed PDF as a live session knows it: the document to download and when it was sealed.</summary>
public sealed record SessionSealedPdf(Guid DocumentId, DateTimeOffset SealedAt);

/// <summary>
/// A field's value in a live session: its <see cref="Version"/>-th accepted change (last write
/// wins), who set it and when, and why it does not meet the field's rules yet
/// (<see cref="Problem"/>, see <see cref="FieldValueRules.Problem(FieldDefinition, string)"/>), or null.
/// The problem is shared by both parties, who may read different languages, and may be computed on
/// another server: it is always English with dates and numbers in their stored forms
/// (<see cref="FieldValueRules.SharedCulture"/>). A screen words it for its reader from the field and
/// <see cref="Value"/> (<see cref="FieldValueRules.Problem(FieldDefinition, string, System.Globalization.CultureInfo)"/>).
/// </summary>
public sealed record LiveFieldValue(Guid FieldId, string Value, long Version, string SetById, string SetByName, DateTimeOffset SetAt, string? Problem);

/// <summary>A participant is in (typing into or looking at) <see cref="FieldId"/>.</summary>
public sealed record FieldFocusMarker(string ParticipantId, ParticipantRole Role, string DisplayName, Guid FieldId);

/// <summary>
/// A session's whole state at <see cref="Version"/>: what a late joiner receives before the events
/// that follow it. <see cref="Pointer"/> is on <see cref="DocumentId"/>'s <see cref="Page"/>, or
/// null when nobody points; every page change clears it. <see cref="LastActivityAt"/> is when the
/// session last accepted a command or a connection joined or left (when it opened, before that),
/// so administrators can tell an idle session from a busy one.
/// </summary>
public sealed record LiveSessionSnapshot(
    Guid SessionId,
    Guid ContractId,
    IReadOnlyList<SessionDocument> Documents,
    Guid DocumentId,
    int Page,
    PointerPosition? Pointer,
    IReadOnlyList<ParticipantPresence> Participants,
    ContractStatus Status,
    bool Ended,
    long Version,
    DateTimeOffset LastActivityAt)
{
    /// <summary>The contract's fields, in the order the contract lists them.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    /// <summary>The value of every field filled so far, by field id.</summary>
    public IReadOnlyDictionary<Guid, LiveFieldValue> FieldValues { get; init; } = new Dictionary<Guid, LiveFieldValue>();

    /// <summary>Who is in which field now (at most one field per participant).</summary>
    public IReadOnlyList<FieldFocusMarker> FieldFocus { get; init; } = [];

    /// <summary>Whether the values are frozen for good because someone has signed.</summary>
    public bool FieldsFrozen { get; init; }

    /// <summary>The signed contract's sealed PDF once it is stored (<see cref="ContractSealed"/>), or null.</summary>
    public SessionSealedPdf? Sealed { get; init; }

    /// <summary>
    /// Whether the session's work is done: its contract is Signed (<see cref="LiveSessionStatus.Completed"/>).
    /// Those in it stay until they leave; commands other than fields still work.
    /// </summary>
    public bool Completed => Status == ContractStatus.Signed;
}

/// <summary>What survives a restart of the server: where the session was, and whether it has ended.</summary>
public sealed record LiveSessionState(Guid SessionId, Guid ContractId, Guid DocumentId, int Page, bool Ended, long Version);

/// <summary>
/// What a coordinator holds on this server: its kind (<see cref="Backend"/>, e.g. "In memory (this
/// server)"), the sessions open here and not ended, and the connections joined to them.
/// </summary>
public sealed record LiveSessionServerLoad(string Backend, int OpenSessions, int Connections);
