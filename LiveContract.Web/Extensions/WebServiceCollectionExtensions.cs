using LiveContract.Core;
using LiveContract.Core.Accounts;
using System.Text.Json.Serialization;
using LiveContract.Web.Components.Account;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.Accounts;
using LiveContract.Web.Features.Documents;
using LiveContract.Web.Features.LiveSessions;
using LiveContract.Web.Features.Verification;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using MudBlazor;
using MudBlazor.Services;

namespace LiveContract.Web.Extensions;

internal static class WebServiceCollectionExtensions
{
    /// <summary>
    /// Everything the web host needs: Core, Blazor, MudBlazor, SignalR (the session hub on Redis
    /// with the Redis live-session backend), HTTPS and trusted proxies, staff and customer
    /// authentication with cookies that are <c>Secure</c> on HTTPS.
    /// </summary>
    public static IServiceCollection AddLiveContractWeb(this IServiceCollection services)
    {
        services.AddLiveContractCore();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(ConfigureMudBlazor);
        services.AddTransient<MudLocalizer, ReaderMudLocalizer>();
        services.AddLiveSessionUi();
        services.AddLiveContractVerification();

        services.AddTransportSecurity();
        services.AddPublicHostFiltering();
        services.AddLoginRateLimit();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ClientConnection>();
        services.AddScoped<BrowserTimeZone>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        // The cookie half of both policies is the default scheme, which picks one cookie, so a
        // browser holding a login and a customer cookie is one person, never a merge of two.
        string[] schemes = [CustomerLinkAuthentication.DefaultScheme, ApiTokenAuthenticationHandler.SchemeName, SessionCallers.TokenScheme];
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, policy => policy
                .AddAuthenticationSchemes(schemes)
                .RequireRole(Roles.Admin, Roles.Advisor))
            .AddPolicy(AdminPolicy, policy => policy
                .AddAuthenticationSchemes(schemes)
                .RequireRole(Roles.Admin))
            .AddPolicy(SessionParticipantPolicy, policy => policy
                .AddAuthenticationSchemes(schemes)
                .RequireRole(Roles.Admin, Roles.Advisor, SessionCallers.Role));
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CustomerLinkAuthentication.DefaultScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCustomerLinks(ApiAwareRedirect)
            .AddIdentityCookies();
        new IdentityBuilder(typeof(ApplicationUser), typeof(IdentityRole), services).AddSignInManager();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = LoginCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            options.Events.OnSignedIn = async context =>
            {
                var userId = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                if (userId is not null)
                {
                    await context.HttpContext.RequestServices.GetRequiredService<UserAdministration>().RecordSignInAsync(userId, context.HttpContext.RequestAborted);
                }
            };
        });

        // A locked account or a changed password signs the person out within a minute everywhere.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddSingleton<DocumentLinks>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveContract.Core.Audit.SettingsAudit>());
        // Secure whenever the request is HTTPS, directly or through a trusted proxy (see TransportSecurity).
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // Hub calls are logged by HubCallLogging: a refusal is one Information line, a fault an Error.
        services.AddSignalR(o => o.AddFilter<HubCallLogging>()).AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(HubCallLogging.DispatcherCategory, LogLevel.None));
        services.AddSessionHubBackplane();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "LiveContract API";
            document.Info.Description = "Authenticate with the login cookie or a personal API token: `Authorization: Bearer lc_…`.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>
    /// MudBlazor as the app sets it up: a page's snackbars ("The contract is in review.") go when
    /// the user navigates to another page, instead of following them there.
    /// </summary>
    public static void ConfigureMudBlazor(MudServicesConfiguration mud)
    {
        ArgumentNullException.ThrowIfNull(mud);
        mud.SnackbarConfiguration.ClearAfterNavigation = true;
    }

    /// <summary>The policy of everything advisors and admins use: pages, the REST API.</summary>
    public const string StaffPolicy = "Staff";

    /// <summary>The policy of the administration API (<c>/api/admin</c>): admins only, by cookie or API token.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>The policy of what advisors, admins and customers holding a link share: the session hub, document links.</summary>
    public const string SessionParticipantPolicy = "SessionParticipant";

    /// <summary>The staff login cookie.</summary>
    public const string LoginCookieName = "LiveContract.Auth";

    /// <summary>Whether the path is for programs (API, document bytes, the hub): they get status codes, never a page.</summary>
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/documents") || path.StartsWithSegments("/hubs");

    /// <summary>API calls get a status code, not the login page.</summary>
    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsMachinePath(context.Request.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
