using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>Administration: the live sessions active now, and those completed (their contract signed) or ended.</summary>
public sealed class AdminSessionsPage(IPage page) : AppPage(page)
{
    public ILocator Active => Page.GetByRole(AriaRole.Region, new() { Name = "Active live sessions" }).GetByRole(AriaRole.Table);

    public ILocator Ended => Page.GetByRole(AriaRole.Region, new() { Name = "Completed and ended live sessions" }).GetByRole(AriaRole.Table);

    public ILocator ActiveRow(string reference) => Active.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });

    public ILocator EndedRow(string reference) => Ended.GetByRole(AriaRole.Row).Filter(new() { HasText = reference });

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    /// <summary>Goes there as a person would: Administration in the main navigation, then Live sessions.</summary>
    public static async Task<AdminSessionsPage> OpenFromNavigationAsync(IPage page)
    {
        var app = new AppPage(page);
        await app.NavLink("Administration").ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Administration" }).GetByRole(AriaRole.Link, new() { Name = "Live sessions" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/sessions");
        var sessions = new AdminSessionsPage(page);
        await sessions.WaitForInteractiveAsync();
        return sessions;
    }

    /// <summary>Clicks the row's End session and answers the confirmation with End session.</summary>
    public async Task EndAsync(string reference, string customerName)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"End session of {reference} with {customerName}" }).ClickAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "End session", Exact = true }).ClickAsync();
    }
}
