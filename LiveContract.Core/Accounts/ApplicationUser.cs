using Microsoft.AspNetCore.Identity;

namespace LiveContract.Core.Accounts;

/// <summary>An advisor or administrator. Customers are not users: they arrive by session link.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }
}
