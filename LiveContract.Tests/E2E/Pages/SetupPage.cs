using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

public sealed class SetupPage(IPage page) : AppPage(page)
{
    public async Task<UsersPage> CreateAdministratorAsync(string name, string email, string password)
    {
        await Page.GetByLabel("Your name").FillAsync(name);
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel("Confirm password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Page.WaitForURLAsync("**/admin/users");
        var users = new UsersPage(Page);
        await users.WaitForInteractiveAsync();
        return users;
    }
}
