using LiveContract.Core.Common;

namespace LiveContract.Core.LiveSessions;

/// <summary>The refusals of <see cref="ILiveSessionCoordinator"/>, so every implementation says the same thing.</summary>
public static class LiveSessionErrors
{
    public static readonly OperationError UnknownSession = OperationError.NotFound("That live session");

    public static readonly OperationError Ended = new(ErrorKind.Conflict, "This live session has ended.");

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

    public static OperationError PageOutOfRange(int page, int pageCount) =>
        new(ErrorKind.Invalid, pageCount == 1
            ? $"Page {page} does not exist; this document has 1 page."
            : $"Page {page} does not exist; this document has pages 1 to {pageCount}.");
}
