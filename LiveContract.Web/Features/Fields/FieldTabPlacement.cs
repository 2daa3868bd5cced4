using System.Globalization;
using LiveContract.Web.Components.Shared;

namespace LiveContract.Web.Features.Fields;

/// <summary>
/// Where a field's label tab sits beside its box on the drawn page, so it stays readable on small
/// boxes and narrow screens without covering what is printed inside the box: above the box (below it
/// when the box touches the page's top, where the tab would be cut off), starting at the box's left
/// edge (ending at its right edge when the box lies in the page's right half), and never wider than
/// the room up to that side of the page (<see cref="Room"/>), so a long label ends in an ellipsis
/// instead of making the page scroll sideways.
/// </summary>
/// <param name="Below">Whether the tab goes under the box.</param>
/// <param name="FromRight">Whether the tab ends at the box's right edge (and grows to the left).</param>
/// <param name="Room">How wide the tab may be, as a multiple of the box's width.</param>
public sealed record FieldTabPlacement(bool Below, bool FromRight, double Room)
{
    /// <summary>Boxes whose top is this close to the page's top (a fraction of its height) have their tab below.</summary>
    public const double TopMargin = 0.05;

    /// <summary>The placement for a box drawn at <paramref name="box"/> (fractions of the drawn page).</summary>
    public static FieldTabPlacement Of(PageRectangle box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var fromRight = box.Left + box.Width / 2 > 0.5;
        var room = fromRight ? box.Left + box.Width : 1 - box.Left;
        return new FieldTabPlacement(box.Top < TopMargin, fromRight, room / Math.Max(box.Width, 0.0001));
    }

    /// <summary>The classes that place the tab (and what else hangs off the box): <c>field-tab-below</c>, <c>field-tab-end</c>.</summary>
    public string Classes => (Below, FromRight) switch
    {
        (true, true) => "field-tab-below field-tab-end",
        (true, false) => "field-tab-below",
        (false, true) => "field-tab-end",
        _ => "",
    };

    /// <summary>The CSS custom property <c>--field-tab-room</c>: the room as a percentage of the box's width, which the tab's <c>max-width</c> reads.</summary>
    public string Style => "--field-tab-room: " + (Room * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
