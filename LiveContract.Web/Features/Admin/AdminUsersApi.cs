using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Admin;

public sealed record DeactivateUserRequest(string? ReassignTo);

public sealed record ChangeRolesRequest(IReadOnlyList<string>? Roles);

internal static class AdminUsersApi
{
    public static RouteGroupBuilder MapAdminUsersApi(this RouteGroupBuilder admin)
    {
        var users = admin.MapGroup("/users").WithTags("Administration: users");
        users.MapGet("/", ListAsync).WithSummary("Accounts, paged and searched by name or email, with status and open/signed contract counts.");
        users.MapPost("/{id}/deactivate", DeactivateAsync).WithSummary("Deactivate an account; its open contracts go to reassignTo (an active advisor; required when it has any).");
        users.MapPost("/{id}/reactivate", ReactivateAsync).WithSummary("Let a deactivated account sign in again.");
        users.MapPut("/{id}/roles", ChangeRolesAsync).WithSummary("Set the account's roles (Advisor, Admin or both).");
        return admin;
    }

    private static Task<PagedResult<UserSummary>> ListAsync(
        UserAdministration accounts,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20,
        string? search = null,
        UserSort sort = UserSort.Name,
        bool descending = false) =>
        accounts.ListAsync(new UserQuery(page, pageSize, search, sort, descending), cancellationToken);

    private static async Task<Results<Ok<Deactivation>, ProblemHttpResult>> DeactivateAsync(
        string id, DeactivateUserRequest? request, HttpContext context, UserDeactivation deactivations, CancellationToken cancellationToken)
    {
        var outcome = await deactivations.DeactivateAsync(context.ToActor(), id, request?.ReassignTo, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> ReactivateAsync(
        string id, HttpContext context, UserDeactivation deactivations, CancellationToken cancellationToken)
    {
        var outcome = await deactivations.ReactivateAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> ChangeRolesAsync(
        string id, ChangeRolesRequest request, HttpContext context, UserAdministration accounts, CancellationToken cancellationToken)
    {
        var outcome = await accounts.ChangeRolesAsync(context.ToActor(), id, request.Roles ?? [], cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
