using LiveContract.Core.Common;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The refusals of <see cref="ILiveSessionCoordinator"/>, so every implementation says the same thing; each is
/// worded in the language of whoever reads it (see <see cref="OperationError.ForCustomer"/>).
/// </summary>
public static class LiveSessionErrors
{
    public static readonly OperationError UnknownSession = OperationError.ForCustomer(ErrorKind.NotFound, "Error.Session.Unknown");

    public static readonly OperationError Ended = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.Ended");

    /// <summary>A session whose contract is signed: only those still in it stay (see <see cref="LiveSessionStatus.Completed"/>).</summary>
    public static readonly OperationError Completed = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.Completed");

    public static readonly OperationError OtherContract = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.OtherContract");

    public static readonly OperationError NotJoined = OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Session.NotJoined");

    public static readonly OperationError ConnectionAlreadyJoined = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.ConnectionAlreadyJoined");

    public static readonly OperationError OtherRole = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.OtherRole");

    public static readonly OperationError DocumentNotInSession = OperationError.ForCustomer(ErrorKind.NotFound, "Error.Session.DocumentNotInSession");

    public static readonly OperationError PointerOffPage = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.PointerOffPage");

    public static readonly OperationError TooManyPageChanges = OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.TooManyPageChanges");

    public static readonly OperationError TooManyPointerMoves = OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.TooManyPointerMoves");

    public static readonly OperationError Stopping = OperationError.ForCustomer(ErrorKind.Unavailable, "Error.Session.Stopping");

    public static readonly OperationError NoDocuments = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.NoDocuments");

    public static readonly OperationError DuplicateDocument = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.DuplicateDocument");

    public static readonly OperationError EmptyDocument = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.EmptyDocument");

    public static readonly OperationError FieldNotInSession = OperationError.ForCustomer(ErrorKind.NotFound, "Error.Session.FieldNotInSession");

    public static readonly OperationError OtherPartysField = OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Session.OtherPartysField");

    public static readonly OperationError FieldsNotInReview = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.FieldsNotInReview");

    public static readonly OperationError FieldsFrozen = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.FieldsFrozen");

    public static readonly OperationError FieldsHeld = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Session.FieldsHeld");

    public static readonly OperationError TooManyFieldChanges = OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.TooManyFieldChanges");

    public static readonly OperationError GuideAdvisorOnly = OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Session.GuideAdvisorOnly");

    public static readonly OperationError GuideCustomerFieldsOnly = OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.GuideCustomerFieldsOnly");

    public static readonly OperationError TooManyCommits = OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.TooManyCommits");

    public static readonly OperationError FieldValuesNotSaved = OperationError.ForCustomer(ErrorKind.Unavailable, "Error.Session.FieldValuesNotSaved");

    /// <summary>The participant already has <paramref name="limit"/> connections to the session (on every server together).</summary>
    public static OperationError TooManyConnections(int limit) => limit == 1
        ? OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.AlreadyConnected")
        : OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Session.TooManyConnections", limit);

    /// <summary>A value that no field of its kind can hold (see <see cref="Fields.FieldValueRules.Refusal"/>).</summary>
    public static OperationError ValueRefused(string sentence) => new(ErrorKind.Invalid, sentence);

    public static OperationError PageOutOfRange(int page, int pageCount) => pageCount == 1
        ? OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.NoSuchPageOfOne", page)
        : OperationError.ForCustomer(ErrorKind.Invalid, "Error.Session.NoSuchPage", page, pageCount);
}
