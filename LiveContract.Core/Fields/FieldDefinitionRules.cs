using System.Globalization;
using LiveContract.Core.Common;
using LiveContract.Core.Data.Configurations;

namespace LiveContract.Core.Fields;

/// <summary>
/// Whether a field, as an advisor places or changes it (<see cref="FieldDraft"/>), is well formed:
/// on an existing page, its box of a usable size and inside the page, a label, only the rules that
/// apply to its kind and consistent ones, and options exactly for radio and choice fields. Pure
/// functions: each check answers the first problem as a sentence, or null.
/// </summary>
public static class FieldDefinitionRules
{
    public const int MaxLabelLength = FieldConfiguration.MaxLabelLength;

    /// <summary>The largest <see cref="FieldRuleSet.MaxLength"/> a text field may set.</summary>
    public const int MaxTextLength = 2000;

    public const int MaxPatternLength = FieldConfiguration.MaxPatternLength;

    public const int MaxPatternMessageLength = FieldConfiguration.MaxLabelLength;

    public const int MinOptions = 2;

    public const int MaxOptions = 50;

    public const int MaxOptionLength = 200;

    /// <summary>The smallest width and height of a box in points (about 1.4 mm): smaller cannot be seen, clicked or filled.</summary>
    public const double MinSide = 4;

    /// <summary>Rounding slack, in points, when comparing a box with its page: a box drawn exactly to the edge stays on the page.</summary>
    private const double Tolerance = 0.01;

    /// <summary>Whether <paramref name="page"/> (from 1) is a page of a document with <paramref name="pageCount"/> pages.</summary>
    public static OperationError? CheckPage(int page, int pageCount) =>
        page >= 1 && page <= pageCount
            ? null
            : Invalid(pageCount == 1
                ? $"The document has one page, so a field cannot go on page {page}."
                : $"The document has {pageCount} pages, so a field cannot go on page {page}.");

    /// <summary>
    /// Checks <paramref name="draft"/> for a document of <paramref name="pageCount"/> pages whose
    /// page <see cref="FieldDraft.Page"/> shows <paramref name="pageArea"/> (its crop box, in the
    /// same unrotated user space as the field's box).
    /// </summary>
    public static OperationError? Check(FieldDraft draft, int pageCount, FieldBox pageArea)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(pageArea);
        return CheckKind(draft)
            ?? CheckPage(draft.Page, pageCount)
            ?? CheckBox(draft.Box, pageArea)
            ?? CheckLabel(draft.Label)
            ?? CheckRules(draft.Kind, draft.Rules ?? FieldRuleSet.None)
            ?? CheckOptions(draft.Kind, draft.Options ?? []);
    }

    /// <summary>Whether <paramref name="box"/> is a real box of at least <see cref="MinSide"/> points each way, inside <paramref name="pageArea"/>.</summary>
    public static OperationError? CheckBox(FieldBox? box, FieldBox pageArea)
    {
        ArgumentNullException.ThrowIfNull(pageArea);
        if (box is null)
        {
            return Invalid("Say where the field goes: its box (left, bottom, width and height in points).");
        }

        if (!double.IsFinite(box.Left) || !double.IsFinite(box.Bottom) || !double.IsFinite(box.Width) || !double.IsFinite(box.Height))
        {
            return Invalid("The field's box must be given in numbers of points.");
        }

        if (box.Width <= 0 || box.Height <= 0)
        {
            return Invalid("The field's box has no size: give it a width and a height greater than zero.");
        }

        if (box.Width < MinSide || box.Height < MinSide)
        {
            return Invalid(Format($"The field's box is too small to see or fill in: make it at least {MinSide} points wide and high."));
        }

        var pageRight = pageArea.Left + pageArea.Width;
        var pageTop = pageArea.Bottom + pageArea.Height;
        if (box.Left < pageArea.Left - Tolerance
            || box.Bottom < pageArea.Bottom - Tolerance
            || box.Left + box.Width > pageRight + Tolerance
            || box.Bottom + box.Height > pageTop + Tolerance)
        {
            return Invalid(Format(
                $"The field's box goes outside the page: it must lie within {pageArea.Left:0.##} to {pageRight:0.##} points across and {pageArea.Bottom:0.##} to {pageTop:0.##} points up."));
        }

        return null;
    }

    public static OperationError? CheckLabel(string? label)
    {
        var trimmed = label?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Invalid("Give the field a label, so the person filling it in knows what to write.");
        }

        return trimmed.Length > MaxLabelLength
            ? Invalid($"The field's label is too long: at most {MaxLabelLength} characters.")
            : FreeText.Check(trimmed, "field's label");
    }

    /// <summary>Whether each rule in <paramref name="rules"/> applies to <paramref name="kind"/> and the rules agree with each other.</summary>
    public static OperationError? CheckRules(FieldKind kind, FieldRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var typed = kind is FieldKind.Text or FieldKind.MultilineText or FieldKind.Initials;
        var name = KindName(kind);
        if (rules.MaxLength is { } maxLength)
        {
            if (!typed)
            {
                return Invalid($"A character limit applies only to text, multi-line text and initials, not to {name}.");
            }

            if (maxLength < 1 || maxLength > MaxTextLength)
            {
                return Invalid($"The character limit must be between 1 and {MaxTextLength}.");
            }
        }

        if ((rules.MinDate is not null || rules.MaxDate is not null) && kind != FieldKind.Date)
        {
            return Invalid($"A date range applies only to date fields, not to {name}.");
        }

        if (rules is { MinDate: { } minDate, MaxDate: { } maxDate } && minDate > maxDate)
        {
            return Invalid(Format($"The earliest date ({minDate:yyyy-MM-dd}) is after the latest date ({maxDate:yyyy-MM-dd})."));
        }

        if ((rules.MinNumber is not null || rules.MaxNumber is not null) && kind != FieldKind.Number)
        {
            return Invalid($"A number range applies only to number fields, not to {name}.");
        }

        if (rules is { MinNumber: { } minNumber, MaxNumber: { } maxNumber } && minNumber > maxNumber)
        {
            return Invalid(Format($"The smallest number ({minNumber}) is greater than the largest number ({maxNumber})."));
        }

        return CheckPattern(kind, typed, rules.Pattern, rules.PatternMessage);
    }

    /// <summary>Radio and choice fields offer <see cref="MinOptions"/> to <see cref="MaxOptions"/> distinct, non-empty options; other kinds offer none.</summary>
    public static OperationError? CheckOptions(FieldKind kind, IReadOnlyList<string?> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (kind is not (FieldKind.Radio or FieldKind.Choice))
        {
            return options.Count == 0 ? null : Invalid($"Only radio and choice fields have options, not {KindName(kind)}.");
        }

        if (options.Count < MinOptions || options.Count > MaxOptions)
        {
            return Invalid($"A {KindName(kind)} field needs between {MinOptions} and {MaxOptions} options to choose from.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var trimmed = option?.Trim() ?? "";
            if (trimmed.Length == 0)
            {
                return Invalid("Every option needs a text; remove the empty one.");
            }

            if (trimmed.Length > MaxOptionLength)
            {
                return Invalid($"An option is too long: at most {MaxOptionLength} characters.");
            }

            if (FreeText.Check(trimmed, $"option “{trimmed}”") is { } hidden)
            {
                return hidden;
            }

            if (!seen.Add(trimmed))
            {
                return Invalid($"The option “{trimmed}” is there twice; each option must be different.");
            }
        }

        return null;
    }

    /// <summary>A readable name of the kind, as used in the sentences above ("multi-line text").</summary>
    public static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Text => "text",
        FieldKind.MultilineText => "multi-line text",
        FieldKind.Date => "date",
        FieldKind.Number => "number",
        FieldKind.Checkbox => "checkbox",
        FieldKind.Radio => "radio",
        FieldKind.Choice => "choice",
        FieldKind.Initials => "initials",
        FieldKind.SignatureSpot => "signature spot",
        _ => kind.ToString(),
    };

    private static OperationError? CheckKind(FieldDraft draft)
    {
        if (!Enum.IsDefined(draft.Kind))
        {
            return Invalid("Choose what the field asks for: text, multi-line text, date, number, checkbox, radio, choice, initials or signature spot.");
        }

        return Enum.IsDefined(draft.Party) ? null : Invalid("Choose who fills the field in: the customer or the advisor.");
    }

    private static OperationError? CheckPattern(FieldKind kind, bool typed, string? pattern, string? message)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return string.IsNullOrWhiteSpace(message) ? null : Invalid("A message for a pattern needs a pattern; add the pattern or remove the message.");
        }

        if (!typed)
        {
            return Invalid($"A pattern applies only to text, multi-line text and initials, not to {KindName(kind)}.");
        }

        if (pattern.Length > MaxPatternLength)
        {
            return Invalid($"The pattern is too long: at most {MaxPatternLength} characters.");
        }

        if (!FieldPatterns.IsValid(pattern))
        {
            return Invalid("The pattern is not a regular expression LiveContract can check (back-references and look-arounds are not supported).");
        }

        var trimmed = message?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Invalid("Add a message for the pattern, saying what a value must look like (e.g. \"Enter an IBAN such as DE89 3704 0044 0532 0130 00\").");
        }

        return trimmed.Length > MaxPatternMessageLength
            ? Invalid($"The pattern's message is too long: at most {MaxPatternMessageLength} characters.")
            : FreeText.Check(trimmed, "pattern's message");
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static OperationError Invalid(string message) => new(ErrorKind.Invalid, message);
}
