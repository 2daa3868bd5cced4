using System.Globalization;
using System.Text.RegularExpressions;
using LiveContract.Core.Common;
using LiveContract.Core.Localization;

namespace LiveContract.Core.Fields;

/// <summary>
/// Whether a value suits its field. Two levels: a <see cref="Refusal"/> is a value no field of
/// that kind can ever hold (longer than <see cref="HardMaxLength"/>, a checkbox that is neither
/// ticked nor empty, an option not offered, any value for a signature spot): it is not accepted
/// at all. A <see cref="Problem"/> is a value that may be shared while someone is still typing
/// but does not meet the field's rules yet (too long for the field, not a date, below the
/// minimum, not matching the pattern): it is kept and shown beside the field, and it blocks
/// signing. An empty value has no problem: it only means "not filled in". Values are plain
/// text: markup or script in a value is neither refused nor ever rendered as markup.
/// <para>
/// Every sentence comes in a culture's language (<see cref="CustomerText"/>'s resources), its dates and numbers written
/// as that culture writes them (<see cref="FieldValueFormats.Display"/>). Without a culture it is the shared English
/// (<see cref="SharedCulture"/>) that the live state carries to both parties; a screen, or a refusal answered to a caller,
/// passes its reader's <see cref="CultureInfo.CurrentUICulture"/>.
/// </para>
/// </summary>
public static class FieldValueRules
{
    /// <summary>No value of any field is longer than this, whatever the field's own rules say.</summary>
    public const int HardMaxLength = 10_000;

    /// <summary>The longest single-line text when the field sets no <see cref="FieldRuleSet.MaxLength"/>.</summary>
    public const int DefaultTextMaxLength = 500;

    /// <summary>The longest multi-line text when the field sets no <see cref="FieldRuleSet.MaxLength"/>.</summary>
    public const int DefaultMultilineMaxLength = 2000;

    /// <summary>The longest initials when the field sets no <see cref="FieldRuleSet.MaxLength"/>.</summary>
    public const int DefaultInitialsMaxLength = 10;

    /// <summary>The date format of date fields.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The date a sentence gives as an example, stored form.</summary>
    private const string ExampleDate = "2025-03-31";

    /// <summary>The number a sentence gives as an example, stored form.</summary>
    private const string ExampleNumber = "1250.50";

    /// <summary>
    /// The culture of the sentences the shared live state carries (<see cref="LiveSessions.LiveFieldValue.Problem"/>,
    /// <see cref="LiveSessions.FieldValueChanged.Problem"/>, the hub's and the API's): English, with dates and numbers in
    /// their stored forms, whatever the current culture, so every server words a problem alike and each screen can word
    /// it again in its reader's language (the overloads taking a culture).
    /// </summary>
    public static CultureInfo SharedCulture => CultureInfo.InvariantCulture;

    /// <summary>The sentence for a value longer than <see cref="HardMaxLength"/>, in <paramref name="culture"/>'s language.</summary>
    public static string TooLong(FieldDefinition field, CultureInfo culture) =>
        Say(culture, "FieldRule.TooLong", Name(field, culture), HardMaxLength.ToString("N0", culture));

    /// <summary><see cref="Refusal(FieldDefinition, string, CultureInfo)"/> in the shared English (<see cref="SharedCulture"/>).</summary>
    public static string? Refusal(FieldDefinition field, string value) => Refusal(field, value, SharedCulture);

    /// <summary>
    /// Why <paramref name="value"/> cannot be accepted for <paramref name="field"/> at all, in <paramref name="culture"/>'s
    /// language (the caller's: <see cref="CultureInfo.CurrentUICulture"/>), or null when it may be stored (it may still
    /// have a <see cref="Problem(FieldDefinition, string, CultureInfo)"/>).
    /// </summary>
    public static string? Refusal(FieldDefinition field, string value, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(culture);
        if (value.Length > HardMaxLength)
        {
            return TooLong(field, culture);
        }

        if (FreeText.HasControlOrBrokenCharacter(value, allowLineBreaksAndTabs: true))
        {
            return Say(culture, "FieldRule.ControlCharacters", Name(field, culture));
        }

        return field.Kind switch
        {
            FieldKind.SignatureSpot => Say(culture, "FieldRule.FilledBySigning", Name(field, culture)),
            FieldKind.Checkbox when value is not ("" or "true") => Say(culture, "FieldRule.Checkbox", Name(field, culture)),
            FieldKind.Radio or FieldKind.Choice when value.Length > 0 && !field.Options.Contains(value, StringComparer.Ordinal) => field.Options.Count == 0
                ? Say(culture, "FieldRule.OffersNone", Name(field, culture))
                : Say(culture, "FieldRule.OffersOnly", Name(field, culture), string.Join(", ", field.Options.Select(o => Say(culture, "FieldRule.Option", o)))),
            _ => null,
        };
    }

    /// <summary>
    /// The problem as the shared live state carries it: <see cref="Problem(FieldDefinition, string, CultureInfo)"/> in
    /// English with the stored forms of dates and numbers (<see cref="SharedCulture"/>), whatever the current culture.
    /// A screen words it for its reader with the overload taking a culture.
    /// </summary>
    public static string? Problem(FieldDefinition field, string value) => Problem(field, value, SharedCulture);

    /// <summary>
    /// Why <paramref name="value"/> does not meet <paramref name="field"/>'s rules, as a sentence
    /// to show beside the field in <paramref name="culture"/>'s language (dates and numbers in it written as that
    /// culture writes them, <see cref="FieldValueFormats.Display"/>), or null when it does or when it is empty (not
    /// filled in). A value that would be refused (<see cref="Refusal(FieldDefinition, string, CultureInfo)"/>) has that
    /// refusal as its problem. The advisor's own pattern message is shown as typed, in any language.
    /// </summary>
    public static string? Problem(FieldDefinition field, string value, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(culture);
        if (Refusal(field, value, culture) is { } refusal)
        {
            return refusal;
        }

        if (value.Length == 0)
        {
            return null;
        }

        var problem = field.Kind switch
        {
            FieldKind.Text => TextProblem(field, value, DefaultTextMaxLength, singleLine: true, culture),
            FieldKind.MultilineText => TextProblem(field, value, DefaultMultilineMaxLength, singleLine: false, culture),
            FieldKind.Initials => TextProblem(field, value, DefaultInitialsMaxLength, singleLine: true, culture),
            FieldKind.Date => DateProblem(field, value, culture),
            FieldKind.Number => NumberProblem(field, value, culture),
            _ => null,
        };
        return problem ?? PatternProblem(field, value, culture);
    }

    /// <summary>
    /// Whether <paramref name="field"/> is filled in properly: a signature spot once its party has
    /// signed (<paramref name="partySigned"/>), any other field with a non-empty value without a
    /// <see cref="Problem"/> (a checkbox is done when ticked).
    /// </summary>
    public static bool IsDone(FieldDefinition field, string? value, bool partySigned)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Kind == FieldKind.SignatureSpot
            ? partySigned
            : !string.IsNullOrEmpty(value) && Problem(field, value) is null;
    }

    /// <summary>
    /// The required fields of <paramref name="party"/> that are not done (see <see cref="IsDone"/>),
    /// in the order of <paramref name="fields"/>. Pass <paramref name="partySigned"/> true when the
    /// party has signed or is signing now, so its signature spots count as done.
    /// </summary>
    public static IReadOnlyList<FieldDefinition> Missing(
        IEnumerable<FieldDefinition> fields,
        IReadOnlyDictionary<Guid, string> values,
        FieldParty party,
        bool partySigned)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        return fields
            .Where(f => f.Party == party && f.Required && !IsDone(f, values.GetValueOrDefault(f.Id), partySigned))
            .ToList();
    }

    /// <summary>The sentence refusing to sign while <paramref name="missing"/> are not filled in, in the shared English ("Fill in the required fields first: Full name, IBAN.").</summary>
    public static string FillInFirst(IEnumerable<FieldDefinition> missing) => FillInFirst(missing, SharedCulture);

    /// <summary>The sentence refusing to sign while <paramref name="missing"/> are not filled in, in <paramref name="culture"/>'s language.</summary>
    public static string FillInFirst(IEnumerable<FieldDefinition> missing, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return Say(culture, "Signing.FillInFirst", string.Join(", ", missing.Select(f => Name(f, culture))));
    }

    private static string? TextProblem(FieldDefinition field, string value, int defaultMax, bool singleLine, CultureInfo culture)
    {
        var max = field.Rules.MaxLength ?? defaultMax;
        if (value.Length > max)
        {
            return Say(culture, "FieldRule.MaxLength", Name(field, culture), max.ToString(culture));
        }

        return singleLine && value.AsSpan().IndexOfAny('\r', '\n') >= 0 ? Say(culture, "FieldRule.SingleLine", Name(field, culture)) : null;
    }

    private static string? DateProblem(FieldDefinition field, string value, CultureInfo culture)
    {
        if (!DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Say(culture, "FieldRule.MustBeDate", Name(field, culture), FieldValueFormats.Display(FieldKind.Date, ExampleDate, culture));
        }

        if (field.Rules.MinDate is { } min && date < min)
        {
            return Say(culture, "FieldRule.DateNotBefore", Name(field, culture), Shown(min, culture));
        }

        return field.Rules.MaxDate is { } max && date > max
            ? Say(culture, "FieldRule.DateNotAfter", Name(field, culture), Shown(max, culture))
            : null;
    }

    private static string? NumberProblem(FieldDefinition field, string value, CultureInfo culture)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return Say(culture, "FieldRule.MustBeNumber", Name(field, culture), FieldValueFormats.Display(FieldKind.Number, ExampleNumber, culture));
        }

        if (field.Rules.MinNumber is { } min && number < min)
        {
            return Say(culture, "FieldRule.AtLeast", Name(field, culture), Shown(min, culture));
        }

        return field.Rules.MaxNumber is { } max && number > max
            ? Say(culture, "FieldRule.AtMost", Name(field, culture), Shown(max, culture))
            : null;
    }

    /// <summary>The whole value must match the pattern; a pattern that cannot be used or takes too long counts as not matching.</summary>
    private static string? PatternProblem(FieldDefinition field, string value, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(field.Rules.Pattern))
        {
            return null;
        }

        bool matches;
        try
        {
            matches = FieldPatterns.WholeValue(field.Rules.Pattern).IsMatch(value);
        }
        catch (Exception e) when (e is RegexMatchTimeoutException or ArgumentException or NotSupportedException)
        {
            matches = false;
        }

        return matches ? null
            : string.IsNullOrWhiteSpace(field.Rules.PatternMessage) ? Say(culture, "FieldRule.NotExpectedFormat", Name(field, culture))
            : field.Rules.PatternMessage;
    }

    /// <summary>How the rules name a field in their sentences, in <paramref name="culture"/>'s language: its label, or "This field" when it has none.</summary>
    public static string NameOf(FieldDefinition field, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Name(field, culture);
    }

    private static string Name(FieldDefinition field, CultureInfo culture) =>
        string.IsNullOrWhiteSpace(field.Label) ? Say(culture, "FieldRule.ThisField") : field.Label;

    /// <summary>A date or number of the field's rules as <paramref name="culture"/> writes it (the stored form in English).</summary>
    private static string Shown(DateOnly date, CultureInfo culture) =>
        FieldValueFormats.Display(FieldKind.Date, date.ToString(DateFormat, CultureInfo.InvariantCulture), culture);

    private static string Shown(decimal number, CultureInfo culture) =>
        FieldValueFormats.Display(FieldKind.Number, number.ToString(CultureInfo.InvariantCulture), culture);

    private static string Say(CultureInfo culture, string key, params object[] arguments) => CustomerTextIn.Format(culture, key, arguments);
}
