namespace LiveContract.Core.IdentityChecks;

/// <summary>How the advisor saw the customer's identity document.</summary>
public enum AdvisorCheckMethod
{
    InPerson,
    Video,
}

/// <summary>
/// An identity check the advisor did and recorded on the contract: how, the kind of document and
/// its last four characters (never the whole number), who and when.
/// </summary>
public sealed class AdvisorIdentityCheck
{
    public const int MaxDocumentTypeLength = 64;

    public AdvisorCheckMethod Method { get; set; }

    public string DocumentType { get; set; } = "";

    public string DocumentEnding { get; set; } = "";

    public string CheckedById { get; set; } = "";

    public DateTimeOffset CheckedAt { get; set; }
}
