using Bunit;
using LiveContract.Core.Fields;
using LiveContract.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace LiveContract.Tests.Components;

/// <summary>
/// The viewer's own logic with its JS module stubbed by bunit: what the controls allow, which page
/// it asks the module to draw, and what it tells its parent. Drawing itself is checked in Chromium.
/// </summary>
public sealed class PdfViewerTests : ComponentTestContext
{
    private const string Source = "documents/3f1c/content?token=abc";

    /// <summary>pdf.js' viewport of an upright US Letter page at scale 1.</summary>
    private static readonly PdfViewer.PageViewport Letter = new([1, 0, 0, -1, 0, 792], 612, 792);

    private readonly BunitJSModuleInterop module;
    private readonly List<int> pageChanges = [];
    private readonly List<int> pageCounts = [];

    public PdfViewerTests()
    {
        module = Context.JSInterop.SetupModule("./Components/Shared/PdfViewer.razor.js");
    }

    [Fact]
    public void The_viewer_loads_its_source_and_asks_the_module_to_draw_the_first_page()
    {
        var viewer = RenderViewer(pages: 95);

        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));
        Assert.Single(module.Invocations["attach"]);
        Assert.Equal(Source, Assert.Single(module.Invocations["load"]).Arguments[1]);
        Assert.Equal("Page 1 of 95", Position(viewer));
        Assert.Equal([95], pageCounts);
        Assert.Empty(pageChanges);
        Assert.Equal("Document viewer: Motor policy.pdf", viewer.Find("[role=region]").GetAttribute("aria-label"));
    }

    [Fact]
    public void First_and_previous_are_disabled_on_the_first_page_next_and_last_on_the_last()
    {
        var viewer = RenderViewer(pages: 3);
        viewer.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(viewer)));

        Assert.True(IsDisabled(viewer, "First page"));
        Assert.True(IsDisabled(viewer, "Previous page"));
        Assert.False(IsDisabled(viewer, "Next page"));
        Assert.False(IsDisabled(viewer, "Last page"));

        Button(viewer, "Last page").Click();

        Assert.Equal("Page 3 of 3", Position(viewer));
        Assert.False(IsDisabled(viewer, "First page"));
        Assert.False(IsDisabled(viewer, "Previous page"));
        Assert.True(IsDisabled(viewer, "Next page"));
        Assert.True(IsDisabled(viewer, "Last page"));
    }

    [Fact]
    public void Next_previous_last_and_first_move_the_page_raise_PageChanged_and_draw_that_page()
    {
        var viewer = RenderViewer(pages: 95);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));

        Button(viewer, "Next page").Click();
        viewer.WaitForAssertion(() => Assert.Equal([1, 2], RenderedPages()));
        Assert.Equal("Page 2 of 95", Position(viewer));

        Button(viewer, "Last page").Click();
        viewer.WaitForAssertion(() => Assert.Equal([1, 2, 95], RenderedPages()));

        Button(viewer, "Previous page").Click();
        viewer.WaitForAssertion(() => Assert.Equal([1, 2, 95, 94], RenderedPages()));
        Assert.Equal("Page 94 of 95", Position(viewer));

        Button(viewer, "First page").Click();
        viewer.WaitForAssertion(() => Assert.Equal([1, 2, 95, 94, 1], RenderedPages()));

        Assert.Equal([2, 95, 94, 1], pageChanges);
        Assert.Equal("Page 1 of 95", Position(viewer));
    }

    [Fact]
    public async Task Entering_a_page_number_goes_to_that_page()
    {
        var viewer = RenderViewer(pages: 95);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));

        await ControlLabelled(viewer, "Page").ChangeAsync(new ChangeEventArgs { Value = "50" });

        viewer.WaitForAssertion(() => Assert.Equal([1, 50], RenderedPages()));
        Assert.Equal([50], pageChanges);
        Assert.Equal("Page 50 of 95", Position(viewer));
    }

    [Theory]
    [InlineData("96")]
    [InlineData("0")]
    public async Task A_page_number_out_of_range_is_refused_with_a_message(string entered)
    {
        var viewer = RenderViewer(pages: 95);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));

        await ControlLabelled(viewer, "Page").ChangeAsync(new ChangeEventArgs { Value = entered });

        viewer.WaitForAssertion(() => Assert.Contains($"There is no page {entered}: enter a page from 1 to 95.", viewer.Markup));
        Assert.Empty(pageChanges);
        Assert.Equal([1], RenderedPages());
        Assert.Equal("Page 1 of 95", Position(viewer));

        await ControlLabelled(viewer, "Page").ChangeAsync(new ChangeEventArgs { Value = "7" });

        viewer.WaitForAssertion(() => Assert.Equal([1, 7], RenderedPages()));
        Assert.DoesNotContain("There is no page", viewer.Markup);
    }

    [Fact]
    public void The_parent_moves_the_viewer_through_the_Page_parameter()
    {
        var viewer = RenderViewer(pages: 95, page: 12);
        viewer.WaitForAssertion(() => Assert.Equal([12], RenderedPages()));
        Assert.Equal("Page 12 of 95", Position(viewer));

        viewer.Render(p => p.Add(v => v.Page, 40));

        viewer.WaitForAssertion(() => Assert.Equal([12, 40], RenderedPages()));
        Assert.Equal("Page 40 of 95", Position(viewer));
        Assert.Empty(pageChanges);
    }

    [Fact]
    public void Without_binding_a_parent_rerender_keeps_the_page_the_reader_moved_to()
    {
        var viewer = RenderViewer(pages: 95);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));
        Button(viewer, "Next page").Click();
        viewer.WaitForAssertion(() => Assert.Equal([1, 2], RenderedPages()));

        viewer.Render(p => p.Add(v => v.Page, 1).Add(v => v.DocumentTitle, "Renamed.pdf"));

        Assert.Equal("Page 2 of 95", Position(viewer));
        Assert.Equal([1, 2], RenderedPages());
    }

    [Fact]
    public void A_Page_beyond_the_document_shows_the_last_page_and_tells_the_parent()
    {
        var viewer = RenderViewer(pages: 3, page: 9);

        viewer.WaitForAssertion(() => Assert.Equal([3], RenderedPages()));
        Assert.Equal([3], pageChanges);
        Assert.Equal("Page 3 of 3", Position(viewer));
    }

    [Theory]
    [InlineData("ArrowRight", 6)]
    [InlineData("PageDown", 6)]
    [InlineData("ArrowLeft", 4)]
    [InlineData("PageUp", 4)]
    [InlineData("Home", 1)]
    [InlineData("End", 95)]
    public async Task Navigation_keys_move_the_page(string key, int expected)
    {
        var viewer = RenderViewer(pages: 95, page: 5);
        viewer.WaitForAssertion(() => Assert.Equal([5], RenderedPages()));

        await viewer.InvokeAsync(() => viewer.Instance.OnNavigationKey(key));

        viewer.WaitForAssertion(() => Assert.Equal([5, expected], RenderedPages()));
        Assert.Equal([expected], pageChanges);
        Assert.Equal($"Page {expected} of 95", Position(viewer));
    }

    [Fact]
    public async Task Navigation_keys_stop_at_the_ends()
    {
        var viewer = RenderViewer(pages: 95);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));

        await viewer.InvokeAsync(() => viewer.Instance.OnNavigationKey("ArrowLeft"));

        Assert.Empty(pageChanges);
        Assert.Equal([1], RenderedPages());
    }

    [Fact]
    public void Zoom_steps_from_the_fitted_scale_and_fit_to_width_returns_to_it()
    {
        module.Setup<PdfViewer.RenderResult?>("render", _ => true).SetResult(new PdfViewer.RenderResult(1, 1.34, Failed: false));
        var viewer = RenderViewer(pages: 3);
        viewer.WaitForAssertion(() => Assert.Equal("134%", viewer.Find(".pdf-viewer-zoom").TextContent));
        Assert.Equal("true", Button(viewer, "Fit to width").GetAttribute("aria-pressed"));

        Button(viewer, "Zoom in").Click();
        viewer.WaitForAssertion(() => Assert.Equal(1.5, Zooms().Last()));
        Assert.Equal("false", Button(viewer, "Fit to width").GetAttribute("aria-pressed"));

        Button(viewer, "Zoom out").Click();
        viewer.WaitForAssertion(() => Assert.Equal(1.25, Zooms().Last()));

        Button(viewer, "Fit to width").Click();
        viewer.WaitForAssertion(() => Assert.Null(Zooms().Last()));
        Assert.Equal([null, 1.5, 1.25, null], Zooms());
        Assert.Equal([1, 1, 1, 1], RenderedPages());
    }

    [Fact]
    public void Zoom_stops_at_50_and_300_percent()
    {
        module.Setup<PdfViewer.RenderResult?>("render", _ => true).SetResult(new PdfViewer.RenderResult(1, 2.6, Failed: false));
        var viewer = RenderViewer(pages: 3);
        viewer.WaitForAssertion(() => Assert.Equal("260%", viewer.Find(".pdf-viewer-zoom").TextContent));

        Button(viewer, "Zoom in").Click();
        viewer.WaitForAssertion(() => Assert.Equal(3, Zooms().Last()));
        Assert.True(IsDisabled(viewer, "Zoom in"));

        for (var i = 0; i < PdfViewer.ZoomLevels.Length; i++)
        {
            if (!IsDisabled(viewer, "Zoom out"))
            {
                Button(viewer, "Zoom out").Click();
            }
        }

        viewer.WaitForAssertion(() => Assert.Equal(0.5, Zooms().Last()));
        Assert.True(IsDisabled(viewer, "Zoom out"));
        Assert.Equal("50%", viewer.Find(".pdf-viewer-zoom").TextContent);
    }

    [Fact]
    public void A_document_that_cannot_be_loaded_shows_an_alert_and_no_controls()
    {
        module.Setup<int>("load", _ => true).SetResult(0);
        var viewer = Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.DocumentTitle, "Broken.pdf"));

        viewer.WaitForAssertion(() => Assert.Equal("This document could not be displayed.", viewer.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(module.Invocations["render"]);
        Assert.All(["First page", "Previous page", "Next page", "Last page", "Zoom in", "Zoom out", "Fit to width"],
            name => Assert.True(IsDisabled(viewer, name), name));
        Assert.Equal("No document", Position(viewer));
    }

    [Fact]
    public void A_page_that_cannot_be_drawn_shows_an_alert_until_another_page_is_shown()
    {
        module.Setup<PdfViewer.RenderResult?>("render", i => (int)i.Arguments[1]! == 1).SetResult(new PdfViewer.RenderResult(1, 0, Failed: true));
        module.Setup<PdfViewer.RenderResult?>("render", i => (int)i.Arguments[1]! == 2).SetResult(new PdfViewer.RenderResult(2, 1, Failed: false));
        var viewer = RenderViewer(pages: 3);

        viewer.WaitForAssertion(() => Assert.Equal("This page could not be displayed.", viewer.Find("[role=alert]").TextContent.Trim()));

        Button(viewer, "Next page").Click();

        viewer.WaitForAssertion(() => Assert.Empty(viewer.FindAll("[role=alert]")));
        Assert.Equal([1, 2], RenderedPages());
    }

    [Fact]
    public void A_viewer_whose_script_fails_to_start_shows_the_alert()
    {
        module.SetupVoid("attach", _ => true).SetException(new JSException("pdf.js could not be fetched"));

        var viewer = RenderViewer(pages: 3);

        viewer.WaitForAssertion(() => Assert.Equal("This document could not be displayed.", viewer.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(module.Invocations["load"]);
    }

    [Fact]
    public void While_the_document_loads_the_viewer_says_so()
    {
        module.Setup<int>("load", _ => true);
        var viewer = Context.Render<PdfViewer>(p => p.Add(v => v.Source, Source));

        viewer.WaitForAssertion(() => Assert.Equal("Loading document…", Position(viewer)));
        Assert.True(IsDisabled(viewer, "Next page"));
        Assert.Equal("Document viewer: PDF document", viewer.Find("[role=region]").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_new_source_is_loaded_and_drawn()
    {
        var viewer = RenderViewer(pages: 95, page: 30);
        viewer.WaitForAssertion(() => Assert.Equal([30], RenderedPages()));

        viewer.Render(p => p.Add(v => v.Source, "documents/other/content").Add(v => v.Page, 1));

        viewer.WaitForAssertion(() => Assert.Equal(["documents/other/content", Source], module.Invocations["load"].Select(i => i.Arguments[1]).Reverse()));
        viewer.WaitForAssertion(() => Assert.Equal([30, 1], RenderedPages()));
        Assert.Equal([95, 95], pageCounts);
    }

    [Fact]
    public async Task Disposing_the_viewer_detaches_it_from_the_page()
    {
        var viewer = RenderViewer(pages: 3);
        viewer.WaitForAssertion(() => Assert.Equal([1], RenderedPages()));

        await Context.DisposeComponentsAsync();

        Assert.Single(module.Invocations["detach"]);
    }

    [Fact]
    public void The_overlay_is_shown_over_a_drawn_page_with_where_its_user_space_lands()
    {
        module.Setup<int>("load", _ => true).SetResult(1);
        module.Setup<PdfViewer.RenderResult?>("render", _ => true).SetResult(new PdfViewer.RenderResult(1, 1, Failed: false, Letter));
        var drawnPages = new List<PdfPageGeometry>();
        var viewer = Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.PageDrawn, (PdfPageGeometry geometry) => drawnPages.Add(geometry))
            .Add(v => v.PageOverlay, geometry => builder =>
            {
                builder.OpenElement(0, "div");
                builder.AddAttribute(1, "class", "field");
                builder.AddAttribute(2, "style", geometry.ToPage(new FieldBox(72, 700, 200, 20)).Style);
                builder.CloseElement();
            }));

        viewer.WaitForAssertion(() => Assert.Equal("left: 11.7647%; top: 9.0909%; width: 32.6797%; height: 2.5253%", viewer.Find(".pdf-viewer-overlay .field").GetAttribute("style")));
        Assert.Equal(new PdfPageGeometry(1, 1, 0, 0, -1, 0, 792, 612, 792), Assert.Single(drawnPages));
        Assert.Equal("false", viewer.Find("[role=region]").GetAttribute("data-drawing"));
    }

    [Fact]
    public void Without_a_drawn_page_there_is_no_overlay()
    {
        module.Setup<int>("load", _ => true).SetResult(1);
        module.Setup<PdfViewer.RenderResult?>("render", _ => true).SetResult(new PdfViewer.RenderResult(1, 0, Failed: true));
        var viewer = Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.PageOverlay, _ => builder => builder.AddContent(0, "fields")));

        viewer.WaitForAssertion(() => Assert.Equal("This page could not be displayed.", viewer.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(viewer.FindAll(".pdf-viewer-overlay"));
    }

    [Fact]
    public async Task In_drawing_mode_a_rectangle_drawn_on_the_page_is_raised_in_pdf_user_space()
    {
        module.Setup<int>("load", _ => true).SetResult(1);
        module.Setup<PdfViewer.RenderResult?>("render", _ => true).SetResult(new PdfViewer.RenderResult(1, 1, Failed: false, Letter));
        var drawn = new List<FieldBox>();
        var pointed = new List<PdfViewer.PagePoint>();
        var viewer = Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.BoxDrawn, (FieldBox box) => drawn.Add(box))
            .Add(v => v.PagePointed, (PdfViewer.PagePoint point) => pointed.Add(point)));
        viewer.WaitForAssertion(() => Assert.Single(module.Invocations["render"]));

        Assert.Equal("true", viewer.Find("[role=region]").GetAttribute("data-drawing"));
        Assert.Equal("false", viewer.Find("[role=region]").GetAttribute("data-pointing"));
        await viewer.InvokeAsync(() => viewer.Instance.OnBoxDrawn(72 / 612.0, 72 / 792.0, 200 / 612.0, 20 / 792.0));

        Assert.Equal([new FieldBox(72, 700, 200, 20)], drawn);
        Assert.Empty(pointed);
    }

    [Fact]
    public async Task A_box_dragged_by_its_handle_is_raised_with_its_new_place_on_a_rotated_page()
    {
        module.Setup<int>("load", _ => true).SetResult(1);
        module.Setup<PdfViewer.RenderResult?>("render", _ => true)
            .SetResult(new PdfViewer.RenderResult(1, 1, Failed: false, new PdfViewer.PageViewport([0, 1, 1, 0, 0, 0], 792, 612)));
        var changes = new List<PdfViewer.BoxChange>();
        var viewer = Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.BoxChanged, (PdfViewer.BoxChange change) => changes.Add(change)));
        viewer.WaitForAssertion(() => Assert.Single(module.Invocations["render"]));

        await viewer.InvokeAsync(() => viewer.Instance.OnBoxMoved("field-1", 700 / 792.0, 72 / 612.0, 20 / 792.0, 200 / 612.0));

        Assert.Equal([new PdfViewer.BoxChange("field-1", new FieldBox(72, 700, 200, 20))], changes);
    }

    private IRenderedComponent<PdfViewer> RenderViewer(int pages, int page = 1)
    {
        module.Setup<int>("load", _ => true).SetResult(pages);
        return Context.Render<PdfViewer>(p => p
            .Add(v => v.Source, Source)
            .Add(v => v.Page, page)
            .Add(v => v.PageChanged, (int value) => pageChanges.Add(value))
            .Add(v => v.PageCountChanged, (int value) => pageCounts.Add(value))
            .Add(v => v.DocumentTitle, "Motor policy.pdf"));
    }

    private List<int> RenderedPages() => module.Invocations["render"].Select(i => (int)i.Arguments[1]!).ToList();

    private List<double?> Zooms() => module.Invocations["render"].Select(i => (double?)i.Arguments[2]).ToList();

    private static string Position(IRenderedComponent<PdfViewer> viewer) => viewer.Find("[aria-live=polite]").TextContent.Trim();

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<PdfViewer> viewer, string name) => ButtonNamed(viewer, name);

    private static bool IsDisabled(IRenderedComponent<PdfViewer> viewer, string name) => Button(viewer, name).HasAttribute("disabled");
}
