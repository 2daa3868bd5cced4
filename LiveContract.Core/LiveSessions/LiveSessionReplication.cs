using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The kinds of change one server's replica of a session sends to the others (see
/// <see cref="RedisLiveSessionCoordinator"/>), with what each carries in its <see cref="LiveSessionChange"/>.
/// </summary>
internal static class LiveSessionChangeKind
{
    /// <summary>A page change: <see cref="LiveSessionChange.DocumentId"/> and <see cref="LiveSessionChange.Page"/>.</summary>
    public const string Page = "page";

    /// <summary>A document switch: <see cref="LiveSessionChange.DocumentId"/>, page 1.</summary>
    public const string Document = "document";

    /// <summary>A pointer move (transient): document, page and <see cref="LiveSessionChange.Position"/>.</summary>
    public const string Pointer = "pointer";

    /// <summary>A new list of <see cref="LiveSessionChange.Documents"/> and the document and page then shown.</summary>
    public const string Documents = "documents";

    /// <summary>The contract's <see cref="LiveSessionChange.Status"/>.</summary>
    public const string Status = "status";

    /// <summary>A signature (<see cref="LiveSessionChange.SignedBy"/>, <see cref="LiveSessionChange.SignedAt"/>), which freezes the values.</summary>
    public const string Signed = "signed";

    /// <summary>The signed contract's <see cref="LiveSessionChange.Sealed"/> PDF is stored.</summary>
    public const string Sealed = "sealed";

    /// <summary>The session ended.</summary>
    public const string Ended = "ended";

    /// <summary>A participant moved into <see cref="LiveSessionChange.FieldId"/> (or out of every field).</summary>
    public const string Focus = "focus";

    /// <summary>A field's <see cref="LiveSessionChange.Value"/>, set by someone of <see cref="LiveSessionChange.Role"/>.</summary>
    public const string Value = "value";

    /// <summary>The advisor guides the customer to <see cref="LiveSessionChange.FieldId"/> (transient).</summary>
    public const string Guide = "guide";

    /// <summary>A new list of <see cref="LiveSessionChange.Fields"/>.</summary>
    public const string Fields = "fields";

    /// <summary>The <see cref="LiveSessionChange.Participants"/> connected to the sending server.</summary>
    public const string Presence = "presence";

    /// <summary>A server asks the others for their presence in a session it has just opened.</summary>
    public const string Sync = "sync";

    /// <summary>A server's periodic sign of life: its load and each open session's local participants.</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>Whether a kind describes state that a server's own message re-asserts (last writer wins), rather than a passing event.</summary>
    public static bool IsState(string kind) => kind is Page or Document or Documents or Status or Sealed or Value or Fields or Ended;
}

/// <summary>
/// What a change carries between servers; which properties are set depends on its
/// <see cref="LiveSessionChangeKind"/>. <see cref="Actor"/> is who caused it.
/// </summary>
internal sealed record LiveSessionChange
{
    public LiveSessionActor? Actor { get; init; }

    public Guid? DocumentId { get; init; }

    public int? Page { get; init; }

    public PointerPosition? Position { get; init; }

    public IReadOnlyList<SessionDocument>? Documents { get; init; }

    public ContractStatus? Status { get; init; }

    public string? SignedBy { get; init; }

    public DateTimeOffset? SignedAt { get; init; }

    public Guid? FieldId { get; init; }

    public string? DisplayName { get; init; }

    public LiveFieldValue? Value { get; init; }

    public ParticipantRole? Role { get; init; }

    public IReadOnlyList<FieldDefinition>? Fields { get; init; }

    public IReadOnlyList<ParticipantPresence>? Participants { get; init; }

    public SessionSealedPdf? Sealed { get; init; }
}

/// <summary>Receives each change this server's replica of a session accepts, inside the session's lock, in the order accepted.</summary>
internal delegate void LiveSessionReplicator(Guid sessionId, string kind, LiveSessionChange change);
