using System.Security.Claims;
using LiveContract.Core.Contracts;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Contracts;

public sealed record CreateContractRequest(string Title, string CustomerName, string CustomerEmail, bool? AdvisorMustSign);

public sealed record UpdateContractRequest(string? Title, ContractStatus? Status, bool? AdvisorMustSign);

internal static class ContractsApi
{
    public static RouteGroupBuilder MapContractsApi(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Contracts");
        contracts.MapPost("/", CreateAsync).WithSummary("Create a contract in Draft for a customer (an existing customer with that email is reused).");
        contracts.MapGet("/", ListAsync).WithSummary("List the contracts you may see, paged, filtered and sorted on the server.");
        contracts.MapGet("/{id:guid}", GetAsync).WithSummary("One contract with its documents.");
        contracts.MapPatch("/{id:guid}", UpdateAsync).WithSummary("Change the title, the countersignature, or the status (Draft ↔ Review) as the rules allow.");
        return api;
    }

    private static async Task<Results<Created<ContractDetails>, ProblemHttpResult>> CreateAsync(CreateContractRequest request, HttpContext context, ContractService contracts, CancellationToken cancellationToken)
    {
        var outcome = await contracts.CreateAsync(context.ToActor(), new NewContract(request.Title ?? "", request.CustomerName ?? "", request.CustomerEmail ?? "", request.AdvisorMustSign ?? true), cancellationToken);
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
        var outcome = await contracts.UpdateAsync(context.ToActor(), id, new ContractChanges(request.Title, request.Status, request.AdvisorMustSign), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
