using LiveContract.Core.Hosting;
using LiveContract.Web.Features.LiveSessions;

namespace LiveContract.Web.Extensions;

/// <summary>
/// The defence against cross-site request forgery for the API (<c>/api</c>, <c>/documents</c>,
/// <c>/hubs</c>): a state change (POST, PUT, PATCH, DELETE) that a browser sends with the login
/// cookie or the customer's link cookie is refused with 403 unless it comes from LiveContract's own
/// pages. The browser says where a request comes from: <c>Sec-Fetch-Site</c> must be
/// <c>same-origin</c> (or <c>none</c>, typed by the user); a browser without it must send an
/// <c>Origin</c> that is this server's own (as the request reached it) or the configured
/// <c>LiveContract:PublicUrl</c>. Requests with an <c>Authorization</c> header (a personal API
/// token or a customer's link token) are not checked: a page on another site cannot add that header
/// without a CORS preflight, which LiveContract never grants. Neither are requests without either
/// cookie (nothing of the user's to abuse) or without any browser's header (not a browser).
/// The pages' own forms are protected by ASP.NET Core's antiforgery tokens instead.
/// </summary>
internal static class CrossSiteRequests
{
    public const string RefusedTitle = "Cross-site request refused";

    public static IApplicationBuilder UseCrossSiteRequestRefusal(this IApplicationBuilder app)
    {
        var publicUrl = app.ApplicationServices.GetRequiredService<IPublicUrl>();
        return app.Use(async (context, next) =>
        {
            if (IsRefused(context.Request, publicUrl.BaseAddress))
            {
                await Results.Problem(
                    title: RefusedTitle,
                    detail: "This change was refused because it came from another website while you were signed in to LiveContract. "
                        + "Make it from LiveContract's own pages, or from a program with an API token (Authorization: Bearer).",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    /// <summary>Whether <paramref name="request"/> is a cookie-authenticated API state change sent from another site.</summary>
    public static bool IsRefused(HttpRequest request, Uri? publicUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || !WebServiceCollectionExtensions.IsMachinePath(request.Path)
            || request.Headers.Authorization.Count > 0
            || !(request.Cookies.ContainsKey(WebServiceCollectionExtensions.LoginCookieName) || request.Cookies.ContainsKey(CustomerLinkAuthentication.CookieName)))
        {
            return false;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase) && !string.Equals(site, "none", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !IsOwnOrigin(origin, request, publicUrl);
    }

    private static bool IsOwnOrigin(string origin, HttpRequest request, Uri? publicUrl)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from))
        {
            return false;
        }

        return (Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var own) && SameOrigin(from, own))
            || (publicUrl is not null && SameOrigin(from, publicUrl));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
