using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

public sealed class LoginPage(IPage page) : AppPage(page)
{
    public ILocator Error => Page.GetByRole(AriaRole.Alert);

    public static async Task<LoginPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("Account/Login");
        return new LoginPage(page);
    }

    public async Task SubmitAsync(string email, string password)
    {
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    public async Task<AppPage> LogInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        await Page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        var next = new AppPage(Page);
        await next.WaitForInteractiveAsync();
        return next;
    }
}
