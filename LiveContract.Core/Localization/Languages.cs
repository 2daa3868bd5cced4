using System.Globalization;

namespace LiveContract.Core.Localization;

/// <summary>
/// The languages a customer can be served in. Customer-facing text lives in <see cref="CustomerText"/>'s
/// resources (neutral English, plus one satellite per other language); staff text in <see cref="StaffText"/>'s.
/// </summary>
public static class Languages
{
    public const string Default = "en";

    /// <summary>Two-letter codes, in the order pickers list them.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["en", "fr", "de"];

    public static bool IsSupported(string? code) => code is not null && Supported.Contains(code, StringComparer.Ordinal);

    /// <summary>The language's own name for itself ("Français"), which is how a picker should offer it.</summary>
    public static string NativeName(string code)
    {
        var name = CultureInfo.GetCultureInfo(code).NativeName;
        return char.ToUpper(name[0], CultureInfo.GetCultureInfo(code)) + name[1..];
    }

    /// <summary>
    /// Runs what follows in <paramref name="code"/>'s culture (text, dates, numbers) until disposed, then restores
    /// the caller's: for work done on behalf of someone other than the current request, such as an email to the
    /// customer or the certificate of completion.
    /// </summary>
    public static IDisposable Use(string code)
    {
        if (!IsSupported(code))
        {
            throw new ArgumentException($"'{code}' is not a supported language ({string.Join(", ", Supported)}).", nameof(code));
        }

        var scope = new CultureScope(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var culture = CultureInfo.GetCultureInfo(code);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        return scope;
    }

    private sealed class CultureScope(CultureInfo culture, CultureInfo uiCulture) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
