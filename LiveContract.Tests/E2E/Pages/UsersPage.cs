using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>Administration: the users table and its dialogs.</summary>
public sealed class UsersPage(IPage page) : AppPage(page)
{
    public ILocator Table => Page.GetByRole(AriaRole.Region, new() { Name = "Users" }).GetByRole(AriaRole.Table);

    public ILocator Row(string email) => Table.GetByRole(AriaRole.Row).Filter(new() { HasText = email });

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public static async Task<UsersPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("admin/users");
        var users = new UsersPage(page);
        await users.WaitForInteractiveAsync();
        return users;
    }

    /// <summary>Creates an account; with no password the person is emailed a set-password link.</summary>
    public async Task CreateUserAsync(string name, string email, string? initialPassword = null)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
        await Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Full name" }).FillAsync(name);
        await Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        if (initialPassword is not null)
        {
            await Dialog.GetByRole(AriaRole.Radio, new() { Name = "Set an initial password" }).CheckAsync();
            await Dialog.GetByRole(AriaRole.Textbox, new() { Name = "Initial password" }).FillAsync(initialPassword);
        }

        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Row(email).WaitForAsync();
    }

    /// <summary>Deactivates a person, giving their open contracts to <paramref name="newAdvisor"/> (the option's text) when asked.</summary>
    public async Task DeactivateAsync(string name, string? newAdvisor)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {name}" }).ClickAsync();
        if (newAdvisor is not null)
        {
            await Dialog.GetByLabel("New advisor for the open contracts").ClickAsync();
            await Page.GetByText(newAdvisor, new() { Exact = true }).ClickAsync();
        }

        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true }).ClickAsync();
    }
}
