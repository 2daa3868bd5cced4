using System.Security.Claims;
using LiveContract.Core.Contracts;
using LiveContract.Core.Localization;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Contracts;

/// <summary>A new contract; <see cref="Language"/> is the customer's (en, fr or de; English when left out), <see cref="CustomerTimeZone"/> an IANA name for times in their emails.</summary>
public sealed record CreateContractRequest(string Title, string CustomerName, string CustomerEmail, bool? AdvisorMustSign, string? Language = null, string? CustomerTimeZone = null);

/// <summary>Changes to a contract; what is left out stays as it is (an empty <see cref="CustomerTimeZone"/> forgets it).</summary>
public sealed record UpdateContractRequest(string? Title, ContractStatus? Status, bool? AdvisorMustSign, string? Language = null, string? CustomerTimeZone = null);

internal static class ContractsApi
{
    public static RouteGroupBuilder MapContractsApi(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Contracts");
        contracts.MapPost("/", CreateAsync).WithSummary("Create a contract in Draft for a customer (an existing customer with that email is reused).");
        contracts.MapGet("/", ListAsync).WithSummary("List the contracts you may see, paged, filtered and sorted on the server.");
        contracts.MapGet("/{id:guid}", GetAsync).WithSummary("One contract with its documents.");
        contracts.MapPatch("/{id:guid}", UpdateAsync).WithSummary("Change the title, the countersignature, the customer's language or time zone, or the status (Draft ↔ Review) as the rules allow.");
        return api;
    }

    private static async Task<Results<Created<ContractDetails>, ProblemHttpResult>> CreateAsync(CreateContractRequest request, HttpContext context, ContractService contracts, CancellationToken cancellationToken)
    {
        var outcome = await contracts.CreateAsync(
            context.ToActor(),
            new NewContract(
                request.Title ?? "",
                request.CustomerName ?? "",
                request.CustomerEmail ?? "",
                request.AdvisorMustSign ?? true,
                request.Language ?? Languages.Default,
                request.CustomerTimeZone),
            cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/contracts/{outcome.Value!.Id}", outcome.Value)
            : ApiResults.Problem(outcome.Error!);
    }

    /// <summary>The contracts the caller may see, paged and filtered; also the admin's list (<c>/api/admin/contracts</c>).</summary>
    internal static Task<PagedResult<ContractSummary>> ListAsync(
        HttpContext context,
        ContractService contracts,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20,
        ContractStatus? status = null,
        string? search = null,
        ContractSort sort = ContractSort.UpdatedAt,
        bool descending = true,
        string? advisorId = null) =>
        contracts.ListAsync(context.ToActor(), new ContractQuery(page, pageSize, status, search, sort, descending, advisorId), cancellationToken);

    private static async Task<Results<Ok<ContractDetails>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context, ContractService contracts, CancellationToken cancellationToken)
    {
        var outcome = await contracts.GetAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<ContractDetails>, ProblemHttpResult>> UpdateAsync(Guid id, UpdateContractRequest request, HttpContext context, ContractService contracts, CancellationToken cancellationToken)
    {
        var outcome = await contracts.UpdateAsync(context.ToActor(), id, new ContractChanges(request.Title, request.Status, request.AdvisorMustSign, request.Language, request.CustomerTimeZone), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
