using LiveContract.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveContract.Web.Features;

/// <summary>Turns refusals into RFC 7807 problem details with the status code that fits.</summary>
internal static class ApiResults
{
    public static ProblemHttpResult Problem(OperationError error) => TypedResults.Problem(
        title: error.Kind switch
        {
            ErrorKind.NotFound => "Not found",
            ErrorKind.Conflict => "Not allowed now",
            ErrorKind.Forbidden => "Read-only",
            ErrorKind.Unavailable => "Try again",
            ErrorKind.TooManyRequests => "Too many requests",
            _ => "Invalid request",
        },
        detail: error.Message,
        statusCode: error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        });
}
