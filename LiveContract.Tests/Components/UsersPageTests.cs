using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Hosting;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Admin;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveContract.Tests.Components;

public sealed class UsersPageTests : ComponentTestContext
{
    private const string PublicUrl = "https://contracts.example.com/";

    public UsersPageTests()
    {
        Context.Services.Configure<LiveContractOptions>(o => o.PublicUrl = PublicUrl);
    }

    private UserAdministration Accounts => Context.Services.GetRequiredService<UserAdministration>();

    private Actor admin = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        await Accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        var adminUser = (await Accounts.ListAsync()).Single(u => u.Email == "admin@example.com");
        admin = new Actor(adminUser.Id, IsAdmin: true);
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, adminUser.Id));
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

        await ClickAsync(page, "Lock");

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
        await ClickAsync(page, "Create user");

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));
        var nina = (await Accounts.ListAsync()).Single(u => u.Email == "nina@example.com");
        Assert.Equal([Roles.Advisor], nina.Roles);
        var message = await Mailbox.WaitForMessageAsync(PickupDirectory, "nina@example.com");
        Assert.Contains("/Account/ResetPassword?code=", Mailbox.PasswordLink(message));
        Assert.Contains("a link to choose a password was emailed to nina@example.com", page.Markup);
    }

    [Fact]
    public async Task Invitation_and_reset_links_are_under_the_public_address_not_the_address_of_the_page()
    {
        var pageAddress = new Uri(Context.Services.GetRequiredService<NavigationManager>().BaseUri);
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "Full name"));
        await ControlLabelled(page, "Full name").ChangeAsync(new() { Value = "Nina Newcomer" });
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "nina@example.com" });
        await ClickAsync(page, "Create user");
        var invitation = Mailbox.PasswordLink(await Mailbox.WaitForMessageAsync(PickupDirectory, "nina@example.com"));
        await ClickAsync(page, "Email password link to Victor Advisor");
        var reset = Mailbox.PasswordLink(await Mailbox.WaitForMessageAsync(PickupDirectory, "victor@example.com"));

        Assert.NotEqual("contracts.example.com", pageAddress.Host);
        Assert.StartsWith(PublicUrl + "Account/ResetPassword?code=", invitation, StringComparison.Ordinal);
        Assert.StartsWith(PublicUrl + "Account/ResetPassword?code=", reset, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_create_dialog_says_what_is_missing_and_creates_nothing()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Create user"));
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "not an email" });
        await ClickAsync(page, "Create user");

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
        await ClickAsync(page, "Create user");

        page.WaitForAssertion(() => Assert.Equal("An account with the email 'victor@example.com' exists already.", page.Find("[role=dialog] .mud-alert").TextContent.Trim()));
        Assert.Equal(2, (await Accounts.ListAsync()).Count);
    }

    [Fact]
    public async Task A_name_with_a_text_direction_override_is_refused_in_the_dialog()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "New user"));

        ButtonNamed(page, "New user").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "Full name"));
        await ControlLabelled(page, "Full name").ChangeAsync(new() { Value = "Nina\u202Egnp.exe" });
        await ControlLabelled(page, "Email").ChangeAsync(new() { Value = "nina@example.com" });
        await ClickAsync(page, "Create user");

        page.WaitForAssertion(() => Assert.Equal(
            "The name contains a character that cannot be shown (a control character or a text-direction override).",
            page.Find("[role=dialog] .mud-alert").TextContent.Trim()));
        Assert.DoesNotContain(await Accounts.ListAsync(), u => u.Email == "nina@example.com");
    }

    [Fact]
    public async Task Setting_a_password_checks_the_rules_then_changes_it()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "Set password for Victor Advisor"));

        ButtonNamed(page, "Set password for Victor Advisor").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "New password"));
        await ControlLabelled(page, "New password").ChangeAsync(new() { Value = "short" });
        await ClickAsync(page, "Set password");
        page.WaitForAssertion(() => Assert.Contains("at least 12 characters", page.Find("[role=dialog] .mud-alert").TextContent));

        await ControlLabelled(page, "New password").ChangeAsync(new() { Value = "a brand new password" });
        await ClickAsync(page, "Set password");

        page.WaitForAssertion(() => Assert.Contains("The password of Victor Advisor was changed.", page.Markup));
        Assert.Empty(page.FindAll("[role=dialog]"));
        var users = Context.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("victor@example.com"))!, "a brand new password"));
    }

    [Fact]
    public async Task Each_row_counts_the_persons_open_and_signed_contracts()
    {
        var victor = await CreateContractsForVictorAsync(2);

        var page = RenderPage<Users>();

        page.WaitForAssertion(() => Assert.Equal(["2", "0"], Cells(page, "victor@example.com")[5..7]));
        Assert.Equal(["0", "0"], Cells(page, "admin@example.com")[5..7]);
        Assert.Equal(2, (await Accounts.GetAsync(victor.UserId)).Value!.OpenContracts);
    }

    [Fact]
    public async Task Searching_finds_people_by_name_or_email_on_the_server()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        await ControlLabelled(page, "Search users").InputAsync(new() { Value = "VICTOR@" });

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), TimeSpan.FromSeconds(3));
        Assert.Contains("Victor Advisor", page.Find("tbody tr").TextContent);
    }

    [Fact]
    public async Task Deactivating_shows_what_it_touches_asks_for_the_new_advisor_then_deactivates()
    {
        var victor = await CreateContractsForVictorAsync(1);
        await Accounts.CreateAsync("Olga Other", "olga@example.com", Roles.Advisor, "a long enough password");
        var olga = (await Accounts.ListAsync()).Single(u => u.Email == "olga@example.com");
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "Deactivate Victor Advisor"));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Deactivate Ada Admin"));

        ButtonNamed(page, "Deactivate Victor Advisor").Click();

        page.WaitForAssertion(() => Assert.Equal("1 open contract (draft or review) go to the advisor you choose", page.Find("[data-testid=open-contracts]").TextContent.Trim()));
        Assert.Equal("0 active live sessions to end", page.Find("[data-testid=active-sessions]").TextContent.Trim());
        Assert.True(ButtonNamed(page, "Deactivate").HasAttribute("disabled"));
        var select = page.FindComponent<MudSelect<string>>();
        Assert.Equal("New advisor for the open contracts", select.Instance.Label);
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(olga.Id));
        await ClickAsync(page, "Deactivate");

        page.WaitForAssertion(() => Assert.Contains("Victor Advisor is deactivated; 1 open contract was reassigned.", page.Markup));
        page.WaitForAssertion(() => Assert.Equal("Deactivated", Cells(page, "victor@example.com")[3]));
        Assert.NotNull(ButtonNamed(page, "Reactivate Victor Advisor"));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Unlock Victor Advisor"));
        var contracts = await Context.Services.GetRequiredService<ContractService>().ListAsync(admin, new ContractQuery());
        Assert.All(contracts.Items, c => Assert.Equal("Olga Other", c.AdvisorName));
        Assert.Equal(UserStatus.Deactivated, (await Accounts.GetAsync(victor.UserId)).Value!.Status);
    }

    [Fact]
    public async Task Reactivating_asks_first_then_the_person_is_active_again()
    {
        var victor = (await Accounts.ListAsync()).Single(u => u.Email == "victor@example.com");
        await Context.Services.GetRequiredService<UserDeactivation>().DeactivateAsync(admin, victor.Id, null);
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => Assert.Equal("Deactivated", Cells(page, "victor@example.com")[3]));

        ButtonNamed(page, "Reactivate Victor Advisor").Click();
        page.WaitForAssertion(() => Assert.Contains("They can sign in again", page.Markup));
        await ClickAsync(page, "Reactivate");

        page.WaitForAssertion(() => Assert.Equal("Active", Cells(page, "victor@example.com")[3]));
        Assert.Contains("Victor Advisor is active again.", page.Markup);
    }

    [Fact]
    public async Task Changing_roles_explains_a_refusal_and_saves_an_allowed_change()
    {
        var page = RenderPage<Users>();
        page.WaitForAssertion(() => ButtonNamed(page, "Change roles of Ada Admin"));

        // Taking away your own Admin role is refused in the dialog.
        ButtonNamed(page, "Change roles of Ada Admin").Click();
        page.WaitForAssertion(() => CheckBox(page, "Admin"));
        await page.InvokeAsync(() => CheckBox(page, "Admin").ValueChanged.InvokeAsync(false));
        await page.InvokeAsync(() => CheckBox(page, "Advisor").ValueChanged.InvokeAsync(true));
        await ClickAsync(page, "Save roles");
        page.WaitForAssertion(() => Assert.Equal("You cannot take away your own Admin role; another admin can.", page.Find("[role=dialog] .mud-alert").TextContent.Trim()));
        await ClickAsync(page, "Cancel");

        ButtonNamed(page, "Change roles of Victor Advisor").Click();
        page.WaitForAssertion(() => CheckBox(page, "Admin"));
        await page.InvokeAsync(() => CheckBox(page, "Admin").ValueChanged.InvokeAsync(true));
        await ClickAsync(page, "Save roles");

        page.WaitForAssertion(() => Assert.Equal("Admin, Advisor", Cells(page, "victor@example.com")[2]));
        Assert.Contains("The roles of Victor Advisor were changed.", page.Markup);
    }

    private async Task<Actor> CreateContractsForVictorAsync(int count)
    {
        var victor = new Actor((await Accounts.ListAsync()).Single(u => u.Email == "victor@example.com").Id, IsAdmin: false);
        var contracts = Context.Services.GetRequiredService<ContractService>();
        for (var i = 0; i < count; i++)
        {
            await contracts.CreateAsync(victor, new NewContract($"Policy {i}", "Chloé Dupont", "chloe@example.com"));
        }

        return victor;
    }

    private static MudCheckBox<bool> CheckBox(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string label) =>
        page.FindComponents<MudCheckBox<bool>>().Single(c => c.Instance.Label == label).Instance;

    private static string[] Cells(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string email) =>
        page.FindAll("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal))
            .QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
}
