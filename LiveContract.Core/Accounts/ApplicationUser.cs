using Microsoft.AspNetCore.Identity;

namespace LiveContract.Core.Accounts;

/// <summary>An advisor or administrator. Customers are not users: they arrive by session link.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>
    /// When an admin deactivated the account (the person left). A deactivated account is also
    /// locked out for good, so sign-in and API tokens refuse it; only reactivation undoes both.
    /// </summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}
