using System.Text.RegularExpressions;
using LiveContract.Core.Fields;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics.Operations;
using UglyToad.PdfPig.Graphics.Operations.ClippingPaths;
using UglyToad.PdfPig.Graphics.Operations.PathConstruction;
using UglyToad.PdfPig.Graphics.Operations.PathPainting;
using UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// A field's value to print on a page of the sealed PDF. <see cref="Document"/> is the index of the
/// document among those composed (from 0), <see cref="Page"/> its page (from 1), <see cref="Box"/>
/// the field's box in that page's unrotated user space (as <see cref="Field"/> states it),
/// <see cref="Value"/> the value as the contract's language writes it (<see cref="FieldValueFormats.Display"/>; the
/// stored form in English). A signature spot prints <see cref="Signature"/> (the
/// signer's drawn PNG) and has the signer's name as its value, printed when the image cannot be.
/// </summary>
public sealed record BurnedField(int Document, int Page, FieldBox Box, FieldKind Kind, string Value, byte[]? Signature = null);

/// <summary>
/// Prints field values on a page copied into a sealed PDF, each inside its box and upright for the
/// reader whatever the page's <c>/Rotate</c>: text in the certificate's fonts (each script in a
/// font that has it), shrunk to fit the box and cut with "…" when it still does not fit (multi-line
/// text wraps); a tick drawn with lines for a ticked checkbox; the drawn signature in a signature
/// spot, as large as fits and keeping its proportions. Empty values print nothing. Every value is
/// clipped to its box and the box to the page's visible area.
/// </summary>
/// <remarks>
/// PdfPig 0.1.16 prefixes what it writes on a copied page with the inverse of the "global"
/// transform it thinks the page's content leaves behind, which is wrong for content with balanced
/// <c>q … cm … Q</c>. So the copied content is wrapped in <c>q</c> … <c>Q</c> instead (closing any
/// <c>q</c> the content leaves open) and PdfPig's guess is dropped: the values are written in the
/// page's own user space, in a graphics state this class controls.
/// </remarks>
internal static partial class SealedFieldPrinter
{
    private const double MaxTextSize = 12;
    private const double MinTextSize = 5;
    private const double LineHeight = 1.15;
    private const double Ascent = 0.9;
    private const double Descent = 0.25;
    private const string Ellipsis = "…";

    private static readonly (byte R, byte G, byte B) Ink = (0x0B, 0x1F, 0x5C);

    /// <summary>Prints <paramref name="fields"/> (all on this page) on <paramref name="page"/>, the copy of <paramref name="source"/>.</summary>
    public static void Print(PdfPageBuilder page, Page source, IReadOnlyList<BurnedField> fields, CertificateFonts fonts, CertificateFonts.DocumentFonts documentFonts)
    {
        var visible = source.CropBox.Bounds;
        var printed = fields
            .Where(HasInk)
            .Select(field => (Field: field, Area: Intersect(field.Box, visible)))
            .Where(entry => entry.Area is not null)
            .ToList();
        if (printed.Count == 0)
        {
            return;
        }

        Isolate(page, source);
        var imagesAllowed = !source.Operations.OfType<InvokeNamedXObject>().Any(o => PdfPigImageName().IsMatch(o.Name.Data));
        var operations = page.CurrentStream.Operations;
        foreach (var (field, area) in printed)
        {
            var (matrix, width, height) = Frame(area!.Value, source.Rotation.Value);
            operations.Add(Push.Value);
            operations.Add(new ModifyCurrentTransformationMatrix(matrix));
            operations.Add(new AppendRectangle(0, 0, width, height));
            operations.Add(ModifyClippingByNonZeroWindingIntersect.Value);
            operations.Add(EndPath.Value);
            page.SetTextAndFillColor(Ink.R, Ink.G, Ink.B);
            page.SetStrokeColor(Ink.R, Ink.G, Ink.B);
            var box = new Area(width, height, Math.Min(2, Math.Min(width, height) * 0.1));
            switch (field.Kind)
            {
                case FieldKind.Checkbox:
                    Tick(page, box);
                    break;
                case FieldKind.SignatureSpot when imagesAllowed && TrySignature(page, box, field.Signature!):
                    break;
                case FieldKind.MultilineText:
                    Lines(page, box, field.Value, fonts, documentFonts);
                    break;
                default:
                    Line(page, box, field.Value, fonts, documentFonts);
                    break;
            }

            operations.Add(Pop.Value);
        }
    }

    /// <summary>Whether the field has anything to print: a ticked checkbox, a signature, a value that is not blank.</summary>
    private static bool HasInk(BurnedField field) => field.Kind switch
    {
        FieldKind.Checkbox => field.Value == "true",
        FieldKind.SignatureSpot => field.Signature is { Length: > 0 },
        _ => !string.IsNullOrWhiteSpace(field.Value),
    };

    /// <summary>The part of the box on the page's visible area; null when none of it is.</summary>
    private static PdfRectangle? Intersect(FieldBox box, PdfRectangle visible)
    {
        var left = Math.Max(box.Left, visible.Left);
        var bottom = Math.Max(box.Bottom, visible.Bottom);
        var right = Math.Min(box.Left + box.Width, visible.Right);
        var top = Math.Min(box.Bottom + box.Height, visible.Top);
        return right - left >= 1 && top - bottom >= 1 ? new PdfRectangle(left, bottom, right, top) : null;
    }

    /// <summary>
    /// Wraps the copied content in <c>q</c> … <c>Q</c> and makes the page's last content stream,
    /// where PdfPig writes, start in the page's untransformed user space.
    /// </summary>
    private static void Isolate(PdfPageBuilder page, Page source)
    {
        var unclosed = 0;
        foreach (var operation in source.Operations)
        {
            unclosed = operation switch
            {
                Push => unclosed + 1,
                Pop => Math.Max(0, unclosed - 1),
                _ => unclosed,
            };
        }

        page.SelectContentStream(0);
        page.NewContentStreamBefore();
        page.CurrentStream.Operations.Add(Push.Value);
        page.SelectContentStream(page.ContentStreams.Count - 1);
        var overlay = page.CurrentStream.Operations;
        overlay.Clear();
        for (var i = 0; i <= unclosed; i++)
        {
            overlay.Add(Pop.Value);
        }
    }

    /// <summary>
    /// The transform from a frame where the box is (0, 0)–(width, height) as the reader sees it
    /// (x to the right, y up on the displayed page) to the page's user space, for a page turned
    /// clockwise by <paramref name="rotation"/> degrees.
    /// </summary>
    private static (double[] Matrix, double Width, double Height) Frame(PdfRectangle area, int rotation) => (((rotation % 360) + 360) % 360) switch
    {
        90 => (new double[] { 0, 1, -1, 0, area.Right, area.Bottom }, area.Height, area.Width),
        180 => (new double[] { -1, 0, 0, -1, area.Right, area.Top }, area.Width, area.Height),
        270 => (new double[] { 0, -1, 1, 0, area.Left, area.Top }, area.Height, area.Width),
        _ => (new double[] { 1, 0, 0, 1, area.Left, area.Bottom }, area.Width, area.Height),
    };

    /// <summary>One line, vertically centred, as large as the box allows (at most 12 pt), smaller when it is too long.</summary>
    private static void Line(PdfPageBuilder page, Area box, string value, CertificateFonts fonts, CertificateFonts.DocumentFonts documentFonts)
    {
        var text = fonts.Drawable(value).Trim();
        var size = Math.Min(MaxTextSize, box.InnerHeight / LineHeight);
        var width = fonts.Width(text, size);
        if (width > box.InnerWidth)
        {
            size = Math.Min(size, Math.Max(MinTextSize, size * box.InnerWidth / width));
        }

        text = Cut(text, box.InnerWidth, size, fonts);
        var baseline = ((box.Height - (size * LineHeight)) / 2) + (size * Descent);
        documentFonts.Draw(page, text, size, new PdfPoint(box.Padding, baseline));
    }

    /// <summary>Wrapped lines from the top of the box (line breaks kept), smaller until they fit; what still does not fit is cut with "…".</summary>
    private static void Lines(PdfPageBuilder page, Area box, string value, CertificateFonts fonts, CertificateFonts.DocumentFonts documentFonts)
    {
        var paragraphs = value.ReplaceLineEndings("\n").Trim('\n').Split('\n');
        var size = Math.Min(MaxTextSize, box.InnerHeight / LineHeight);
        List<string> lines;
        while (true)
        {
            lines = paragraphs.SelectMany(paragraph => fonts.Wrap(paragraph, box.InnerWidth, size)).ToList();
            if (lines.Count * size * LineHeight <= box.InnerHeight || size <= MinTextSize)
            {
                break;
            }

            size = Math.Max(MinTextSize, size * 0.9);
        }

        var fitting = Math.Max(1, (int)Math.Floor(box.InnerHeight / (size * LineHeight)));
        if (lines.Count > fitting)
        {
            lines = lines[..fitting];
            lines[^1] = Cut(lines[^1], box.InnerWidth, size, fonts, more: true);
        }

        var baseline = box.Height - box.Padding - (size * Ascent);
        foreach (var line in lines)
        {
            documentFonts.Draw(page, line, size, new PdfPoint(box.Padding, baseline));
            baseline -= size * LineHeight;
        }
    }

    /// <summary>
    /// <paramref name="text"/> as it is when it fits, otherwise as much as fits followed by "…";
    /// with <paramref name="more"/> (text follows that is not shown) always followed by "…".
    /// </summary>
    private static string Cut(string text, double width, double size, CertificateFonts fonts, bool more = false)
    {
        if (!more && fonts.Width(text, size) <= width)
        {
            return text;
        }

        var ellipsis = fonts.Drawable(Ellipsis);
        for (var length = more ? text.Length : text.Length - 1; length > 0; length--)
        {
            var cut = text[..length].TrimEnd() + ellipsis;
            if (fonts.Width(cut, size) <= width)
            {
                return cut;
            }
        }

        return fonts.Width(ellipsis, size) <= width ? ellipsis : "";
    }

    /// <summary>A tick in the largest square the box holds, centred.</summary>
    private static void Tick(PdfPageBuilder page, Area box)
    {
        var side = Math.Min(box.InnerWidth, box.InnerHeight);
        var x = (box.Width - side) / 2;
        var y = (box.Height - side) / 2;
        var width = Math.Max(0.75, side * 0.12);
        var corner = new PdfPoint(x + (0.38 * side), y + (0.15 * side));
        page.DrawLine(new PdfPoint(x + (0.12 * side), y + (0.5 * side)), corner, width);
        page.DrawLine(corner, new PdfPoint(x + (0.88 * side), y + (0.88 * side)), width);
    }

    /// <summary>The drawn signature as large as fits, centred; false when the PNG cannot be drawn.</summary>
    private static bool TrySignature(PdfPageBuilder page, Area box, byte[] png)
    {
        var (width, height) = PngImages.Fit(png, box.InnerWidth, box.InnerHeight);
        if (width <= 0)
        {
            return false;
        }

        var left = (box.Width - width) / 2;
        var bottom = (box.Height - height) / 2;
        try
        {
            page.AddPng(png, new PdfRectangle(left, bottom, left + width, bottom + height));
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A PNG header over data PdfPig cannot decode: the signer's name is printed instead.
            return false;
        }
    }

    /// <summary>The names PdfPig gives the images it adds to a page (<c>I0</c>, <c>I1</c>, …): one the copied content uses would be overwritten.</summary>
    [GeneratedRegex("^I[0-9]+$")]
    private static partial Regex PdfPigImageName();

    /// <summary>A box in its own frame: its size and the padding kept free inside it.</summary>
    private readonly record struct Area(double Width, double Height, double Padding)
    {
        public double InnerWidth => Width - (2 * Padding);

        public double InnerHeight => Height - (2 * Padding);
    }
}
