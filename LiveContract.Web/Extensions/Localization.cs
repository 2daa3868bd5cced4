using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing;
using Microsoft.AspNetCore.Localization;

namespace LiveContract.Web.Extensions;

internal static class Localization
{
    /// <summary>Where a customer's language choice is sent: <c>/culture?culture=fr&amp;redirectUri=/join/…</c>.</summary>
    public const string CulturePath = "/culture";

    /// <summary>The cookie that says which link's first visit already set the language, so the customer's own choice then stands.</summary>
    public const string LinkLanguageCookie = ".LiveContract.LinkLanguage";

    /// <summary>
    /// A request's culture comes from the culture cookie alone (set when a customer's language is chosen), else
    /// English: the browser's Accept-Language does not decide, so what a customer reads is the contract's language
    /// or their own choice, and a circuit keeps the culture of the request that started it. The one exception is the
    /// page of a customer's emailed signed-PDF link (<c>/signed/{token}</c>), which is in the contract's language,
    /// like the email it came from.
    /// </summary>
    public static RequestLocalizationOptions RequestLocalization()
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(Languages.Default)
            .AddSupportedCultures([.. Languages.Supported])
            .AddSupportedUICultures([.. Languages.Supported]);
        options.RequestCultureProviders = [new CustomRequestCultureProvider(SignedLinkCultureAsync), new CookieRequestCultureProvider()];
        return options;
    }

    /// <summary>
    /// Sets the culture cookie to a supported language and goes back to a page of this app (a relative address):
    /// anything else is a 400, so the endpoint can neither set an unknown culture nor send anyone elsewhere.
    /// </summary>
    public static IEndpointRouteBuilder MapCultureEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet(CulturePath, (string? culture, string? redirectUri, HttpContext context) =>
        {
            if (!Languages.IsSupported(culture))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: $"'{culture}' is not a language of this site; choose one of {string.Join(", ", Languages.Supported)}.");
            }

            if (!IsLocal(redirectUri))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The address to go back to must be a page of this site, such as /join/….");
            }

            SetCulture(context.Response, culture!);
            return Results.LocalRedirect(redirectUri!);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Makes <paramref name="language"/> the culture of the browser's next requests (a year; not needed to sign in, so not essential-only).</summary>
    public static void SetCulture(HttpResponse response, string language) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), HttpOnly = true, Secure = response.HttpContext.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true });

    /// <summary>
    /// The first visit of a customer link sets the contract's language, once per link: a later choice of the
    /// customer (the switcher) stands on later visits. The link is remembered by a hash, never its token.
    /// Returns whether the culture changed, so the page is loaded again in it.
    /// </summary>
    public static bool DefaultToContractLanguage(HttpContext context, string token, string language)
    {
        var marker = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];
        if (context.Request.Cookies[LinkLanguageCookie] == marker || !Languages.IsSupported(language))
        {
            return false;
        }

        context.Response.Cookies.Append(
            LinkLanguageCookie,
            marker,
            new CookieOptions { Path = "/join", MaxAge = TimeSpan.FromDays(30), HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true });
        var current = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.TwoLetterISOLanguageName;
        if (current == language && context.Request.Cookies.ContainsKey(CookieRequestCultureProvider.DefaultCookieName))
        {
            return false;
        }

        SetCulture(context.Response, language);
        return current != language;
    }

    private static async Task<ProviderCultureResult?> SignedLinkCultureAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/signed", out var rest)
            || rest.Value is not ['/', .. var token]
            || token.Length == 0
            || token.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var language = await context.RequestServices.GetRequiredService<SealedDocuments>().LanguageOfLinkAsync(token, context.RequestAborted);
        return Languages.IsSupported(language) ? new ProviderCultureResult(language) : null;
    }

    private static bool IsLocal(string? uri) =>
        !string.IsNullOrEmpty(uri)
        && uri[0] == '/'
        && (uri.Length == 1 || (uri[1] != '/' && uri[1] != '\\'))
        && !uri.Contains("://", StringComparison.Ordinal)
        && !uri.Any(char.IsControl);
}
