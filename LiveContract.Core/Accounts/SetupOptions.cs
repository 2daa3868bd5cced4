namespace LiveContract.Core.Accounts;

/// <summary>
/// Optional first administrator for automated installs. When both email and password are set
/// and no administrator exists yet, start-up creates this account and the first-run page is
/// never shown.
/// </summary>
public sealed class SetupOptions
{
    public const string Section = "Setup";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string AdminName { get; set; } = "Administrator";
}
