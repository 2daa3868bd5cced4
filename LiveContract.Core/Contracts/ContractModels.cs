using LiveContract.Core.Documents;
using LiveContract.Core.Localization;

namespace LiveContract.Core.Contracts;

public sealed record NewContract(
    string Title,
    string CustomerName,
    string CustomerEmail,
    bool AdvisorMustSign = true,
    string Language = Languages.Default,
    string? CustomerTimeZone = null);

/// <summary>Changes to a contract; null means "leave as is" (an empty <see cref="CustomerTimeZone"/> forgets it).</summary>
public sealed record ContractChanges(
    string? Title = null,
    ContractStatus? Status = null,
    bool? AdvisorMustSign = null,
    string? Language = null,
    string? CustomerTimeZone = null);

public enum ContractSort
{
    UpdatedAt,
    CreatedAt,
    Reference,
    Title,
    Customer,
    Status,
}

public sealed record ContractQuery(
    int Page = 1,
    int PageSize = 20,
    ContractStatus? Status = null,
    string? Search = null,
    ContractSort Sort = ContractSort.UpdatedAt,
    bool Descending = true,
    string? AdvisorId = null)
{
    public const int MaxPageSize = 100;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record ContractSummary(
    Guid Id,
    string Reference,
    string Title,
    string CustomerName,
    string CustomerEmail,
    string AdvisorName,
    ContractStatus Status,
    int DocumentCount,
    DateTimeOffset UpdatedAt);

public sealed record DocumentSummary(
    Guid Id,
    Guid ContractId,
    string FileName,
    long Size,
    int PageCount,
    string Sha256,
    string? PinnedSha256,
    DocumentKind Kind,
    DateTimeOffset UploadedAt);

public sealed record ContractDetails(
    Guid Id,
    string Reference,
    string Title,
    string CustomerName,
    string CustomerEmail,
    string AdvisorId,
    string AdvisorName,
    ContractStatus Status,
    bool AdvisorMustSign,
    string Language,
    string? CustomerTimeZone,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ReviewStartedAt,
    DateTimeOffset? SignedAt,
    int Version,
    IReadOnlyList<DocumentSummary> Documents);
