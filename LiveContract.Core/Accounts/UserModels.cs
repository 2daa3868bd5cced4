namespace LiveContract.Core.Accounts;

/// <summary>Where an account stands: it may sign in, it is locked (for now), or the person left.</summary>
public enum UserStatus
{
    Active,
    Locked,
    Deactivated,
}

public enum UserSort
{
    Name,
    Email,
    LastLogin,
    CreatedAt,
}

/// <summary>A page of the users table: searched (name or email), sorted and paged in the database.</summary>
public sealed record UserQuery(int Page = 1, int PageSize = 20, string? Search = null, UserSort Sort = UserSort.Name, bool Descending = false)
{
    public const int MaxPageSize = 100;
}

/// <summary>
/// An account as administrators see it, with how many of the person's contracts are open (Draft
/// or Review) and signed.
/// </summary>
public sealed record UserSummary(
    string Id,
    string DisplayName,
    string Email,
    IReadOnlyList<string> Roles,
    UserStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt,
    DateTimeOffset? DeactivatedAt,
    int OpenContracts,
    int SignedContracts)
{
    /// <summary>Whether the person cannot sign in now (locked, or deactivated and so locked for good).</summary>
    public bool IsLocked => Status != UserStatus.Active;
}

/// <summary>An advisor who can take over contracts: active, not locked, with the Advisor role.</summary>
public sealed record AdvisorChoice(string Id, string DisplayName, string Email);

/// <summary>Someone who holds contracts, for filtering the admin's contract list.</summary>
public sealed record ContractOwner(string Id, string DisplayName, bool Deactivated);

/// <summary>
/// What deactivating an account would touch, shown before the admin confirms: the open contracts
/// that need a new advisor and the live sessions that end, and who could take the contracts over.
/// </summary>
public sealed record DeactivationImpact(
    string UserId,
    string DisplayName,
    string Email,
    int OpenContracts,
    int ActiveSessions,
    IReadOnlyList<AdvisorChoice> Advisors);

/// <summary>
/// What a deactivation did: whether this request deactivated the account (false when it was
/// already), who took its open contracts over and how many, and how many live sessions it ended.
/// </summary>
public sealed record Deactivation(string UserId, bool DeactivatedNow, string? ReassignedToId, int ContractsReassigned, int SessionsEnded);
