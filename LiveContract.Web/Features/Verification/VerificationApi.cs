using System.Data.Common;
using LiveContract.Core.Signing.Sealing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LiveContract.Web.Features.Verification;

/// <summary>
/// <c>POST /api/verify</c>: anyone, without logging in, sends a PDF (a file field of
/// <c>multipart/form-data</c>, or the raw bytes as <c>application/pdf</c>) and learns whether it is
/// an unmodified document sealed by this installation. Every verdict is a 200 with a
/// <see cref="SealVerification"/>; a form without a file is a 400, another content type a 415, a
/// file over the upload limit a 413, too many requests from one address a 429, an unavailable
/// database a 503.
/// </summary>
internal static class VerificationApi
{
    public const string Path = "/api/verify";

    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, VerifyAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(VerificationServiceCollectionExtensions.RateLimitPolicy)
            .Accepts<IFormFile>("multipart/form-data", "application/pdf", "application/octet-stream")
            .WithTags("Verification")
            .WithSummary("Check whether a PDF is an unmodified document sealed by LiveContract (no login needed).");
        return endpoints;
    }

    private static async Task<Results<Ok<SealVerification>, ProblemHttpResult>> VerifyAsync(
        HttpContext context, SealVerifier verifier, CancellationToken cancellationToken)
    {
        var limit = verifier.MaxBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Room for the multipart framing around the file.
            bodyLimit.MaxRequestBodySize = limit + (64 * 1024);
        }

        if (context.Request.ContentLength > limit + (64 * 1024))
        {
            return TooLarge(limit);
        }

        try
        {
            var contentType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) ? mediaType.MediaType.Value : null;
            if (string.Equals(contentType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(mediaType!.Boundary).Value;
                if (string.IsNullOrEmpty(boundary))
                {
                    return NoFile();
                }

                var reader = new MultipartReader(boundary, context.Request.Body);
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                    {
                        return TypedResults.Ok(await verifier.VerifyAsync(section.Body, cancellationToken));
                    }
                }

                return NoFile();
            }

            if (string.Equals(contentType, "application/pdf", StringComparison.OrdinalIgnoreCase)
                || string.Equals(contentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Ok(await verifier.VerifyAsync(context.Request.Body, cancellationToken));
            }

            return NoFile();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (DbException)
        {
            return TypedResults.Problem(
                title: "Try again",
                detail: "The file could not be checked right now because the database is not available. Try again in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static ProblemHttpResult NoFile() => TypedResults.Problem(
        title: "Invalid request",
        detail: "Send the PDF as a file field of multipart/form-data, or as the request body with Content-Type: application/pdf.",
        statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "Too large",
        detail: $"The file is larger than {limit / (1024 * 1024)} MB, the most a document may have, so it cannot be checked here.",
        statusCode: StatusCodes.Status413PayloadTooLarge);
}
