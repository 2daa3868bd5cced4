using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Accounts;

public sealed record ApiTokenSummary(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A token as administrators see it: with its owner, never its secret (only the prefix).</summary>
public sealed record AdminApiTokenSummary(
    Guid Id,
    string Name,
    string Prefix,
    string OwnerId,
    string OwnerName,
    string? OwnerEmail,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A page of every user's tokens, newest first.</summary>
public sealed record ApiTokenQuery(int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 200;
}

/// <summary>
/// Personal API tokens: created and revoked by their owner (an admin may revoke anyone's),
/// presented as <c>Authorization: Bearer</c>. Each creation and revocation is recorded on the
/// system audit stream in the same SaveChanges.
/// </summary>
public sealed class ApiTokenService(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time)
{
    public const string SecretPrefix = "lc_";
    public const int MaxNameLength = 100;
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token; the returned secret is never stored and cannot be shown again.</summary>
    public async Task<Outcome<(ApiTokenSummary Token, string Secret)>> CreateAsync(Actor owner, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return new OperationError(ErrorKind.Invalid, $"Give the token a name (at most {MaxNameLength} characters) that says where it is used.");
        }

        if (FreeText.Check(name, "token's name") is { } hidden)
        {
            return hidden;
        }

        var secret = SecretTokens.Create(SecretPrefix);
        var id = Guid.NewGuid();
        var now = time.GetUtcNow();
        var token = await AuditWrites.RunOrThrowAsync(databases, async db =>
        {
            var token = new ApiToken
            {
                Id = id,
                UserId = owner.UserId,
                Name = name,
                Prefix = secret[..(SecretPrefix.Length + 6)],
                TokenHash = SecretTokens.Hash(secret),
                CreatedAt = now,
            };
            db.ApiTokens.Add(token);
            await AppendAsync(db, AuditEventTypes.TokenCreated, owner, token, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return token;
        }, cancellationToken);
        return (ToSummary(token), secret);
    }

    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        return tokens.OrderByDescending(t => t.CreatedAt).Select(ToSummary).ToList();
    }

    /// <summary>Revokes one of the owner's own tokens; revoking a revoked token changes nothing and records nothing.</summary>
    public Task<Outcome<ApiTokenSummary>> RevokeAsync(Actor owner, Guid tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return RevokeAsync(owner, tokenId, t => t.Id == tokenId && t.UserId == owner.UserId, cancellationToken);
    }

    /// <summary>Every user's tokens, newest first, one page at a time (paged and counted in the database).</summary>
    public async Task<PagedResult<AdminApiTokenSummary>> ListAllAsync(ApiTokenQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, ApiTokenQuery.MaxPageSize);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var total = await db.ApiTokens.CountAsync(cancellationToken);
        var items = await db.ApiTokens.AsNoTracking()
            .OrderByDescending(t => t.CreatedAt)
            .ThenBy(t => t.Id)
            .Skip((page - 1) * size)
            .Take(size)
            .Select(t => new AdminApiTokenSummary(
                t.Id,
                t.Name,
                t.Prefix,
                t.UserId,
                t.User!.DisplayName,
                t.User.Email,
                t.CreatedAt,
                t.LastUsedAt,
                t.RevokedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<AdminApiTokenSummary>(items, total, page, size);
    }

    /// <summary>An administrator revokes anyone's token (it stops authenticating at once). Revoking a revoked token changes nothing.</summary>
    public Task<Outcome<ApiTokenSummary>> RevokeAsAdminAsync(Actor admin, Guid tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsAdmin)
        {
            return Task.FromResult<Outcome<ApiTokenSummary>>(new OperationError(ErrorKind.Forbidden, "Only an administrator can revoke another person's token."));
        }

        return RevokeAsync(admin, tokenId, t => t.Id == tokenId, cancellationToken);
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

    private Task<Outcome<ApiTokenSummary>> RevokeAsync(Actor actor, Guid tokenId, System.Linq.Expressions.Expression<Func<ApiToken, bool>> visible, CancellationToken cancellationToken) =>
        AuditWrites.RunAsync<ApiTokenSummary>(databases, async db =>
        {
            var token = await db.ApiTokens.SingleOrDefaultAsync(visible, cancellationToken);
            if (token is null)
            {
                return OperationError.NotFound("That token");
            }

            if (token.RevokedAt is null)
            {
                token.RevokedAt = time.GetUtcNow();
                await AppendAsync(db, AuditEventTypes.TokenRevoked, actor, token, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            return ToSummary(token);
        }, cancellationToken);

    /// <summary>
    /// Revokes every active token of <paramref name="userId"/> in <paramref name="db"/>, each with its
    /// <c>token.revoked</c> event (not saved: the caller's unit of work saves them with its change).
    /// </summary>
    internal static async Task<int> RevokeAllAsync(LiveContractDbContext db, string userId, AuditActor who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tokens = await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.RevokedAt = now;
            await AppendAsync(db, AuditEventTypes.TokenRevoked, who, token, now, cancellationToken);
        }

        return tokens.Count;
    }

    private Task AppendAsync(LiveContractDbContext db, string type, Actor actor, ApiToken token, CancellationToken cancellationToken) =>
        AppendAsync(db, type, AuditActor.For(actor), token, time.GetUtcNow(), cancellationToken);

    private static Task AppendAsync(LiveContractDbContext db, string type, AuditActor who, ApiToken token, DateTimeOffset now, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(db, AuditStreams.System, type, who, new { tokenId = token.Id, name = token.Name, prefix = token.Prefix, ownerId = token.UserId }, now, cancellationToken);

    private static ApiTokenSummary ToSummary(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}
