using LiveContract.Core.Fields;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features.Fields;

/// <summary>
/// A field as an API client places or changes it. To place one, send every property but the
/// optional <c>rules</c> and <c>options</c> (<c>required</c> defaults to false). To change one
/// (PATCH), send only what changes: <c>rules</c> and <c>options</c>, when sent, replace the whole
/// rule set or option list; the field is then checked as a whole.
/// </summary>
public sealed record FieldRequest(
    Guid? DocumentId,
    int? Page,
    FieldBox? Box,
    FieldKind? Kind,
    string? Label,
    FieldParty? Party,
    bool? Required,
    FieldRuleSet? Rules,
    IReadOnlyList<string>? Options)
{
    /// <summary>The field as it should be: what was sent over <paramref name="current"/> (or over nothing, for a new field; the service refuses what is missing).</summary>
    public FieldDraft ToDraft(FieldDefinition? current) => new(
        DocumentId ?? current?.DocumentId ?? Guid.Empty,
        Page ?? current?.Page ?? 0,
        (Box ?? current?.Box)!,
        Kind ?? current?.Kind ?? FieldKind.Text,
        Label ?? current?.Label ?? "",
        Party ?? current?.Party ?? FieldParty.Customer,
        Required ?? current?.Required ?? false,
        Rules ?? current?.Rules,
        Options ?? current?.Options);
}

internal static class FieldsApi
{
    /// <summary>The endpoints for advisors and admins, in the staff API group: reading a contract's fields, and placing, changing and removing them in Draft.</summary>
    public static RouteGroupBuilder MapFieldsApi(this RouteGroupBuilder api)
    {
        var fields = api.MapGroup("/contracts/{id:guid}/fields").WithTags("Fields");
        fields.MapGet("/", ListAsync).WithSummary("The contract's fields in reading order: document, page, top to bottom, left to right. Boxes are in PDF points in the page's unrotated user space.");
        fields.MapPost("/", CreateAsync).WithSummary("Place a field on a page of one of the contract's documents (its advisor, Draft only).");
        fields.MapPatch("/{fieldId:guid}", UpdateAsync).WithSummary("Change a field: only the properties sent change, then the whole field is checked (its advisor, Draft only).");
        fields.MapDelete("/{fieldId:guid}", DeleteAsync).WithSummary("Remove a field and its value (its advisor, Draft only).");
        return api;
    }

    /// <summary>The fields of a live session's contract, for its participants (advisor, admin, or the customer by link), under <paramref name="authorizationPolicy"/>.</summary>
    public static IEndpointRouteBuilder MapSessionFieldsApi(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        endpoints.MapGet("/api/sessions/{id:guid}/fields", SessionListAsync)
            .RequireAuthorization(authorizationPolicy)
            .WithTags("Fields")
            .WithSummary("The fields of the session's contract, as a participant of the session sees them.");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<FieldDefinition>>, ProblemHttpResult>> ListAsync(Guid id, HttpContext context, FieldService fields, CancellationToken cancellationToken)
    {
        var outcome = await fields.ListAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<IReadOnlyList<FieldDefinition>>, ProblemHttpResult>> SessionListAsync(Guid id, HttpContext context, FieldService fields, CancellationToken cancellationToken)
    {
        var caller = context.User.ToSessionCaller(ClientConnection.From(context))
            ?? throw new InvalidOperationException("The session participant policy let in a caller who is neither staff nor a customer.");
        var outcome = await fields.ListForSessionAsync(caller, id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Created<FieldDefinition>, ProblemHttpResult>> CreateAsync(Guid id, FieldRequest request, HttpContext context, FieldService fields, CancellationToken cancellationToken)
    {
        if (request is not { DocumentId: not null, Page: not null, Box: not null, Kind: not null, Label: not null, Party: not null })
        {
            return TypedResults.Problem(
                title: "Invalid request",
                detail: "Send the new field's documentId, page, box (left, bottom, width, height), kind, label and party.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await fields.CreateAsync(context.ToActor(), id, request.ToDraft(null), cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/contracts/{id}/fields/{outcome.Value!.Id}", outcome.Value)
            : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<FieldDefinition>, ProblemHttpResult>> UpdateAsync(
        Guid id, Guid fieldId, FieldRequest request, HttpContext context, FieldService fields, CancellationToken cancellationToken)
    {
        var actor = context.ToActor();
        var current = await fields.GetAsync(actor, id, fieldId, cancellationToken);
        if (!current.Succeeded)
        {
            return ApiResults.Problem(current.Error!);
        }

        var outcome = await fields.UpdateAsync(actor, id, fieldId, request.ToDraft(current.Value), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Guid fieldId, HttpContext context, FieldService fields, CancellationToken cancellationToken)
    {
        var outcome = await fields.DeleteAsync(context.ToActor(), id, fieldId, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(outcome.Error!);
    }
}
