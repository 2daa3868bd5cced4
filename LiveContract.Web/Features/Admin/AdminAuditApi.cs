using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Admin;

/// <summary>The system audit stream and the check of every chain, for administrators.</summary>
internal static class AdminAuditApi
{
    public static RouteGroupBuilder MapAdminAuditApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit/system", ListSystemAsync).WithTags("Administration")
            .WithSummary("A page of the system audit stream (sign-ins, accounts, tokens, settings), newest first; type is an event type or a family ending with a dot, e.g. 'user.'.");
        admin.MapPost("/audit/verify", VerifyAllAsync).WithTags("Administration")
            .WithSummary("Recompute every audit chain (the system stream and every contract's) in one scan: the totals (streams, events, broken) and the broken streams only. Recorded on the system stream.");
        return admin;
    }

    private static async Task<Results<Ok<PagedResult<AuditEntry>>, ProblemHttpResult>> ListSystemAsync(
        HttpContext context, AuditService audit, CancellationToken cancellationToken, int page = 1, int pageSize = 50, string? type = null, string? search = null)
    {
        var outcome = await audit.ListSystemAsync(context.ToActor(), new SystemAuditQuery(page, pageSize, type, search), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<ChainsReport>, ProblemHttpResult>> VerifyAllAsync(
        HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var outcome = await audit.VerifyAllAsync(context.ToActor(), cancellationToken: cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
