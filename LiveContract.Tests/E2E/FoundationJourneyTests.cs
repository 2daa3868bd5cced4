using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>The foundation as people use it, in a real browser against the real app.</summary>
public sealed class FoundationJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task First_run_setup_then_an_admin_creates_an_advisor_who_logs_in()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();

        // A newcomer opens the fresh installation and is led to the setup page.
        var adminPage = await browser.NewPageAsync(app);
        await adminPage.GotoAsync("");
        await Expect(adminPage).ToHaveURLAsync(new Uri(app.BaseAddress, "setup").ToString());
        var users = await new SetupPage(adminPage).CreateAdministratorAsync("Grace Admin", "grace@example.com", "grace's admin password");

        await Expect(users.Heading).ToHaveTextAsync("Administration");
        await Expect(users.SignedInAs).ToContainTextAsync("Grace Admin");
        await Expect(users.NavLink("Administration")).ToBeVisibleAsync();

        await users.CreateUserAsync("Victor Advisor", "victor@example.com", "victor's first password");
        await Expect(users.Row("victor@example.com")).ToContainTextAsync("Advisor");
        await Expect(users.Row("victor@example.com")).ToContainTextAsync("Active");
        var login = await users.LogOutAsync();

        // The advisor mistypes first, then logs in.
        await login.SubmitAsync("victor@example.com", "a wrong password");
        await Expect(login.Error).ToHaveTextAsync("Error: The email or password is wrong.");
        var dashboard = await login.LogInAsync("victor@example.com", "victor's first password");

        await Expect(dashboard.Heading).ToHaveTextAsync("My contracts");
        await Expect(dashboard.Page.GetByText("No contracts yet")).ToBeVisibleAsync();
        await Expect(dashboard.SignedInAs).ToContainTextAsync("Victor Advisor");
        await Expect(dashboard.NavLink("My contracts")).ToBeVisibleAsync();
        await Expect(dashboard.NavLink("Administration")).ToHaveCountAsync(0);

        // Typing the administration address does not help: the server refuses.
        await dashboard.Page.GotoAsync("admin/users");
        await Expect(dashboard.Heading).ToHaveTextAsync("Access denied");
        await Expect(dashboard.Page.GetByRole(AriaRole.Region, new() { Name = "Users" })).ToHaveCountAsync(0);

        // Logging out ends the session: the dashboard asks for a login again.
        await dashboard.Page.GotoAsync("");
        await dashboard.WaitForInteractiveAsync();
        await dashboard.LogOutAsync();
        await dashboard.Page.GotoAsync("");
        await Expect(dashboard.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
    }

    [Fact]
    public async Task An_advisor_invited_by_email_chooses_a_password_from_the_link()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();

        var adminPage = await browser.NewPageAsync(app);
        await (await LoginPage.OpenAsync(adminPage)).LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var users = await UsersPage.OpenAsync(adminPage);
        await users.CreateUserAsync("Nora Advisor", "nora@example.com");
        await Expect(adminPage.GetByText("a link to choose a password was emailed to nora@example.com")).ToBeVisibleAsync();

        var email = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "nora@example.com");
        var advisorPage = await browser.NewPageAsync(app);
        await advisorPage.GotoAsync(Mailbox.PasswordLink(email));
        await advisorPage.GetByLabel("Email").FillAsync("nora@example.com");
        await advisorPage.GetByLabel("Password", new() { Exact = true }).FillAsync("nora's own password");
        await advisorPage.GetByLabel("Confirm password").FillAsync("nora's own password");
        await advisorPage.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(advisorPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reset password confirmation");

        var dashboard = await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("nora@example.com", "nora's own password");
        await Expect(dashboard.Heading).ToHaveTextAsync("My contracts");
    }
}
