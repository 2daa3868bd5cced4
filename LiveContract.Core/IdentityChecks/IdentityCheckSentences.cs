using System.Globalization;

namespace LiveContract.Core.IdentityChecks;

/// <summary>How a passed identity check is said on the contract page and the certificate of completion.</summary>
public static class IdentityCheckSentences
{
    public static string ByCode(string destination, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"Identity checked by a code sent to {destination}, {at.UtcDateTime:HH:mm} UTC");

    public static string ByAdvisor(AdvisorCheckMethod method, string advisorName, string documentType, string documentEnding, DateTimeOffset at) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Identity checked {(method == AdvisorCheckMethod.Video ? "by video" : "in person")} by {advisorName} ({documentType} …{documentEnding}), {at.UtcDateTime:HH:mm} UTC");

    public static string TurnedOff(string advisorName) => $"No identity check (turned off by {advisorName})";

    public const string TurnedOffForInstallation = "No identity check (turned off for this installation)";
}
