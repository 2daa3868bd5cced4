namespace LiveContract.Core.Accounts;

/// <summary>A personal API token. Only its SHA-256 is stored; the secret is shown once, at creation.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    public string UserId { get; set; } = "";

    public ApplicationUser? User { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The first characters of the secret, so people can tell their tokens apart.</summary>
    public string Prefix { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
