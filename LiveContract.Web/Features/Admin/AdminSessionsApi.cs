using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Admin;

internal static class AdminSessionsApi
{
    private static readonly OperationError UnknownState =
        new(ErrorKind.Invalid, "state must be 'active', 'completed', 'ended' or 'finished' (completed and ended).");

    public static RouteGroupBuilder MapAdminSessionsApi(this RouteGroupBuilder admin)
    {
        var sessions = admin.MapGroup("/sessions").WithTags("Administration");
        sessions.MapGet("/", ListAsync)
            .WithSummary("Live sessions, paged: the active ones (state=active, with who is connected to this server and the last activity), or the finished ones, newest first: state=completed (their contract was signed), state=ended, or state=finished (both; each row's status says which).");
        sessions.MapPost("/{id:guid}/end", EndAsync)
            .WithSummary("End a live session for everyone, as an administrator; recorded on the contract's audit trail.");
        return admin;
    }

    private static async Task<Results<Ok<PagedResult<ActiveSessionRow>>, Ok<PagedResult<EndedSessionRow>>, ProblemHttpResult>> ListAsync(
        LiveSessionAdministration administration,
        CancellationToken cancellationToken,
        string state = "active",
        int page = 1,
        int pageSize = 20)
    {
        if (string.Equals(state, "active", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Ok(await administration.ListActiveAsync(new SessionListQuery(page, pageSize), cancellationToken));
        }

        LiveSessionStatus? only = state.ToLowerInvariant() switch
        {
            "ended" => LiveSessionStatus.Ended,
            "completed" => LiveSessionStatus.Completed,
            "finished" => null,
            _ => LiveSessionStatus.Active,
        };
        return only == LiveSessionStatus.Active
            ? ApiResults.Problem(UnknownState)
            : TypedResults.Ok(await administration.ListFinishedAsync(new SessionListQuery(page, pageSize, SessionSort.EndedAt), only, cancellationToken));
    }

    private static async Task<Results<Ok<LiveSessionInfo>, ProblemHttpResult>> EndAsync(Guid id, HttpContext context, LiveSessionService sessions, CancellationToken cancellationToken)
    {
        var outcome = await sessions.EndAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
