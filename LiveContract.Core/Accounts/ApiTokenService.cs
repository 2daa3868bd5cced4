using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Accounts;

public sealed record ApiTokenSummary(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Personal API tokens: created and revoked by their owner, presented as <c>Authorization: Bearer</c>.</summary>
public sealed class ApiTokenService(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time)
{
    public const string SecretPrefix = "lc_";
    public const int MaxNameLength = 100;
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token; the returned secret is never stored and cannot be shown again.</summary>
    public async Task<Outcome<(ApiTokenSummary Token, string Secret)>> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return new OperationError(ErrorKind.Invalid, $"Give the token a name (at most {MaxNameLength} characters) that says where it is used.");
        }

        var secret = SecretTokens.Create(SecretPrefix);
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name,
            Prefix = secret[..(SecretPrefix.Length + 6)],
            TokenHash = SecretTokens.Hash(secret),
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (ToSummary(token), secret);
    }

    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        return tokens.OrderByDescending(t => t.CreatedAt).Select(ToSummary).ToList();
    }

    public async Task<Outcome<ApiTokenSummary>> RevokeAsync(string userId, Guid tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return OperationError.NotFound("That token");
        }

        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ToSummary(token);
    }

    /// <summary>The user a presented secret belongs to, or null when it is unknown, revoked, or its owner is locked.</summary>
    public async Task<ApplicationUser?> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SecretTokens.Hash(presented);
        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.User is null || token.User.LockoutEnd > now)
        {
            return null;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedPrecision)
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return token.User;
    }

    private static ApiTokenSummary ToSummary(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}
