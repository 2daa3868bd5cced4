using System.Globalization;
using System.Text.RegularExpressions;
using LiveContract.Core.Common;

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

    /// <summary>The sentence for a value longer than <see cref="HardMaxLength"/>.</summary>
    public static string TooLong(FieldDefinition field) =>
        $"{Name(field)} cannot hold more than {HardMaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters.";

    /// <summary>Why <paramref name="value"/> cannot be accepted for <paramref name="field"/> at all, or null when it may be stored (it may still have a <see cref="Problem"/>).</summary>
    public static string? Refusal(FieldDefinition field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > HardMaxLength)
        {
            return TooLong(field);
        }

        if (FreeText.HasControlOrBrokenCharacter(value, allowLineBreaksAndTabs: true))
        {
            return $"{Name(field)} cannot hold control characters (other than line breaks and tabs) or broken characters.";
        }

        return field.Kind switch
        {
            FieldKind.SignatureSpot => $"{Name(field)} is filled by signing; it takes no typed value.",
            FieldKind.Checkbox when value is not ("" or "true") => $"{Name(field)} is a checkbox: its value is \"true\" (ticked) or empty.",
            FieldKind.Radio or FieldKind.Choice when value.Length > 0 && !field.Options.Contains(value, StringComparer.Ordinal) =>
                $"{Name(field)} offers only {Offered(field)}.",
            _ => null,
        };
    }

    /// <summary>
    /// Why <paramref name="value"/> does not meet <paramref name="field"/>'s rules, as a sentence
    /// to show beside the field, or null when it does or when it is empty (not filled in). A value
    /// that would be refused (<see cref="Refusal"/>) has that refusal as its problem.
    /// </summary>
    public static string? Problem(FieldDefinition field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        if (Refusal(field, value) is { } refusal)
        {
            return refusal;
        }

        if (value.Length == 0)
        {
            return null;
        }

        var problem = field.Kind switch
        {
            FieldKind.Text => TextProblem(field, value, DefaultTextMaxLength, singleLine: true),
            FieldKind.MultilineText => TextProblem(field, value, DefaultMultilineMaxLength, singleLine: false),
            FieldKind.Initials => TextProblem(field, value, DefaultInitialsMaxLength, singleLine: true),
            FieldKind.Date => DateProblem(field, value),
            FieldKind.Number => NumberProblem(field, value),
            _ => null,
        };
        return problem ?? PatternProblem(field, value);
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

    /// <summary>The sentence refusing to sign while <paramref name="missing"/> are not filled in ("Fill in the required fields first: Full name, IBAN.").</summary>
    public static string FillInFirst(IEnumerable<FieldDefinition> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return $"Fill in the required fields first: {string.Join(", ", missing.Select(Name))}.";
    }

    private static string? TextProblem(FieldDefinition field, string value, int defaultMax, bool singleLine)
    {
        var max = field.Rules.MaxLength ?? defaultMax;
        if (value.Length > max)
        {
            return $"{Name(field)} may have at most {max.ToString(CultureInfo.InvariantCulture)} characters.";
        }

        return singleLine && value.AsSpan().IndexOfAny('\r', '\n') >= 0 ? $"{Name(field)} must be a single line." : null;
    }

    private static string? DateProblem(FieldDefinition field, string value)
    {
        if (!DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return $"{Name(field)} must be a date written as year-month-day, such as 2025-03-31.";
        }

        if (field.Rules.MinDate is { } min && date < min)
        {
            return $"{Name(field)} must be on or after {min.ToString(DateFormat, CultureInfo.InvariantCulture)}.";
        }

        return field.Rules.MaxDate is { } max && date > max
            ? $"{Name(field)} must be on or before {max.ToString(DateFormat, CultureInfo.InvariantCulture)}."
            : null;
    }

    private static string? NumberProblem(FieldDefinition field, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return $"{Name(field)} must be a number written with digits and a decimal point, such as 1250.50.";
        }

        if (field.Rules.MinNumber is { } min && number < min)
        {
            return $"{Name(field)} must be at least {min.ToString(CultureInfo.InvariantCulture)}.";
        }

        return field.Rules.MaxNumber is { } max && number > max
            ? $"{Name(field)} must be at most {max.ToString(CultureInfo.InvariantCulture)}."
            : null;
    }

    /// <summary>The whole value must match the pattern; a pattern that cannot be used or takes too long counts as not matching.</summary>
    private static string? PatternProblem(FieldDefinition field, string value)
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

        return matches ? null : string.IsNullOrWhiteSpace(field.Rules.PatternMessage) ? $"{Name(field)} is not in the expected format." : field.Rules.PatternMessage;
    }

    private static string Offered(FieldDefinition field) =>
        field.Options.Count == 0 ? "no options" : string.Join(", ", field.Options.Select(o => $"\"{o}\""));

    /// <summary>How the rules name a field in their sentences: its label.</summary>
    public static string NameOf(FieldDefinition field) => Name(field);

    private static string Name(FieldDefinition field) => string.IsNullOrWhiteSpace(field.Label) ? "This field" : field.Label;
}
