using LiveContract.Core.Fields;

namespace LiveContract.Web.Components.Shared;

/// <summary>
/// Where a page's user space lands on the page as the viewer draws it (upright, its
/// <c>/Rotate</c> applied): pdf.js' viewport at scale 1, whose <c>transform</c> [A B C D E F]
/// takes a point (x, y) in PDF points to (A·x + C·y + E, B·x + D·y + F) in CSS pixels from the
/// drawn page's top-left corner, and whose size is <see cref="Width"/> × <see cref="Height"/>.
/// Dividing by that size gives fractions 0..1 of the drawn page, which do not depend on the zoom:
/// overlays positioned by percentages stay on their spot at every zoom. The rotations a page can
/// have (0, 90, 180, 270) keep rectangles rectangles, so a box converts corner by corner, exactly
/// as <c>viewport.convertToViewportRectangle</c> and <c>viewport.convertToPdfPoint</c> do.
/// </summary>
public sealed record PdfPageGeometry(int Page, double A, double B, double C, double D, double E, double F, double Width, double Height)
{
    /// <summary>Where <paramref name="box"/> (PDF points, unrotated user space) appears on the drawn page.</summary>
    public PageRectangle ToPage(FieldBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var (x1, y1) = ToPage(box.Left, box.Bottom);
        var (x2, y2) = ToPage(box.Left + box.Width, box.Bottom + box.Height);
        return new PageRectangle(Math.Min(x1, x2), Math.Min(y1, y2), Math.Abs(x2 - x1), Math.Abs(y2 - y1));
    }

    /// <summary>The box in PDF points (unrotated user space, rounded to 0.1 pt) that appears as <paramref name="rectangle"/> on the drawn page.</summary>
    public FieldBox ToPdf(PageRectangle rectangle)
    {
        ArgumentNullException.ThrowIfNull(rectangle);
        var (x1, y1) = ToPdf(rectangle.Left, rectangle.Top);
        var (x2, y2) = ToPdf(rectangle.Left + rectangle.Width, rectangle.Top + rectangle.Height);
        return new FieldBox(Round(Math.Min(x1, x2)), Round(Math.Min(y1, y2)), Round(Math.Abs(x2 - x1)), Round(Math.Abs(y2 - y1)));
    }

    /// <summary>
    /// A box of <paramref name="width"/> × <paramref name="height"/> points as the reader sees them
    /// (upright), centred on the drawn page, in PDF points: what "Add field" places.
    /// </summary>
    public FieldBox Centered(double width, double height)
    {
        var across = Math.Min(width / Width, 1);
        var down = Math.Min(height / Height, 1);
        return ToPdf(new PageRectangle((1 - across) / 2, (1 - down) / 2, across, down));
    }

    private (double X, double Y) ToPage(double x, double y) => ((A * x + C * y + E) / Width, (B * x + D * y + F) / Height);

    private (double X, double Y) ToPdf(double across, double down)
    {
        var x = across * Width - E;
        var y = down * Height - F;
        var determinant = A * D - B * C;
        return ((D * x - C * y) / determinant, (A * y - B * x) / determinant);
    }

    private static double Round(double points) => Math.Round(points, 1, MidpointRounding.AwayFromZero);
}

/// <summary>A rectangle on the drawn page, in fractions 0..1 of its width and height from its top-left corner.</summary>
public sealed record PageRectangle(double Left, double Top, double Width, double Height)
{
    /// <summary>The CSS that places an element on it inside a box as large as the page (percentages: it follows the zoom).</summary>
    public string Style => FormattableString.Invariant(
        $"left: {Percent(Left)}%; top: {Percent(Top)}%; width: {Percent(Width)}%; height: {Percent(Height)}%");

    private static string Percent(double fraction) => (fraction * 100).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
