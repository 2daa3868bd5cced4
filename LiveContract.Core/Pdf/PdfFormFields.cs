using System.Text;
using System.Text.RegularExpressions;
using LiveContract.Core.Common;
using LiveContract.Core.Data.Configurations;
using LiveContract.Core.Fields;
using Microsoft.Extensions.Logging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.AcroForms.Fields;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokens;

namespace LiveContract.Core.Pdf;

/// <summary>One of a PDF's own form fields, as LiveContract takes it over (see <see cref="PdfFormFields"/>).</summary>
public sealed record PdfFormField(string Name, FieldDraft Draft);

/// <summary>
/// Finds a PDF's own (AcroForm) form fields with PdfPig, so they become fields of the contract
/// (<see cref="FieldSource.PdfForm"/>): text (multi-line when flagged) and its maximum length,
/// checkbox, radio group (its options are the buttons' on-state names), combo and list box
/// (choice, with the options' display texts), and signature field (signature spot). Push buttons
/// and read-only fields are left out. A field's box is its widget's <c>/Rect</c>; a field with
/// several widgets takes its first one, except that a radio group (or a group of same-named
/// checkboxes with different on-states, which PDF viewers treat as one exclusive choice) becomes
/// one radio field whose box surrounds its buttons on the first button's page. A combo or list box
/// with fewer than two options becomes a text field. The label is the field's tooltip
/// (<c>/TU</c>), else its name made readable; each field is for the customer, required when the PDF
/// says so. A field that breaks <see cref="FieldDefinitionRules"/> (say, a box off the page) or
/// that PdfPig cannot read is logged and skipped: a broken form never stops an upload.
/// </summary>
public static partial class PdfFormFields
{
    private const uint ReadOnlyFlag = 1;
    private const uint RequiredFlag = 2;

    /// <summary>Reads the form fields of the PDF in <paramref name="pdf"/>; none when it has no form or the form cannot be read.</summary>
    public static IReadOnlyList<PdfFormField> Detect(Stream pdf, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            using var document = PdfDocument.Open(pdf);
            if (!document.TryGetForm(out var form))
            {
                return [];
            }

            var found = new List<PdfFormField>();
            foreach (var field in form.Fields)
            {
                Collect(document, field, null, found, logger);
            }

            return found;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "The PDF's form could not be read; no form fields were taken over");
            return [];
        }
        finally
        {
            pdf.Position = 0;
        }
    }

    /// <summary>"TextField-DefaultValue" → "Text field default value"; "IBAN_number" → "IBAN number".</summary>
    public static string ReadableName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var spaced = WordBoundary().Replace(Separators().Replace(name, " "), " ");
        var words = spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.All(c => !char.IsLower(c)) ? w : w.ToLowerInvariant())
            .ToList();
        if (words.Count == 0)
        {
            return "";
        }

        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static void Collect(PdfDocument document, AcroFieldBase field, string? parentName, List<PdfFormField> found, ILogger logger)
    {
        var partial = field.Information.PartialName;
        var name = string.IsNullOrEmpty(partial) ? parentName ?? "" : parentName is null ? partial : $"{parentName}.{partial}";
        try
        {
            switch (field)
            {
                case AcroRadioButtonsField or AcroCheckboxesField:
                    Add(document, ButtonGroup(document, (AcroNonTerminalField)field), field, name, found, logger);
                    break;

                case AcroNonTerminalField parent:
                    foreach (var child in parent.Children)
                    {
                        Collect(document, child, name, found, logger);
                    }

                    break;

                default:
                    Add(document, Terminal(field), field, name, found, logger);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "The PDF form field {Name} could not be read; it was skipped", name);
        }
    }

    private static void Add(PdfDocument document, Widget? widget, AcroFieldBase field, string name, List<PdfFormField> found, ILogger logger)
    {
        if (widget is null || (field.FieldFlags & ReadOnlyFlag) != 0)
        {
            return;
        }

        // A PDF's tooltips and names often hold line breaks; nobody typed them here, so they are cleaned, not refused.
        var label = FreeText.Neutralise(Tooltip(document, field) ?? ReadableName(name));
        if (label.Length > FieldDefinitionRules.MaxLabelLength)
        {
            label = label[..FieldDefinitionRules.MaxLabelLength].TrimEnd();
        }

        var draft = new FieldDraft(
            Guid.Empty,
            widget.Page,
            widget.Box,
            widget.Kind,
            label.Length == 0 ? "Form field" : label,
            FieldParty.Customer,
            (field.FieldFlags & RequiredFlag) != 0,
            new FieldRuleSet(MaxLength: widget.MaxLength),
            widget.Options.Select(FreeText.Neutralise).ToList());
        if (name.Length is 0 or > FieldConfiguration.MaxPdfFieldNameLength || widget.Page < 1 || widget.Page > document.NumberOfPages)
        {
            logger.LogInformation("A PDF form field without a usable name or page ({Name}, page {Page}) was skipped", name, widget.Page);
            return;
        }

        var area = PdfPageArea.Of(document.GetPage(widget.Page));
        if (FieldDefinitionRules.Check(draft, document.NumberOfPages, area) is { } refused)
        {
            logger.LogInformation("The PDF form field {Name} was skipped: {Reason}", name, refused.Message);
            return;
        }

        found.Add(new PdfFormField(name, draft));
    }

    private static Widget? Terminal(AcroFieldBase field)
    {
        if (field.PageNumber is not { } page || field.Bounds is not { } bounds)
        {
            return null;
        }

        var box = Box(bounds);
        return field switch
        {
            AcroTextField text => new Widget(
                page,
                box,
                text.IsMultiline ? FieldKind.MultilineText : FieldKind.Text,
                text.MaxLength is >= 1 and <= FieldDefinitionRules.MaxTextLength ? text.MaxLength : null,
                []),
            AcroCheckboxField => new Widget(page, box, FieldKind.Checkbox, null, []),
            AcroRadioButtonField => new Widget(page, box, FieldKind.Checkbox, null, []),
            AcroComboBoxField combo => Choice(page, box, combo.Options),
            AcroListBoxField list => Choice(page, box, list.Options),
            AcroSignatureField => new Widget(page, box, FieldKind.SignatureSpot, null, []),
            _ => null,
        };
    }

    private static Widget Choice(int page, FieldBox box, IReadOnlyList<AcroChoiceOption> options)
    {
        var texts = options.Select(o => (o.Name ?? o.ExportValue ?? "").Trim()).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return texts.Count is >= FieldDefinitionRules.MinOptions and <= FieldDefinitionRules.MaxOptions
            ? new Widget(page, box, FieldKind.Choice, null, texts)
            : new Widget(page, box, FieldKind.Text, null, []);
    }

    /// <summary>A radio group, or same-named checkboxes: one radio field over the buttons on the first one's page, or a checkbox when there is only one on-state.</summary>
    private static Widget? ButtonGroup(PdfDocument document, AcroNonTerminalField group)
    {
        var buttons = group.Children
            .Where(b => b.PageNumber is not null && b.Bounds is not null)
            .Select(b => (Page: b.PageNumber!.Value, Bounds: b.Bounds!.Value, OnState: OnState(document, b)))
            .ToList();
        if (buttons.Count == 0)
        {
            return null;
        }

        var page = buttons[0].Page;
        var onPage = buttons.Where(b => b.Page == page).ToList();
        var options = onPage.Select(b => b.OnState).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (options.Count < FieldDefinitionRules.MinOptions || options.Count > FieldDefinitionRules.MaxOptions)
        {
            return new Widget(page, Box(onPage[0].Bounds), FieldKind.Checkbox, null, []);
        }

        var left = onPage.Min(b => Math.Min(b.Bounds.Left, b.Bounds.Right));
        var right = onPage.Max(b => Math.Max(b.Bounds.Left, b.Bounds.Right));
        var bottom = onPage.Min(b => Math.Min(b.Bounds.Bottom, b.Bounds.Top));
        var top = onPage.Max(b => Math.Max(b.Bounds.Bottom, b.Bounds.Top));
        return new Widget(page, new FieldBox(left, bottom, right - left, top - bottom), FieldKind.Radio, null, options);
    }

    /// <summary>The name of a button's "on" appearance (its <c>/AP /N</c> key other than <c>Off</c>).</summary>
    private static string? OnState(PdfDocument document, AcroFieldBase button)
    {
        var scanner = document.Structure.TokenScanner;
        if (!button.Dictionary.TryGet(NameToken.Ap, out var appearanceToken)
            || !DirectObjectFinder.TryGet<DictionaryToken>(appearanceToken, scanner, out var appearance)
            || !appearance.TryGet(NameToken.N, out var normalToken)
            || !DirectObjectFinder.TryGet<DictionaryToken>(normalToken, scanner, out var normal))
        {
            return null;
        }

        return normal.Data.Keys.FirstOrDefault(k => k != "Off");
    }

    private static string? Tooltip(PdfDocument document, AcroFieldBase field)
    {
        if (!field.Dictionary.TryGet(NameToken.Tu, out var token))
        {
            return null;
        }

        var resolved = token is IndirectReferenceToken reference ? document.Structure.GetObject(reference.Data).Data : token;
        if (resolved is not IDataToken<string> tooltip)
        {
            return null;
        }

        var text = new StringBuilder(tooltip.Data.Trim());
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                text[i] = ' ';
            }
        }

        var cleaned = text.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static FieldBox Box(PdfRectangle bounds)
    {
        var left = Math.Min(bounds.Left, bounds.Right);
        var bottom = Math.Min(bounds.Bottom, bounds.Top);
        return new FieldBox(left, bottom, Math.Abs(bounds.Right - bounds.Left), Math.Abs(bounds.Top - bounds.Bottom));
    }

    [GeneratedRegex(@"[\s\-_.:/]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\p{Nd})|(?<=\p{Nd})(?=\p{L})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})")]
    private static partial Regex WordBoundary();

    private sealed record Widget(int Page, FieldBox Box, FieldKind Kind, int? MaxLength, IReadOnlyList<string> Options);
}
