using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>The body of <c>PUT /api/contracts/{id}/fields/{fieldId}/value</c>: the value as text (a checkbox "true" or "", a date yyyy-MM-dd, a number like 1250.50).</summary>
public sealed record SetFieldValueRequest(string? Value);

/// <summary>
/// A field's value as stored: its version (the number of accepted changes) and why it does not meet the field's rules yet,
/// or null. The problem is the one the live session shares with both parties: English, with dates and numbers in their
/// stored forms, whatever the request's language (a refusal of the value, by contrast, is in the request's language).
/// </summary>
public sealed record FieldValueResponse(string Value, long Version, string? Problem);

internal static class FieldValuesApi
{
    /// <summary>Maps the value endpoint for the party that owns the field: its advisor (cookie or API token) or the customer (link cookie or token).</summary>
    public static IEndpointRouteBuilder MapFieldValuesApi(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        endpoints.MapPut("/api/contracts/{id:guid}/fields/{fieldId:guid}/value", SetAsync)
            .RequireAuthorization(authorizationPolicy)
            .WithTags("Fields")
            .WithSummary("Fill in one of your own fields (the advisor's or, with the session link, the customer's) while the contract is in review; through the live session when one is active, durable before the answer.");
        return endpoints;
    }

    private static async Task<Results<Ok<FieldValueResponse>, ProblemHttpResult>> SetAsync(
        Guid id, Guid fieldId, SetFieldValueRequest request, HttpContext context, FieldValueService values, CancellationToken cancellationToken)
    {
        if (request.Value is null)
        {
            return TypedResults.Problem(
                detail: "Send the field's value as text, e.g. {\"value\": \"Ada Lovelace\"}; an empty text clears it.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var caller = context.User.ToSessionCaller(ClientConnection.From(context));
        if (caller is null)
        {
            return ApiResults.Problem(LiveSessionErrors.NotJoined);
        }

        var outcome = await values.SetAsync(caller, id, fieldId, request.Value, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new FieldValueResponse(outcome.Value!.Value, outcome.Value.Version, outcome.Value.Problem))
            : ApiResults.Problem(outcome.Error!);
    }
}
