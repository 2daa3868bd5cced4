using LiveContract.Core.Contracts;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Admin;

public sealed record ReassignContractRequest(string? AdvisorId);

internal static class AdminContractsApi
{
    public static RouteGroupBuilder MapAdminContractsApi(this RouteGroupBuilder admin)
    {
        var contracts = admin.MapGroup("/contracts").WithTags("Administration: contracts");
        contracts.MapGet("/", ContractsApi.ListAsync).WithSummary("Every contract, paged, filtered (status, advisor, search) and sorted on the server.");
        contracts.MapPost("/{id:guid}/reassign", ReassignAsync).WithSummary("Give an open (draft or review) contract to another active advisor; its live session ends.");
        return admin;
    }

    private static async Task<Results<Ok<ContractDetails>, ProblemHttpResult>> ReassignAsync(
        Guid id, ReassignContractRequest request, HttpContext context, ContractReassignment reassignment, CancellationToken cancellationToken)
    {
        var outcome = await reassignment.ReassignAsync(context.ToActor(), id, request.AdvisorId ?? "", cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
