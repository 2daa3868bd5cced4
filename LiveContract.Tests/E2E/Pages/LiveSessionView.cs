using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>The live view at <c>/sessions/{id}</c>, the same on the advisor's and the customer's side.</summary>
public sealed class LiveSessionView(IPage page) : AppPage(page)
{
    public ILocator Participants => Page.GetByRole(AriaRole.List, new() { Name = "Participants" });

    public ILocator Participant(string name) => Participants.GetByRole(AriaRole.Listitem).Filter(new() { HasText = name });

    public ILocator DocumentButton(string fileName) =>
        Page.GetByRole(AriaRole.Navigation, new() { Name = "Documents" }).GetByRole(AriaRole.Button, new() { Name = fileName });

    /// <summary>The viewer of whichever document is shown; its <c>data-rendered-page</c> is the page drawn.</summary>
    public ILocator Viewer => Page.GetByRole(AriaRole.Region).Filter(new() { Has = Page.GetByRole(AriaRole.Button, new() { Name = "Next page" }) });

    public ILocator ViewerOf(string fileName) => Page.GetByRole(AriaRole.Region, new() { Name = $"Document viewer: {fileName}" });

    public ILocator Follow => Page.GetByRole(AriaRole.Switch, new() { Name = "Follow the advisor" });

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Alerts => Page.GetByRole(AriaRole.Alert);

    /// <summary>The signing box: who must sign and who has, Sign, the signed banner and the signed PDF.</summary>
    public ILocator SigningPanel => Page.GetByTestId("signing-panel");

    /// <summary>One required signer's line, e.g. "Customer signed at 14:02 UTC — Chloé Dupont".</summary>
    public ILocator Signer(string role) =>
        SigningPanel.GetByRole(AriaRole.List, new() { Name = "Signers" }).GetByRole(AriaRole.Listitem).Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{role} ") });

    public ILocator Sign => SigningPanel.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true });

    public ILocator SignedBanner => SigningPanel.GetByText("This contract is signed.");

    public ILocator DownloadSignedPdf => SigningPanel.GetByRole(AriaRole.Link, new() { Name = "Download signed PDF" });

    /// <summary>The bar at the foot of a phone's screen: where signing stands, Next missing field, Sign and Details (hidden from md up).</summary>
    public ILocator Bar => Page.GetByRole(AriaRole.Region, new() { Name = "Signing" });

    public ILocator BarStatus => Bar.GetByTestId("signing-bar-status");

    public ILocator BarButton(string name) => Bar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Opens the sign dialog.</summary>
    public async Task<SignDialog> OpenSignDialogAsync()
    {
        await Sign.ClickAsync();
        var dialog = new SignDialog(Page);
        await dialog.Step("Step 1 of 3: Consent").WaitForAsync();
        return dialog;
    }

    public Task NextPageAsync() => Viewer.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();

    public Task PreviousPageAsync() => Viewer.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
}
