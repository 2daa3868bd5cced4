using LiveContract.Core.Localization;
using Microsoft.AspNetCore.Localization;

namespace LiveContract.Web.Extensions;

internal static class Localization
{
    /// <summary>
    /// A request's culture comes from the culture cookie alone (set when a customer's language is chosen), else
    /// English: the browser's Accept-Language does not decide, so what a customer reads is the contract's language
    /// or their own choice, and a circuit keeps the culture of the request that started it.
    /// </summary>
    public static RequestLocalizationOptions RequestLocalization()
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(Languages.Default)
            .AddSupportedCultures([.. Languages.Supported])
            .AddSupportedUICultures([.. Languages.Supported]);
        options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        return options;
    }
}
