using LiveContract.Core.Accounts;
using LiveContract.Web.Components;
using LiveContract.Web.Features.Admin;
using LiveContract.Web.Features.Audit;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.Documents;
using LiveContract.Web.Features.Fields;
using LiveContract.Web.Features.IdentityChecks;
using LiveContract.Web.Features.LiveSessions;
using LiveContract.Web.Features.Signing;
using LiveContract.Web.Features.Verification;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace LiveContract.Web.Extensions;

internal static class WebApplicationExtensions
{
    /// <summary>The request pipeline and endpoints of LiveContract.</summary>
    public static WebApplication UseLiveContract(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseTransportSecurity();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseWhen(
            context => !WebServiceCollectionExtensions.IsMachinePath(context.Request.Path) && !context.Request.Path.StartsWithSegments("/join") && !context.Request.Path.StartsWithSegments("/signed"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after the error and status-code pages, so a re-executed request (/Error, /not-found) is routed again;
        // routed first (the default), it would keep its empty match and answer an empty page.
        app.UseRouting();
        ClientConnection.UseClientConnection(app);
        app.UseRequestLocalization(Localization.RequestLocalization());
        app.UseFirstRunRedirect();
        // Before the hub's query-string token becomes an Authorization header: only a real header exempts a request.
        app.UseCrossSiteRequestRefusal();
        app.UseHubAccessTokens();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapStaticAssets();
        // SecurityHeaders sends frame-ancestors 'self' within the full policy on every response.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAdditionalIdentityEndpoints();

        app.MapGroup("/api")
            .RequireAuthorization(WebServiceCollectionExtensions.StaffPolicy)
            .MapContractsApi()
            .MapDocumentsApi()
            .MapFieldsApi()
            .MapLiveSessionsApi()
            .MapAuditApi()
            .MapSigningApi()
            .MapIdentityCheckApi();
        app.MapGroup("/api/admin")
            .RequireAuthorization(WebServiceCollectionExtensions.AdminPolicy)
            .MapAdminApi();
        app.MapDocumentContent(WebServiceCollectionExtensions.SessionParticipantPolicy);
        app.MapSessionSigningApi(WebServiceCollectionExtensions.SessionParticipantPolicy);
        app.MapSessionFieldsApi(WebServiceCollectionExtensions.SessionParticipantPolicy);
        app.MapFieldValuesApi(WebServiceCollectionExtensions.SessionParticipantPolicy);
        app.MapCustomerIdentityApi(WebServiceCollectionExtensions.SessionParticipantPolicy);
        app.MapSignedPdfLinks();
        app.MapVerificationApi();
        app.MapCultureEndpoint();
        app.MapHub<SessionHub>(CustomerLinkAuthentication.HubPath);
        app.MapOpenApi();
        // Scalar's default fonts come from fonts.scalar.com, which the Content-Security-Policy does not allow.
        app.MapScalarApiReference(o => o.WithTitle("LiveContract API").DisableDefaultFonts());
        return app;
    }

    /// <summary>Until the first administrator exists, the home and login pages lead to the setup page.</summary>
    private static void UseFirstRunRedirect(this WebApplication app)
    {
        var setup = app.Services.GetRequiredService<FirstRunSetup>();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (HttpMethods.IsGet(context.Request.Method)
                && (path == "/" || path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase))
                && await setup.IsRequiredAsync(context.RequestAborted))
            {
                context.Response.Redirect($"{context.Request.PathBase}/setup");
                return;
            }

            await next(context);
        });
    }
}
