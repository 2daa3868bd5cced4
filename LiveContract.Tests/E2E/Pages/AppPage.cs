using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>What every page of the app shows: the app bar, the navigation, the main heading.</summary>
public class AppPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator SignedInAs => Page.GetByTestId("signed-in-as");

    public ILocator Navigation => Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });

    public ILocator NavLink(string name) => Navigation.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public string Path => new Uri(Page.Url).AbsolutePath;

    /// <summary>Waits until the page's circuit is live, so clicks reach the server.</summary>
    public Task WaitForInteractiveAsync() =>
        Page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public async Task<LoginPage> LogOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Page.WaitForURLAsync("**/Account/Login**");
        return new LoginPage(Page);
    }
}
