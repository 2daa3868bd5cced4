using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LiveContract.Web.Features.Signing;

/// <summary>A signature as an API client submits it: the typed full name, the drawn signature as a base64 PNG (a <c>data:image/png;base64,</c> URL works too) and the SHA-256 of the consent text agreed to.</summary>
public sealed record SignatureRequest(string? FullName, string? SignaturePng, string? ConsentSha256);

/// <summary>The consent text a signer agrees to, and the hash to send with the signature.</summary>
public sealed record SigningConsentResponse(string Text, string Sha256);

internal static class SigningApi
{
    /// <summary>A signature request is a name, a hash and a PNG of at most 512 KB in base64, well under this.</summary>
    private const long MaxSignatureRequestBytes = 1024 * 1024;

    /// <summary>The endpoints for advisors and admins, in the staff API group.</summary>
    public static RouteGroupBuilder MapSigningApi(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts/{id:guid}").WithTags("Signing");
        contracts.MapGet("/signing", ContractStateAsync).WithSummary("Who must sign the contract, who has, and its sealed PDF once there is one.");
        contracts.MapGet("/signatures/{role}/image", SignatureImageAsync).WithSummary("A signer's drawn signature (PNG); role is Customer or Advisor.");
        contracts.MapGet("/sealed", ContractSealedAsync).WithSummary("Download the signed contract's sealed PDF (its advisor or an admin); recorded on the audit trail.");
        contracts.MapPost("/seal", SealAsync).WithSummary("Seal a signed contract now, when its sealed PDF is missing (sealing normally runs by itself); returns the sealed PDF's document.");
        return api;
    }

    /// <summary>
    /// The endpoints for the participants of a live session, advisor or customer (by the customer
    /// cookie or <c>Authorization: Bearer lcs_…</c>), under <paramref name="authorizationPolicy"/>;
    /// each call is checked again by the services.
    /// </summary>
    public static IEndpointRouteBuilder MapSessionSigningApi(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        var session = endpoints.MapGroup("/api/sessions/{id:guid}").RequireAuthorization(authorizationPolicy).WithTags("Signing");
        session.MapGet("/signing", SessionStateAsync).WithSummary("Where the session's contract stands with signing, and whether you may sign it now.");
        session.MapGet("/signing/consent", ConsentAsync).WithSummary("The consent text to show a signer in full, and its SHA-256 to send with the signature.");
        session.MapPost("/signatures", SignAsync)
            .WithSummary("Sign the session's contract as yourself (the customer, or the advisor when countersignature is on). A repeat returns the signature already given.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxSignatureRequestBytes));
        session.MapGet("/sealed", SessionSealedAsync).WithSummary("Download the signed contract's sealed PDF (a participant of the session); recorded on the audit trail.");
        return endpoints;
    }

    /// <summary>The PDF behind the emailed link <c>/signed/{token}</c>, for whoever holds the link (the page at that address offers it).</summary>
    public static IEndpointRouteBuilder MapSignedPdfLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"/{SignedPdfLinks.PathPrefix}{{token}}/pdf", LinkSealedAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<Ok<SigningState>, ProblemHttpResult>> ContractStateAsync(Guid id, HttpContext context, SigningService signing, CancellationToken cancellationToken)
    {
        var outcome = await signing.GetContractStateAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SignatureImageAsync(
        Guid id, string role, HttpContext context, SigningService signing, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<SignerRole>(role, ignoreCase: true, out var signer) || !Enum.IsDefined(signer))
        {
            return BadRequest($"'{role}' is not a signer; use Customer or Advisor.");
        }

        var outcome = await signing.GetSignatureImageAsync(context.ToActor(), id, signer, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(outcome.Error!);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(outcome.Value!, "image/png");
    }

    private static Task<IResult> ContractSealedAsync(Guid id, HttpContext context, SealedDocuments sealedDocuments) =>
        StreamAsync(context, destination => sealedDocuments.CopyForStaffAsync(context.ToActor(), id, destination, context.RequestAborted));

    private static async Task<Results<Ok<DocumentSummary>, ProblemHttpResult>> SealAsync(Guid id, HttpContext context, SealingService sealing, CancellationToken cancellationToken)
    {
        var outcome = await sealing.SealAsync(context.ToActor(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<SigningState>, ProblemHttpResult>> SessionStateAsync(Guid id, HttpContext context, SigningService signing, CancellationToken cancellationToken)
    {
        var outcome = await signing.GetStateAsync(CallerOf(context), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static async Task<Results<Ok<SigningConsentResponse>, ProblemHttpResult>> ConsentAsync(Guid id, HttpContext context, SigningService signing, CancellationToken cancellationToken) =>
        await signing.AuthorizeReadAsync(CallerOf(context), id, cancellationToken) is { } refused
            ? ApiResults.Problem(refused)
            : TypedResults.Ok(new SigningConsentResponse(SigningConsent.Current.Text, SigningConsent.Current.Sha256));

    private static async Task<Results<Ok<SignResult>, ProblemHttpResult>> SignAsync(
        Guid id, SignatureRequest? request, HttpContext context, SigningService signing, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return BadRequest("Send the signature as JSON: fullName, signaturePng (base64) and consentSha256.");
        }

        var png = DecodePng(request.SignaturePng);
        if (png is null)
        {
            return BadRequest("signaturePng must be the drawn signature as a base64 PNG.");
        }

        var client = ClientConnection.From(context);
        var outcome = await signing.SignAsync(
            CallerOf(context),
            id,
            new SignRequest(request.FullName ?? "", png, request.ConsentSha256 ?? "", client.IpAddress, client.UserAgent),
            cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(outcome.Error!);
    }

    private static Task<IResult> SessionSealedAsync(Guid id, HttpContext context, SealedDocuments sealedDocuments) =>
        StreamAsync(context, destination => sealedDocuments.CopyForSessionAsync(CallerOf(context), id, destination, context.RequestAborted));

    private static async Task<IResult> LinkSealedAsync(string token, HttpContext context, SealedDocuments sealedDocuments)
    {
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var check = await sealedDocuments.CheckLinkAsync(token, context.RequestAborted);
        if (check.Problem is { } problem)
        {
            return problem == SignedPdfLinkProblem.Expired
                ? TypedResults.Problem(
                    title: "Link expired",
                    detail: SealedDocuments.LinkExpired.Message,
                    statusCode: StatusCodes.Status410Gone)
                : ApiResults.Problem(SealedDocuments.UnknownLink);
        }

        var ipAddress = ClientConnection.From(context).IpAddress;
        return await StreamAsync(context, destination => sealedDocuments.CopyForLinkAsync(token, ipAddress, destination, context.RequestAborted));
    }

    /// <summary>Streams the sealed PDF as an attachment once the service has found it and recorded the download; a refusal as problem details.</summary>
    private static async Task<IResult> StreamAsync(HttpContext context, Func<Func<SealedPdf, Stream>, Task<Outcome<SealedPdf>>> copy)
    {
        var response = context.Response;
        var outcome = await copy(pdf =>
        {
            response.ContentType = "application/pdf";
            response.ContentLength = pdf.Size;
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = pdf.FileName, FileName = pdf.FileName }.ToString();
            return response.Body;
        });
        return outcome.Succeeded ? TypedResults.Empty : ApiResults.Problem(outcome.Error!);
    }

    /// <summary>The caller, whom the participant policy has authenticated as staff or as a customer holding a link.</summary>
    private static Core.LiveSessions.SessionCaller CallerOf(HttpContext context) =>
        context.User.ToSessionCaller(ClientConnection.From(context))
        ?? throw new InvalidOperationException("The session participant policy let in a caller who is neither staff nor a customer.");

    /// <summary>The PNG bytes of a base64 string or a <c>data:image/png;base64,</c> URL; null when it is neither.</summary>
    private static byte[]? DecodePng(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        const string dataUrl = "data:image/png;base64,";
        var base64 = value.StartsWith(dataUrl, StringComparison.OrdinalIgnoreCase) ? value[dataUrl.Length..] : value;
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
