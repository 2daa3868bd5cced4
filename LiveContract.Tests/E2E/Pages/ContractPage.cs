using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>A contract: details, status actions, documents, the upload zone and the viewer.</summary>
public sealed class ContractPage(IPage page) : AppPage(page)
{
    public ILocator Reference => Page.GetByTestId("reference");

    public ILocator Documents => Page.GetByRole(AriaRole.List, new() { Name = "Documents" });

    public ILocator Document(string fileName) => Page.GetByTestId("document").Filter(new() { HasText = fileName });

    public ILocator Upload => Page.GetByLabel("Upload PDF documents");

    public ILocator Alerts => Page.GetByRole(AriaRole.Alert);

    /// <summary>The live-session panel's line saying whether the session is active or completed.</summary>
    public ILocator SessionStatus => Page.GetByTestId("session-status");

    public ILocator Viewer(string fileName) => Page.GetByRole(AriaRole.Region, new() { Name = $"Document viewer: {fileName}" });

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public async Task UploadAsync(string fileName, byte[] bytes)
    {
        await Upload.SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = bytes });
    }

    public async Task<ILocator> ViewAsync(string fileName)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"View {fileName}" }).ClickAsync();
        var viewer = Viewer(fileName);
        await viewer.WaitForAsync();
        return viewer;
    }
}
