using System.Globalization;
using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>The contract page's field editor: placing fields on the page shown, their dialog and their list.</summary>
public sealed class FieldEditorPanel(IPage page, ILocator viewer)
{
    public IPage Page { get; } = page;

    /// <summary>The viewer the fields are placed on.</summary>
    public ILocator Viewer { get; } = viewer;

    public ILocator Panel => Page.GetByTestId("fields-panel");

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public ILocator List(string fileName) => Panel.GetByRole(AriaRole.List, new() { Name = $"Fields of {fileName}" });

    public ILocator Button(string name) => Panel.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Chooses what the next field placed asks for, in the "Kind of field" select.</summary>
    public async Task ChooseKindAsync(string kind)
    {
        await Panel.GetByLabel("Kind of field").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = kind, Exact = true }).ClickAsync();
    }

    /// <summary>Turns on "Place a field" and drags a box on the page, between two points given as fractions of the page.</summary>
    public async Task DrawBoxAsync((float X, float Y) from, (float X, float Y) to)
    {
        await Button("Place a field").ClickAsync();
        await Expect(Viewer).ToHaveAttributeAsync("data-drawing", "true");
        var canvas = Viewer.Locator("canvas").First;
        await canvas.ScrollIntoViewIfNeededAsync();
        var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("The page is not on screen.");
        await Page.Mouse.MoveAsync(box.X + (box.Width * from.X), box.Y + (box.Height * from.Y));
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(box.X + (box.Width * to.X), box.Y + (box.Height * to.Y), new() { Steps = 8 });
        await Page.Mouse.UpAsync();
        await Dialog.GetByRole(AriaRole.Heading, new() { Name = "New field" }).WaitForAsync();
    }

    /// <summary>"Add field to this page": the dialog opens with a default box at the centre of the page shown.</summary>
    public async Task AddToThisPageAsync()
    {
        await Button("Add field to this page").ClickAsync();
        await Dialog.GetByRole(AriaRole.Heading, new() { Name = "New field" }).WaitForAsync();
    }

    /// <summary>Fills in the open dialog (label, who fills it in, required, optionally where its box starts) and saves it.</summary>
    public async Task SaveFieldAsync(string label, string filledInBy, bool required, (double Left, double Bottom)? at = null)
    {
        await Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Label" }).FillAsync(label);
        await Dialog.GetByRole(AriaRole.Radio, new() { Name = filledInBy, Exact = true }).CheckAsync();
        var requiredBox = Dialog.GetByRole(AriaRole.Checkbox, new() { Name = "Required", Exact = true });
        if (required)
        {
            await requiredBox.CheckAsync();
        }
        else
        {
            await requiredBox.UncheckAsync();
        }

        if (at is var (left, bottom))
        {
            await Dialog.GetByLabel("Left (points)").FillAsync(left.ToString(CultureInfo.InvariantCulture));
            await Dialog.GetByLabel("Bottom (points)").FillAsync(bottom.ToString(CultureInfo.InvariantCulture));
        }

        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Save field" }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
