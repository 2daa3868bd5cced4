using LiveContract.Core;
using LiveContract.Core.Accounts;
using LiveContract.Web.Components.Account;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace LiveContract.Web.Extensions;

internal static class WebServiceCollectionExtensions
{
    /// <summary>Everything the web host needs: Core, Blazor, MudBlazor, cookie authentication.</summary>
    public static IServiceCollection AddLiveContractWeb(this IServiceCollection services)
    {
        services.AddLiveContractCore();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthorization();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        new IdentityBuilder(typeof(ApplicationUser), typeof(IdentityRole), services).AddSignInManager();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "LiveContract.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
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
        return services;
    }
}
