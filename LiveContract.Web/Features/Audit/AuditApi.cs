using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Audit;

internal static class AuditApi
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/contracts/{id:guid}/audit", DownloadAsync).WithTags("Audit trail")
            .WithSummary("Download the contract's audit trail as a JSON file: every event with every field (hashes included) and the chain check.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        api.MapPost("/contracts/{id:guid}/audit/verify", VerifyAsync).WithTags("Audit trail")
            .WithSummary("Recompute the contract's hash chain: the number of events and the head hash, or the first broken event and why.");
        return api;
    }

    /// <summary>The export is written to the response as it is serialised, never buffered whole a second time.</summary>
    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid id, HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var outcome = await audit.ExportAsync(context.ToActor(), id, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        var export = outcome.Value!;
        return TypedResults.Stream(
            body => JsonSerializer.SerializeAsync(body, export, ExportJson, context.RequestAborted),
            "application/json",
            $"audit-{export.Reference}.json");
    }

    private static async Task<Results<Ok<ChainCheck>, ProblemHttpResult>> VerifyAsync(
        Guid id, HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var outcome = await audit.VerifyAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }
}
