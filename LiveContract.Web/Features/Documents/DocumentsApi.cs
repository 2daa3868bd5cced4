using System.Security.Claims;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LiveContract.Web.Features.Documents;

public sealed record DocumentResponse(DocumentSummary Document, string FileUrl, DateTimeOffset FileUrlExpiresAt);

internal static class DocumentsApi
{
    // What a customer's viewer may be told (in the request's language): the document link is stale, their session link closed, or the document is not theirs.
    private static readonly OperationError LinkNotValid = OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Document.LinkNotValid");

    private static readonly OperationError SessionLinkClosed = OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Document.SessionLinkClosed");

    private static readonly OperationError UnknownDocument = OperationError.ForCustomer(ErrorKind.NotFound, "Error.Document.Unknown");

    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/contracts/{id:guid}/documents", UploadAsync).WithTags("Documents")
            .WithSummary("Upload one or more PDFs (multipart/form-data) to a Draft contract.")
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
        api.MapGet("/contracts/{id:guid}/documents", ListAsync).WithTags("Documents").WithSummary("The contract's documents.");
        api.MapGet("/documents/{id:guid}", GetAsync).WithTags("Documents").WithSummary("A document's metadata and a short-lived link to its bytes.");
        api.MapDelete("/documents/{id:guid}", RemoveAsync).WithTags("Documents").WithSummary("Remove a document from a Draft contract.");
        return api;
    }

    /// <summary>The bytes behind a signed link, for staff and for customers holding a session link: <c>GET /documents/{id}/content?token=…</c>.</summary>
    public static void MapDocumentContent(this IEndpointRouteBuilder endpoints, string authorizationPolicy) =>
        endpoints.MapGet("/documents/{id:guid}/content", ContentAsync).RequireAuthorization(authorizationPolicy).ExcludeFromDescription();

    private static async Task<Results<Created<List<DocumentSummary>>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext context, DocumentService documents, IOptions<DocumentOptions> options, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = (options.Value.MaxUploadBytes * 10) + (1024 * 1024);
        }

        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
                : null;
        if (string.IsNullOrEmpty(boundary))
        {
            return Problem("Send the files as multipart/form-data.");
        }

        var actor = context.ToActor();
        var reader = new MultipartReader(boundary, context.Request.Body);
        var uploaded = new List<DocumentSummary>();
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
            {
                continue;
            }

            var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
            var outcome = await documents.UploadAsync(actor, id, fileName, section.Body, cancellationToken);
            if (!outcome.Succeeded)
            {
                var problem = ApiResults.Problem(new OperationError(outcome.Error!.Kind, $"'{FileNames.ForDisplay(fileName)}': {outcome.Error!.Message}"));
                problem.ProblemDetails.Extensions["uploaded"] = uploaded;
                return problem;
            }

            uploaded.Add(outcome.Value!);
        }

        return uploaded.Count == 0
            ? Problem("The request had no file. Send each PDF as a file field of multipart/form-data.")
            : TypedResults.Created($"/api/contracts/{id}/documents", uploaded);
    }

    private static async Task<Results<Ok<IReadOnlyList<DocumentSummary>>, ProblemHttpResult>> ListAsync(Guid id, HttpContext context, DocumentService documents, CancellationToken cancellationToken)
    {
        var outcome = await documents.ListAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext context, DocumentService documents, DocumentLinks links, IPublicUrl publicUrl, CancellationToken cancellationToken)
    {
        var actor = context.ToActor();
        var outcome = await documents.GetAsync(actor, id, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        var link = links.Create(id, actor.UserId);
        var url = publicUrl.Resolve(link.Url).ToString();
        return TypedResults.Ok(new DocumentResponse(outcome.Value!, url, link.ExpiresAt));
    }

    private static async Task<Results<Ok<DocumentSummary>, ProblemHttpResult>> RemoveAsync(Guid id, HttpContext context, DocumentService documents, CancellationToken cancellationToken)
    {
        var outcome = await documents.RemoveAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<IResult> ContentAsync(
        Guid id, string? token, HttpContext context, DocumentService documents, DocumentLinks links, LiveSessionService sessions)
    {
        var caller = context.User.ToSessionCaller(ClientConnection.From(context));
        if (caller is null || !links.IsValid(token, id, caller))
        {
            return TypedResults.Problem(detail: LinkNotValid.Message, statusCode: StatusCodes.Status403Forbidden);
        }

        Actor reader;
        if (caller is SessionCaller.Customer customer)
        {
            // A customer sees the documents of their link's contract while the link is valid. The
            // link was checked, so the document is read as the system, then held to that contract.
            var check = await sessions.CheckLinkAsync(customer.LinkId, context.RequestAborted);
            if (check.Grant is not { } grant)
            {
                return TypedResults.Problem(detail: SessionLinkClosed.Message, statusCode: StatusCodes.Status403Forbidden);
            }

            reader = new Actor($"link:{customer.LinkId:N}", IsAdmin: true);
            var document = await documents.GetAsync(reader, id, context.RequestAborted);
            if (!document.Succeeded || document.Value!.ContractId != grant.ContractId)
            {
                return ApiResults.Problem(UnknownDocument);
            }
        }
        else
        {
            reader = ((SessionCaller.Staff)caller).Actor;
        }

        var response = context.Response;
        var outcome = await documents.CopyContentAsync(reader, id, document =>
        {
            response.ContentType = "application/pdf";
            response.ContentLength = document.Size;
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = document.FileName }.ToString();
            return response.Body;
        }, context.RequestAborted);
        return outcome.Succeeded ? TypedResults.Empty : ApiResults.Problem(outcome.Error!);
    }

    private static ProblemHttpResult Problem(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
