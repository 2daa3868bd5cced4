namespace LiveContract.Core.IdentityChecks;

/// <summary>
/// What a customer link's contract asks of its customer: whether a code is needed, where codes
/// can go (masked; the phone only when text messages can be sent), and how long a code works.
/// </summary>
public sealed record IdentityRequirement(bool CodeRequired, string Email, string? Phone, TimeSpan CodeLifetime);

/// <summary>A code sent: where to (masked), by which channel, and until when it works.</summary>
public sealed record SentCode(CodeChannel Channel, string To, DateTimeOffset ExpiresAt);

/// <summary>A code accepted: its id (for a join code, the device's pass) and when.</summary>
public sealed record PassedCheck(Guid CheckId, CodePurpose Purpose, DateTimeOffset At);

/// <summary>The advisor's view of a contract's identity check.</summary>
public sealed record IdentityCheckSettings(
    bool InstallationEnabled,
    bool TurnedOff,
    string? TurnedOffBy,
    string? CustomerPhone,
    bool SmsAvailable,
    AdvisorCheckInfo? AdvisorCheck,
    string Summary);

/// <summary>An identity check the advisor recorded, with the advisor's name.</summary>
public sealed record AdvisorCheckInfo(AdvisorCheckMethod Method, string DocumentType, string DocumentEnding, string CheckedBy, DateTimeOffset CheckedAt);

/// <summary>The advisor's changes; null leaves a setting as it is, an empty phone removes it.</summary>
public sealed record IdentityCheckChange(bool? Required = null, string? CustomerPhone = null);

/// <summary>An identity check the advisor did: how, the document's kind and its last four characters.</summary>
public sealed record AdvisorCheckRequest(AdvisorCheckMethod Method, string? DocumentType, string? DocumentEnding);
