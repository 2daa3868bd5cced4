using Bunit;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Signing;
using Microsoft.JSInterop;

namespace LiveContract.Tests.Components;

/// <summary>
/// The signature pad's own logic with its JS module stubbed by bunit: what its buttons allow, what
/// it asks the module, and the PNG it hands over. Drawing itself is checked in Chromium.
/// </summary>
public sealed class SignaturePadTests : ComponentTestContext
{
    private readonly BunitJSModuleInterop module;
    private readonly List<bool> emptyChanges = [];

    public SignaturePadTests()
    {
        module = Context.JSInterop.SetupModule("./Features/Signing/SignaturePad.razor.js");
    }

    [Fact]
    public void The_pad_is_a_focusable_region_named_and_described_for_assistive_technology()
    {
        var pad = RenderPad();

        var region = pad.Find("[role=region]");
        Assert.Equal("Draw your signature", region.GetAttribute("aria-label"));
        Assert.Equal("0", region.GetAttribute("tabindex"));
        var described = region.GetAttribute("aria-describedby")!.Split(' ').Select(id => pad.Find($"#{id}").TextContent.Trim()).ToList();
        Assert.StartsWith("Draw your signature in the box with your mouse, finger or pen.", described[0]);
        Assert.Equal("Nothing is drawn yet.", described[1]);
        Assert.NotNull(region.QuerySelector("canvas"));
    }

    [Fact]
    public async Task Undo_and_Clear_are_disabled_while_the_pad_is_empty_and_a_stroke_enables_them()
    {
        var pad = RenderPad();
        Assert.True(IsDisabled(pad, "Undo"));
        Assert.True(IsDisabled(pad, "Clear"));

        await pad.InvokeAsync(() => pad.Instance.OnChanged(false));

        Assert.False(IsDisabled(pad, "Undo"));
        Assert.False(IsDisabled(pad, "Clear"));
        Assert.False(pad.Instance.IsEmpty);
        Assert.Equal("Your signature is drawn.", Status(pad));
        Assert.Equal([false], emptyChanges);
    }

    [Fact]
    public async Task Undo_takes_back_a_stroke_and_the_pad_follows_what_the_module_says_is_left()
    {
        var undo = module.Setup<bool>("undo", _ => true);
        var pad = RenderPad();
        await pad.InvokeAsync(() => pad.Instance.OnChanged(false));

        undo.SetResult(false);
        await ClickAsync(pad, "Undo");
        Assert.False(pad.Instance.IsEmpty);

        module.Setup<bool>("undo", _ => true).SetResult(true);
        await ClickAsync(pad, "Undo");

        Assert.Equal(2, module.Invocations["undo"].Count);
        Assert.True(pad.Instance.IsEmpty);
        Assert.True(IsDisabled(pad, "Undo"));
        Assert.Equal("Nothing is drawn yet.", Status(pad));
        Assert.Equal([false, true], emptyChanges);
    }

    [Fact]
    public async Task Clear_empties_the_pad()
    {
        var pad = RenderPad();
        await pad.InvokeAsync(() => pad.Instance.OnChanged(false));

        await ClickAsync(pad, "Clear");

        Assert.Single(module.Invocations["clear"]);
        Assert.True(pad.Instance.IsEmpty);
        Assert.True(IsDisabled(pad, "Clear"));
    }

    [Fact]
    public async Task The_typed_name_can_be_the_signature_for_whoever_cannot_draw()
    {
        var pad = RenderPad();
        Assert.True(IsDisabled(pad, "Use my typed name as my signature"));
        Assert.Contains("Type your full name first", pad.Markup);

        pad.Render(p => p.Add(c => c.TypedName, " Chloé Dupont "));
        await ClickAsync(pad, "Use my typed name as my signature");

        Assert.Equal("Chloé Dupont", Assert.Single(module.Invocations["writeTypedName"]).Arguments[1]);
        Assert.False(pad.Instance.IsEmpty);
        Assert.Equal("Your typed name “Chloé Dupont” is your signature.", Status(pad));

        // Correcting the name rewrites the signature, so it never shows an older spelling.
        pad.Render(p => p.Add(c => c.TypedName, "Chloé Dupont-Martin"));

        pad.WaitForAssertion(() => Assert.Equal("Chloé Dupont-Martin", module.Invocations["writeTypedName"][^1].Arguments[1]));
        Assert.Equal("Your typed name “Chloé Dupont-Martin” is your signature.", Status(pad));
    }

    [Fact]
    public async Task The_drawing_is_handed_over_as_the_png_the_browser_streams()
    {
        var png = SignaturePngs.Drawn();
        module.Setup<IJSStreamReference>("toPng", _ => true).SetResult(new SigningUiTests.PngReference(png));
        var pad = RenderPad();
        Assert.Null(await pad.InvokeAsync(() => pad.Instance.GetPngAsync()));
        Assert.Empty(module.Invocations["toPng"]);

        await pad.InvokeAsync(() => pad.Instance.OnChanged(false));

        Assert.Equal(png, await pad.InvokeAsync(() => pad.Instance.GetPngAsync()));
    }

    [Fact]
    public void A_pad_that_cannot_start_says_so_and_offers_no_buttons()
    {
        module.Setup<bool>("attach", _ => true).SetResult(false);

        var pad = Context.Render<SignaturePad>(p => p.Add(c => c.TypedName, "Chloé Dupont"));

        pad.WaitForAssertion(() => Assert.Equal("The signature pad could not be started. Reload the page and try again.", pad.Find("[role=alert]").TextContent.Trim()));
        Assert.True(IsDisabled(pad, "Use my typed name as my signature"));
    }

    [Fact]
    public async Task Leaving_detaches_the_module()
    {
        var pad = RenderPad();

        await pad.InvokeAsync(() => pad.Instance.DisposeAsync().AsTask());

        Assert.Single(module.Invocations["detach"]);
    }

    [Fact]
    public async Task Leaving_while_the_pad_still_starts_detaches_it_as_soon_as_it_has_started()
    {
        var attach = module.Setup<bool>("attach", _ => true);
        var pad = Context.Render<SignaturePad>();
        pad.WaitForAssertion(() => Assert.Single(module.Invocations["attach"]));

        await pad.InvokeAsync(() => pad.Instance.DisposeAsync().AsTask());
        Assert.Empty(module.Invocations["detach"]);
        attach.SetResult(true);

        pad.WaitForAssertion(() => Assert.Single(module.Invocations["detach"]));
    }

    private IRenderedComponent<SignaturePad> RenderPad()
    {
        module.Setup<bool>("attach", _ => true).SetResult(true);
        var pad = Context.Render<SignaturePad>(p => p.Add(c => c.EmptyChanged, (bool empty) => emptyChanges.Add(empty)));
        pad.WaitForAssertion(() => Assert.Single(module.Invocations["attach"]));
        return pad;
    }

    private static string Status(IRenderedComponent<SignaturePad> pad) => pad.Find("[data-testid=signature-status]").TextContent.Trim();

    private static AngleSharp.Dom.IElement ButtonNamed(IRenderedComponent<SignaturePad> pad, string name) =>
        pad.FindAll("button").Single(b => b.TextContent.Trim() == name);

    private static bool IsDisabled(IRenderedComponent<SignaturePad> pad, string name) => ButtonNamed(pad, name).HasAttribute("disabled");
}
