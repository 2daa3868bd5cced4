using System.Globalization;
using System.Resources;

namespace LiveContract.Core.Localization;

/// <summary>
/// The <see cref="CustomerText"/> resources in a culture named by the caller rather than the current one: for a
/// sentence that must come out the same whatever thread computes it (a field's problem in the shared live state is
/// English with the stored forms of dates and numbers, <see cref="CultureInfo.InvariantCulture"/>), or in a reader's
/// language chosen explicitly. Code that speaks to the current request's reader uses
/// <c>IStringLocalizer&lt;CustomerText&gt;</c> instead.
/// </summary>
internal static class CustomerTextIn
{
    private static readonly ResourceManager Resources = new(typeof(CustomerText));

    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/> (English when it has none), its placeholders filled in that culture.</summary>
    public static string Format(CultureInfo culture, string key, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var text = Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"'{key}' is not a customer text.");
        return arguments.Length == 0 ? text : string.Format(culture, text, arguments);
    }
}
