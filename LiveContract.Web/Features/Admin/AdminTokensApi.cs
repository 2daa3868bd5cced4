using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Admin;

/// <summary>Every user's API tokens, for administrators: list them and revoke any.</summary>
internal static class AdminTokensApi
{
    public static RouteGroupBuilder MapAdminTokensApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/tokens", ListAsync).WithTags("Administration")
            .WithSummary("Every user's API tokens, newest first, with their owner; never a secret, only its prefix.");
        admin.MapPost("/tokens/{id:guid}/revoke", RevokeAsync).WithTags("Administration")
            .WithSummary("Revoke anyone's API token: it stops authenticating at once. Revoking a revoked token changes nothing.");
        return admin;
    }

    private static async Task<Ok<PagedResult<AdminApiTokenSummary>>> ListAsync(
        ApiTokenService tokens, CancellationToken cancellationToken, int page = 1, int pageSize = 50) =>
        TypedResults.Ok(await tokens.ListAllAsync(new ApiTokenQuery(page, pageSize), cancellationToken));

    private static async Task<Results<Ok<ApiTokenSummary>, ProblemHttpResult>> RevokeAsync(
        Guid id, HttpContext context, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        var outcome = await tokens.RevokeAsAdminAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
