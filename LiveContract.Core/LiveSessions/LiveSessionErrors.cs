using LiveContract.Core.Common;

namespace LiveContract.Core.LiveSessions;

/// <summary>The refusals of <see cref="ILiveSessionCoordinator"/>, so every implementation says the same thing.</summary>
public static class LiveSessionErrors
{
    public static readonly OperationError UnknownSession = OperationError.NotFound("That live session");

    public static readonly OperationError Ended = new(ErrorKind.Conflict, "This live session has ended.");

    /// <summary>A session whose contract is signed: only those still in it stay (see <see cref="LiveSessionStatus.Completed"/>).</summary>
    public static readonly OperationError Completed = new(
        ErrorKind.Conflict,
        "This contract is signed, so its live session is complete and can no longer be joined. The signed PDF is in the email sent at signing and on the contract page.");

    public static readonly OperationError OtherContract = new(ErrorKind.Conflict, "That live session belongs to another contract.");

    public static readonly OperationError NotJoined = new(ErrorKind.Forbidden, "Join the live session before acting in it.");

    public static readonly OperationError ConnectionAlreadyJoined = new(ErrorKind.Conflict, "This connection has already joined the live session.");

    public static readonly OperationError OtherRole = new(ErrorKind.Conflict, "That participant is already in the live session with another role.");

    public static readonly OperationError DocumentNotInSession = new(ErrorKind.NotFound, "That document is not part of this live session.");

    public static readonly OperationError PointerOffPage = new(ErrorKind.Invalid, "A pointer position must be between 0 and 1 across and down the page.");

    public static readonly OperationError TooManyPageChanges = new(ErrorKind.TooManyRequests, "Pages are changing too quickly; wait a moment and try again.");

    public static readonly OperationError TooManyPointerMoves = new(ErrorKind.TooManyRequests, "The pointer is moving too quickly; this position was skipped.");

    public static readonly OperationError Stopping = new(ErrorKind.Unavailable, "Live sessions are stopping on this server; reload the page in a moment.");

    public static readonly OperationError NoDocuments = new(ErrorKind.Invalid, "A live session needs at least one document to show.");

    public static readonly OperationError DuplicateDocument = new(ErrorKind.Invalid, "Each document may appear only once in a live session.");

    public static readonly OperationError EmptyDocument = new(ErrorKind.Invalid, "Every document of a live session must have at least one page.");

    public static readonly OperationError FieldNotInSession = new(ErrorKind.NotFound, "That field is not part of this contract.");

    public static readonly OperationError OtherPartysField = new(ErrorKind.Forbidden, "That field is for the other party to fill in.");

    public static readonly OperationError FieldsNotInReview = new(ErrorKind.Conflict, "Fields can be filled in only while the contract is in review.");

    public static readonly OperationError FieldsFrozen = new(ErrorKind.Conflict, "The fields cannot change any more: the contract has been signed.");

    public static readonly OperationError FieldsHeld = new(ErrorKind.Conflict, "A signature is being recorded; the fields cannot change at this moment.");

    public static readonly OperationError TooManyFieldChanges = new(ErrorKind.TooManyRequests, "Fields are changing too quickly; wait a moment and try again.");

    public static readonly OperationError GuideAdvisorOnly = new(ErrorKind.Forbidden, "Only the advisor guides the customer to a field.");

    public static readonly OperationError GuideCustomerFieldsOnly = new(ErrorKind.Invalid, "The advisor can guide the customer only to the customer's own fields.");

    public static readonly OperationError TooManyCommits = new(ErrorKind.TooManyRequests, "Fields are being saved too often; wait a moment and try again.");

    public static readonly OperationError FieldValuesNotSaved = new(ErrorKind.Unavailable, "The field values could not be saved; try again in a moment.");

    /// <summary>The participant already has <paramref name="limit"/> connections to the session (on every server together).</summary>
    public static OperationError TooManyConnections(int limit) =>
        new(ErrorKind.TooManyRequests, limit == 1
            ? "You are already connected to this live session in another window or tab; close it and try again."
            : $"You are already connected to this live session {limit} times (other windows, tabs or programs); close one and try again.");

    /// <summary>A value that no field of its kind can hold (see <see cref="Fields.FieldValueRules.Refusal"/>).</summary>
    public static OperationError ValueRefused(string sentence) => new(ErrorKind.Invalid, sentence);

    public static OperationError PageOutOfRange(int page, int pageCount) =>
        new(ErrorKind.Invalid, pageCount == 1
            ? $"Page {page} does not exist; this document has 1 page."
            : $"Page {page} does not exist; this document has pages 1 to {pageCount}.");
}
