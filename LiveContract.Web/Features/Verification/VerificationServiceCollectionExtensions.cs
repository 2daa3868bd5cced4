using System.Threading.RateLimiting;

namespace LiveContract.Web.Features.Verification;

internal static class VerificationServiceCollectionExtensions
{
    /// <summary>The rate-limiting policy of the public verification API.</summary>
    public const string RateLimitPolicy = "verification";

    /// <summary>Verifications one client address may ask for per minute.</summary>
    public const int PermitsPerMinute = 30;

    /// <summary>
    /// The <see cref="RateLimitPolicy"/> policy: <see cref="PermitsPerMinute"/> verifications per
    /// minute per client address, then 429 with a problem-details sentence (the rejection answer of
    /// every rate-limiting policy).
    /// </summary>
    public static IServiceCollection AddLiveContractVerification(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = PermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await TypedResults.Problem(
                        title: "Too many requests",
                        detail: "Too many requests came from your address in a short time. Wait a minute and try again.",
                        statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
