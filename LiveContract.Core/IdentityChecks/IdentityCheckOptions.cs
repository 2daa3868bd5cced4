using LiveContract.Core.Hosting;

namespace LiveContract.Core.IdentityChecks;

/// <summary>
/// The identity check before a customer joins a live session and before they sign
/// (<c>IdentityCheck:*</c>): on by default; an advisor may turn it off for one contract, the
/// installation for all with <see cref="Enabled"/>.
/// </summary>
public sealed class IdentityCheckOptions
{
    public const string Section = "IdentityCheck";

    /// <summary>Whether customers must confirm their identity at all; false turns the check off for every contract.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a code works once sent.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wrong tries a code takes before it stops working and a new one must be asked for.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The shortest time between two codes of one purpose for one link.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Codes one link may ask for in an hour, for joining and for signing each.</summary>
    public int MaxCodesPerHour { get; set; } = 5;

    /// <summary>Codes one client address may ask for in an hour, over every link.</summary>
    public int MaxCodesPerAddressPerHour { get; set; } = 20;

    /// <summary>Codes one client address may try in an hour, over every link.</summary>
    public int MaxAttemptsPerAddressPerHour { get; set; } = 50;

    /// <summary>How recent the code checked before signing must be.</summary>
    public TimeSpan SigningFreshness { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ConfigurationErrorException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        Positive(CodeLifetime, nameof(CodeLifetime), "00:10:00 (10 minutes)");
        Positive(ResendInterval, nameof(ResendInterval), "00:00:30 (30 seconds)");
        Positive(SigningFreshness, nameof(SigningFreshness), "00:10:00 (10 minutes)");
        AtLeastOne(MaxAttempts, nameof(MaxAttempts));
        AtLeastOne(MaxCodesPerHour, nameof(MaxCodesPerHour));
        AtLeastOne(MaxCodesPerAddressPerHour, nameof(MaxCodesPerAddressPerHour));
        AtLeastOne(MaxAttemptsPerAddressPerHour, nameof(MaxAttemptsPerAddressPerHour));
    }

    private static void Positive(TimeSpan value, string name, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{name} must be a positive time, such as {example}.");
        }
    }

    private static void AtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ConfigurationErrorException($"{Section}:{name} must be a whole number of at least 1.");
        }
    }
}
