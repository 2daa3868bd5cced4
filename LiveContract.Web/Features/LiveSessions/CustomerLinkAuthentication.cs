using System.Security.Claims;
using System.Text.Encodings.Web;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.IdentityChecks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.LiveSessions;

/// <summary>
/// How a customer holding a link is authenticated: the <see cref="SessionCallers.CookieScheme"/>
/// cookie the landing page issues, the <see cref="SessionCallers.TokenScheme"/> bearer token for
/// hub clients, and the default scheme that picks the staff login cookie or the customer cookie.
/// </summary>
internal static class CustomerLinkAuthentication
{
    /// <summary>The default scheme: the login cookie when there is one, else the customer cookie when there is one, else the login cookie (whose challenge is the login page).</summary>
    public const string DefaultScheme = "LiveContract";

    public const string CookieName = "LiveContract.Session";

    /// <summary>The only path where a token may come in the query string (browsers cannot set headers on a WebSocket).</summary>
    public const string HubPath = "/hubs/sessions";

    /// <summary>How long a customer cookie is trusted before its link is checked again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>The customer principal for a valid link, with the device's identity pass (the accepted join code) when it has one.</summary>
    public static ClaimsPrincipal CreatePrincipal(CustomerLinkGrant grant, string scheme, Guid? identityCheckId = null)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, grant.CustomerId.ToString()),
            new Claim(ClaimTypes.Name, grant.CustomerName),
            new Claim(ClaimTypes.Role, SessionCallers.Role),
            new Claim(SessionCallers.LinkIdClaim, grant.LinkId.ToString()),
            new Claim(SessionCallers.SessionIdClaim, grant.SessionId.ToString()),
            new Claim(SessionCallers.ContractIdClaim, grant.ContractId.ToString()),
        ];
        if (identityCheckId is { } checkId)
        {
            claims.Add(new Claim(SessionCallers.IdentityCheckClaim, checkId.ToString()));
        }

        return new(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Signs the customer in with the cookie, which expires with the link and never slides; it remembers the device's identity pass for that link.</summary>
    public static Task SignInAsync(HttpContext context, CustomerLinkGrant grant, Guid? identityCheckId = null) =>
        context.SignInAsync(
            SessionCallers.CookieScheme,
            CreatePrincipal(grant, SessionCallers.CookieScheme, identityCheckId),
            new AuthenticationProperties { IsPersistent = true, ExpiresUtc = grant.ExpiresAt, AllowRefresh = false });

    /// <summary>Adds the default policy scheme, the customer cookie and the customer bearer token.</summary>
    public static AuthenticationBuilder AddCustomerLinks(this AuthenticationBuilder authentication, Func<RedirectContext<CookieAuthenticationOptions>, int, Task> apiAwareRedirect)
    {
        authentication.Services.AddMemoryCache();
        authentication.Services.AddSingleton<CustomerLinkValidator>();
        authentication.Services.AddSingleton<IdentityPasses>();
        return authentication
            .AddPolicyScheme(DefaultScheme, "Login cookie or customer link", options =>
            {
                // Challenges go to the login page (or 401 for the API); a customer whose link failed has no other way in.
                options.ForwardChallenge = IdentityConstants.ApplicationScheme;
                options.ForwardForbid = IdentityConstants.ApplicationScheme;
                options.ForwardDefaultSelector = context =>
                    !context.Request.Cookies.ContainsKey(WebServiceCollectionExtensions.LoginCookieName) && context.Request.Cookies.ContainsKey(CookieName)
                        ? SessionCallers.CookieScheme
                        : IdentityConstants.ApplicationScheme;
            })
            .AddCookie(SessionCallers.CookieScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = false;
                options.LoginPath = "/Account/Login";
                options.AccessDeniedPath = "/Account/AccessDenied";
                options.Events.OnRedirectToLogin = context => apiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => apiAwareRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = ValidateCookieAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, CustomerLinkTokenHandler>(SessionCallers.TokenScheme, null);
    }

    /// <summary>
    /// For <see cref="HubPath"/> only: a token in the <c>access_token</c> query string becomes the
    /// <c>Authorization</c> header, so the API token and customer token handlers read it as usual.
    /// </summary>
    public static IApplicationBuilder UseHubAccessTokens(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HubPath)
                && context.Request.Headers.Authorization.Count == 0
                && context.Request.Query.TryGetValue("access_token", out var token)
                && !string.IsNullOrEmpty(token))
            {
                context.Request.Headers.Authorization = $"Bearer {token}";
            }

            return next(context);
        });

    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var validator = context.HttpContext.RequestServices.GetRequiredService<CustomerLinkValidator>();
        if (!Guid.TryParse(context.Principal?.FindFirstValue(SessionCallers.LinkIdClaim), out var linkId)
            || !await validator.IsValidAsync(linkId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionCallers.CookieScheme);
        }
    }
}

/// <summary>Whether a signed-in customer's link still opens its session, asked at most every <see cref="CustomerLinkAuthentication.RecheckInterval"/> per link.</summary>
internal sealed class CustomerLinkValidator(LiveSessionService sessions, IMemoryCache cache)
{
    public async Task<bool> IsValidAsync(Guid linkId, CancellationToken cancellationToken)
    {
        var key = (nameof(CustomerLinkValidator), linkId);
        if (cache.TryGetValue(key, out _))
        {
            return true;
        }

        var check = await sessions.CheckLinkAsync(linkId, cancellationToken);
        if (check.IsValid)
        {
            cache.Set(key, true, CustomerLinkAuthentication.RecheckInterval);
        }

        return check.IsValid;
    }
}

/// <summary>Authenticates <c>Authorization: Bearer lcs_…</c>, a customer link token, as that link's customer.</summary>
internal sealed class CustomerLinkTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LiveSessionService sessions,
    IdentityPasses passes) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(LiveSessionTokens.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var check = await sessions.CheckLinkAsync(token, Context.RequestAborted);
        if (check.Grant is not { } grant)
        {
            return AuthenticateResult.Fail("The customer link is not valid.");
        }

        var identityCheckId = passes.Read(Request.Headers[IdentityPasses.HeaderName], grant.LinkId);
        return AuthenticateResult.Success(new AuthenticationTicket(CustomerLinkAuthentication.CreatePrincipal(grant, Scheme.Name, identityCheckId), Scheme.Name));
    }
}
