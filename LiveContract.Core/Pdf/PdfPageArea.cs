using LiveContract.Core.Fields;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace LiveContract.Core.Pdf;

/// <summary>
/// The part of a PDF page a viewer shows: its crop box (which PdfPig falls back to the media box
/// for), in the page's unrotated user space, the space a field's box and a form field's
/// <c>/Rect</c> are given in.
/// </summary>
public static class PdfPageArea
{
    public static FieldBox Of(Page page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var bounds = page.CropBox.Bounds;
        var left = Math.Min(bounds.Left, bounds.Right);
        var bottom = Math.Min(bounds.Bottom, bounds.Top);
        return new FieldBox(left, bottom, Math.Abs(bounds.Right - bounds.Left), Math.Abs(bounds.Top - bounds.Bottom));
    }

    /// <summary>Reads the area of page <paramref name="pageNumber"/> (from 1) of the PDF in <paramref name="pdf"/>.</summary>
    public static FieldBox Read(Stream pdf, int pageNumber)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        using var document = PdfDocument.Open(pdf);
        return Of(document.GetPage(pageNumber));
    }
}
