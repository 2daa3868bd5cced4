using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class UsersPageTests : ComponentTestContext
{
    private UserAdministration Accounts => Context.Services.GetRequiredService<UserAdministration>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password", new Uri("http://localhost/"));
        await Accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password", new Uri("http://localhost/"));
        var admin = (await Accounts.ListAsync()).Single(u => u.Email == "admin@example.com");
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    [Fact]
    public void Lists_every_user_with_role_and_status()
    {
        var page = RenderPage<Users>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        var rows = page.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Take(5).Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(["Ada Admin", "admin@example.com", "Admin", "Active", "never"], rows[0]);
        Assert.Equal(["Victor Advisor", "victor@example.com", "Advisor", "Active", "never"], rows[1]);
    }

    [Fact]
    public void An_admin_is_not_offered_to_lock_themselves()
    {
        var page = RenderPage<Users>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Lock Ada Admin"));
        Assert.NotNull(ButtonNamed(page, "Lock Victor Advisor"));
    }

    [Fact]
    public async Task Locking_asks_first_then_locks()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "Lock Victor Advisor"));

        // Not awaited: the handler waits for the confirmation the test gives next.
        ButtonNamed(page, "Lock Victor Advisor").Click();
        page.WaitForAssertion(() => Assert.Contains("They are signed out and cannot log in until unlocked.", page.Markup));
        Assert.False((await Accounts.ListAsync()).Single(u => u.DisplayName == "Victor Advisor").IsLocked);

        await ButtonNamed(page, "Lock").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(ButtonNamed(page, "Unlock Victor Advisor")));
        Assert.True((await Accounts.ListAsync()).Single(u => u.DisplayName == "Victor Advisor").IsLocked);
        Assert.Contains("Victor Advisor is locked.", page.Markup);
    }

    [Fact]
    public async Task Creating_a_user_emails_a_set_password_link_by_default()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "Full name"));
        await ControlLabelled(page, "Full name").ChangeAsync(new() { Value = "Nina Newcomer" });
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "nina@example.com" });
        await ButtonNamed(page, "Create user").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));
        var nina = (await Accounts.ListAsync()).Single(u => u.Email == "nina@example.com");
        Assert.Equal([Roles.Advisor], nina.Roles);
        var message = await Mailbox.WaitForMessageAsync(PickupDirectory, "nina@example.com");
        Assert.Contains("/Account/ResetPassword?code=", Mailbox.PasswordLink(message));
        Assert.Contains("a link to choose a password was emailed to nina@example.com", page.Markup);
    }

    [Fact]
    public async Task The_create_dialog_says_what_is_missing_and_creates_nothing()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Create user"));
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "not an email" });
        await ButtonNamed(page, "Create user").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Enter the person's name.", page.Markup));
        Assert.Contains("This is not an email address.", page.Markup);
        Assert.Equal(2, (await Accounts.ListAsync()).Count);
    }

    [Fact]
    public async Task A_duplicate_email_is_explained_in_the_dialog()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "Full name"));
        await ControlLabelled(page, "Full name").ChangeAsync(new() { Value = "Victor Again" });
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "victor@example.com" });
        await ButtonNamed(page, "Create user").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("An account with the email 'victor@example.com' exists already.", page.Find("[role=dialog] .mud-alert").TextContent.Trim()));
        Assert.Equal(2, (await Accounts.ListAsync()).Count);
    }

    [Fact]
    public async Task Setting_a_password_checks_the_rules_then_changes_it()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "Set password for Victor Advisor"));

        ButtonNamed(page, "Set password for Victor Advisor").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "New password"));
        await ControlLabelled(page, "New password").ChangeAsync(new() { Value = "short" });
        await ButtonNamed(page, "Set password").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("at least 12 characters", page.Find("[role=dialog] .mud-alert").TextContent));

        await ControlLabelled(page, "New password").ChangeAsync(new() { Value = "a brand new password" });
        await ButtonNamed(page, "Set password").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("The password of Victor Advisor was changed.", page.Markup));
        Assert.Empty(page.FindAll("[role=dialog]"));
        var users = Context.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("victor@example.com"))!, "a brand new password"));
    }
}
