using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.Fields;

namespace LiveContract.Tests.Unit;

/// <summary>Where a field's label tab goes so it stays on the page: above or below the box, from its left or right edge, and how wide it may grow.</summary>
public sealed class FieldTabPlacementTests
{
    [Fact]
    public void A_box_in_the_left_half_has_its_tab_above_from_its_left_edge_with_the_room_to_the_right_edge()
    {
        var placement = FieldTabPlacement.Of(new PageRectangle(0.1, 0.5, 0.2, 0.03));

        Assert.Equal((false, false), (placement.Below, placement.FromRight));
        Assert.Equal(4.5, placement.Room, 6);
        Assert.Equal("", placement.Classes);
        Assert.Equal("--field-tab-room: 450%", placement.Style);
    }

    [Fact]
    public void A_small_box_in_the_right_half_has_its_tab_end_at_its_right_edge_with_the_room_to_the_left_edge()
    {
        // A checkbox near the right margin: a tab growing to the right would leave the page after a few letters.
        var placement = FieldTabPlacement.Of(new PageRectangle(0.9, 0.5, 0.03, 0.02));

        Assert.True(placement.FromRight);
        Assert.Equal(0.93 / 0.03, placement.Room, 6);
        Assert.Equal("field-tab-end", placement.Classes);
        Assert.Equal("--field-tab-room: 3100%", placement.Style);
    }

    [Fact]
    public void A_box_at_the_top_of_the_page_has_its_tab_below_where_it_is_not_cut_off()
    {
        Assert.Equal("field-tab-below field-tab-end", FieldTabPlacement.Of(new PageRectangle(0.6, 0.01, 0.3, 0.03)).Classes);
        Assert.Equal("field-tab-below", FieldTabPlacement.Of(new PageRectangle(0.05, FieldTabPlacement.TopMargin - 0.001, 0.3, 0.03)).Classes);
        Assert.False(FieldTabPlacement.Of(new PageRectangle(0.05, FieldTabPlacement.TopMargin, 0.3, 0.03)).Below);
    }
}
