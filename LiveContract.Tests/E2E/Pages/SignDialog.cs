using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>The sign dialog of the live view: consent, the typed name and the drawn signature, the summary.</summary>
public sealed class SignDialog(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public ILocator Step(string heading) => Dialog.GetByRole(AriaRole.Heading, new() { Name = heading });

    public ILocator Agree => Dialog.GetByRole(AriaRole.Checkbox, new() { Name = "I agree to sign electronically" });

    public ILocator FullName => Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Full name" });

    /// <summary>The drawing surface: a focusable region holding the canvas.</summary>
    public ILocator Pad => Dialog.GetByRole(AriaRole.Region, new() { Name = "Draw your signature" });

    public ILocator PadStatus => Dialog.GetByTestId("signature-status");

    public ILocator Alert => Dialog.GetByRole(AriaRole.Alert);

    public ILocator Button(string name) => Dialog.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public async Task AgreeAndContinueAsync()
    {
        await Agree.CheckAsync();
        await Button("Continue").ClickAsync();
        await Step("Step 2 of 3: Your signature").WaitForAsync();
    }

    /// <summary>Draws a signature with the mouse: a few strokes across the pad, pressed, moved in small steps and released.</summary>
    public async Task DrawSignatureAsync()
    {
        var canvas = Pad.Locator("canvas");
        await canvas.ScrollIntoViewIfNeededAsync();
        var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("The signature pad is not on screen.");
        (float X, float Y)[][] strokes =
        [
            [(0.10f, 0.60f), (0.18f, 0.30f), (0.25f, 0.70f), (0.32f, 0.35f), (0.40f, 0.65f)],
            [(0.45f, 0.55f), (0.55f, 0.40f), (0.62f, 0.62f), (0.70f, 0.38f), (0.85f, 0.55f)],
        ];
        foreach (var stroke in strokes)
        {
            await Page.Mouse.MoveAsync(box.X + (box.Width * stroke[0].X), box.Y + (box.Height * stroke[0].Y));
            await Page.Mouse.DownAsync();
            foreach (var (x, y) in stroke.Skip(1))
            {
                await Page.Mouse.MoveAsync(box.X + (box.Width * x), box.Y + (box.Height * y), new() { Steps = 8 });
            }

            await Page.Mouse.UpAsync();
        }
    }

    public async Task ContinueToConfirmAsync()
    {
        await Button("Continue").ClickAsync();
        await Step("Step 3 of 3: Confirm").WaitForAsync();
    }
}
