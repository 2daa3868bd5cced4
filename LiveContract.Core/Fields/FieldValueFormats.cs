using System.Globalization;

namespace LiveContract.Core.Fields;

/// <summary>
/// How a date or number field's value is shown to and typed by a reader in their culture, while what is stored,
/// synced, hashed and validated stays culture-free (<see cref="FieldValueRules.DateFormat"/>, year-month-day; numbers
/// with a decimal point and no grouping). French shows 31/12/2026 and 1234,5, German 31.12.2026 and 1234,5; English
/// shows the stored form as it always has. Anything that does not read as a date or number is left as it is, so its
/// <see cref="FieldValueRules.Problem"/> still names it.
/// </summary>
public static class FieldValueFormats
{
    private const NumberStyles TypedNumber = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands;

    /// <summary>A stored value of a <paramref name="kind"/> field as <paramref name="culture"/> writes it.</summary>
    public static string Display(FieldKind kind, string stored, CultureInfo culture)
    {
        if (UsesStoredForm(culture))
        {
            return stored;
        }

        return kind switch
        {
            FieldKind.Date when DateOnly.TryParseExact(stored, FieldValueRules.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                => date.ToString(culture.DateTimeFormat.ShortDatePattern, culture),
            FieldKind.Number when decimal.TryParse(stored, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                => number.ToString(culture),
            _ => stored,
        };
    }

    /// <summary>What a reader of <paramref name="culture"/> typed in a <paramref name="kind"/> field, as it is stored ("1 234,5" → "1234.5").</summary>
    public static string ToStored(FieldKind kind, string typed, CultureInfo culture)
    {
        if (typed.Length == 0)
        {
            return typed;
        }

        return kind switch
        {
            FieldKind.Date when DateOnly.TryParseExact(typed.Trim(), [FieldValueRules.DateFormat, culture.DateTimeFormat.ShortDatePattern], culture, DateTimeStyles.None, out var date)
                => date.ToString(FieldValueRules.DateFormat, CultureInfo.InvariantCulture),
            FieldKind.Number when !UsesStoredForm(culture) && decimal.TryParse(Ungrouped(typed, culture), TypedNumber, culture, out var number)
                => number.ToString(CultureInfo.InvariantCulture),
            _ => typed,
        };
    }

    /// <summary>English keeps the stored forms (year-month-day, a decimal point), as before languages.</summary>
    private static bool UsesStoredForm(CultureInfo culture) => culture.TwoLetterISOLanguageName is "en" or "iv";

    /// <summary>French groups with a (narrow) no-break space, which people type as a plain space.</summary>
    private static string Ungrouped(string typed, CultureInfo culture) =>
        char.IsWhiteSpace(culture.NumberFormat.NumberGroupSeparator, 0)
            ? string.Concat(typed.Trim().Where(c => !char.IsWhiteSpace(c)))
            : typed;
}
