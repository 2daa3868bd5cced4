using LiveContract.Core.Hosting;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>How LiveContract seals signed contracts: the organisation's certificate and the certificate of completion's font.</summary>
public sealed class SealingOptions
{
    public const string Section = "Sealing";

    /// <summary>Where Debian's <c>fonts-dejavu-core</c> puts DejaVu Sans.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Longest organisation name a certificate subject holds (X.520 upper bound).</summary>
    public const int MaxOrganisationLength = 64;

    /// <summary>
    /// A PKCS#12 file (<c>.p12</c>/<c>.pfx</c>) with the organisation's sealing certificate and its
    /// private key (and, optionally, its chain). Relative to the data directory unless absolute.
    /// When not set, LiveContract makes a self-signed certificate on first use and keeps it in the
    /// database, encrypted with the master key.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The organisation named in a self-made certificate's subject (<c>O=</c>).</summary>
    public string Organisation { get; set; } = "LiveContract";

    /// <summary>The TrueType font (<c>.ttf</c>) the certificate of completion is written in.</summary>
    public string FontPath { get; set; } = DefaultFontPath;

    /// <summary>
    /// Further TrueType fonts for characters <see cref="FontPath"/> lacks (for example a CJK font for
    /// Chinese, Japanese or Korean names), tried in order. A character no font has is written as "?".
    /// </summary>
    public string[] FallbackFontPaths { get; set; } = [];

    /// <summary>
    /// How long a sealer holds a contract's sealing lease (see <see cref="SealingLease"/>) before
    /// another may take it over: longer than building and storing the largest sealed PDF takes,
    /// short enough that a server that died while sealing delays the seal only that long.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a sealer that finds the lease held waits for its holder's sealed PDF (or for the
    /// lease to end) before answering that the contract is being sealed elsewhere (the background
    /// worker then tries again later).
    /// </summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The subject of a self-made certificate.</summary>
    public string GeneratedSubject() => $"CN=LiveContract document sealing, O={Organisation.Trim()}";

    /// <summary>Checks the settings that need no file; throws <see cref="ConfigurationErrorException"/> on the first wrong one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Organisation) || Organisation.Trim().Length > MaxOrganisationLength)
        {
            throw new ConfigurationErrorException(
                $"{Section}:Organisation is '{Organisation}'; set it to your organisation's name, 1 to {MaxOrganisationLength} characters, as it should appear in the sealing certificate.");
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrEmpty(CertificatePassword))
        {
            throw new ConfigurationErrorException(
                $"{Section}:CertificatePassword is set but {Section}:CertificatePath is not. Set the path of the PKCS#12 file the password opens, or remove the password.");
        }

        if (LeaseDuration <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException(
                $"{Section}:LeaseDuration is {LeaseDuration}; set it to how long one server may take to seal a contract before another takes over, such as 00:02:00.");
        }

        if (LeaseWait < TimeSpan.Zero)
        {
            throw new ConfigurationErrorException(
                $"{Section}:LeaseWait is {LeaseWait}; set it to how long a sealer waits for another server's sealed PDF, such as 00:00:30 (00:00:00 not to wait).");
        }

        if (string.IsNullOrWhiteSpace(FontPath))
        {
            throw new ConfigurationErrorException(
                $"{Section}:FontPath is empty. Set it to a TrueType font such as DejaVu Sans ({DefaultFontPath}, Debian package fonts-dejavu-core).");
        }
    }
}
