using System.Threading.RateLimiting;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.Accounts;

/// <summary>
/// How many login attempts (posts of the login form) one client address may make per minute
/// (section <c>LoginRateLimit</c>), on top of the per-account back-off (<see cref="LoginBackoffOptions"/>): it slows down guessing across
/// many accounts from one address. The address is the real client's, after the forwarded headers
/// of a configured reverse proxy.
/// </summary>
public sealed class LoginRateLimitOptions
{
    public const string Section = "LoginRateLimit";

    public int PermitsPerMinute { get; set; } = 20;

    public void Validate()
    {
        if (PermitsPerMinute < 1)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(PermitsPerMinute)} is {PermitsPerMinute}; set it to how many login attempts one address may make per minute, such as 20.");
        }
    }
}

internal static class LoginRateLimit
{
    private const string LoginPath = "/Account/Login";

    /// <summary>
    /// Limits posts to the login form per client address with the rate limiter's global limiter
    /// (everything else is not limited by it); a refused attempt gets 429 and the rate limiter's
    /// sentence asking to wait a minute.
    /// </summary>
    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services)
    {
        services.AddOptions<LoginRateLimitOptions>().BindConfiguration(LoginRateLimitOptions.Section);
        services.AddOptions<LoginBackoffOptions>().BindConfiguration(LoginBackoffOptions.Section);
        services.AddSingleton<SignInGuard>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LoginRateLimitOptions>>((options, login) =>
        {
            var settings = login.Value;
            settings.Validate();
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }
}
