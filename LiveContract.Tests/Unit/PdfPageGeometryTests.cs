using LiveContract.Core.Fields;
using LiveContract.Web.Components.Shared;

namespace LiveContract.Tests.Unit;

/// <summary>
/// Boxes in a page's user space to fractions of the drawn page and back, with the transforms pdf.js
/// gives a US Letter page (612 × 792 pt) at scale 1 for each /Rotate.
/// </summary>
public sealed class PdfPageGeometryTests
{
    private static readonly PdfPageGeometry Upright = new(1, 1, 0, 0, -1, 0, 792, 612, 792);

    /// <summary>/Rotate 90: x' = y, y' = x (the page turned clockwise, 792 wide and 612 high).</summary>
    private static readonly PdfPageGeometry Rotated90 = new(1, 0, 1, 1, 0, 0, 0, 792, 612);

    /// <summary>/Rotate 180: x' = 612 − x, y' = y.</summary>
    private static readonly PdfPageGeometry Rotated180 = new(1, -1, 0, 0, 1, 612, 0, 612, 792);

    /// <summary>/Rotate 270: x' = 792 − y, y' = 612 − x.</summary>
    private static readonly PdfPageGeometry Rotated270 = new(1, 0, -1, -1, 0, 792, 612, 792, 612);

    private static readonly FieldBox Box = new(72, 700, 200, 20);

    [Fact]
    public void An_upright_box_is_measured_from_the_top_left_corner()
    {
        var rectangle = Upright.ToPage(Box);

        AssertClose(new PageRectangle(72 / 612.0, 72 / 792.0, 200 / 612.0, 20 / 792.0), rectangle);
    }

    [Fact]
    public void On_a_page_rotated_by_90_degrees_the_box_turns_with_the_page()
    {
        var rectangle = Rotated90.ToPage(Box);

        // The page's left edge is now at the top and its top at the right: the wide box stands up.
        AssertClose(new PageRectangle(700 / 792.0, 72 / 612.0, 20 / 792.0, 200 / 612.0), rectangle);
    }

    [Fact]
    public void On_a_page_rotated_by_180_degrees_the_box_is_upside_down()
    {
        AssertClose(new PageRectangle((612 - 272) / 612.0, 700 / 792.0, 200 / 612.0, 20 / 792.0), Rotated180.ToPage(Box));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public void A_box_comes_back_from_the_drawn_page_unchanged(int rotation)
    {
        var geometry = rotation switch { 0 => Upright, 90 => Rotated90, 180 => Rotated180, _ => Rotated270 };

        Assert.Equal(Box, geometry.ToPdf(geometry.ToPage(Box)));
    }

    [Fact]
    public void A_centred_box_is_upright_as_the_reader_sees_it()
    {
        Assert.Equal(new FieldBox(226, 384, 160, 24), Upright.Centered(160, 24));

        // On the turned page the box reads across the screen, so it is tall in the page's own space.
        Assert.Equal(new FieldBox(294, 316, 24, 160), Rotated90.Centered(160, 24));
    }

    [Fact]
    public void Styles_are_percentages_whatever_the_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("left: 12.5%; top: 50%; width: 25%; height: 3.125%", new PageRectangle(0.125, 0.5, 0.25, 0.03125).Style);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    private static void AssertClose(PageRectangle expected, PageRectangle actual)
    {
        Assert.Equal(expected.Left, actual.Left, 9);
        Assert.Equal(expected.Top, actual.Top, 9);
        Assert.Equal(expected.Width, actual.Width, 9);
        Assert.Equal(expected.Height, actual.Height, 9);
    }
}
