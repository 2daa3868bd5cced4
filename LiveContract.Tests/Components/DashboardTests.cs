using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Web.Features.Contracts;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class DashboardTests : ComponentTestContext
{
    private Actor advisor = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        await accounts.CreateAsync("Olga Other", "olga@example.com", Roles.Advisor, "a long enough password");
        var users = await accounts.ListAsync();
        advisor = new Actor(users.Single(u => u.Email == "victor@example.com").Id, IsAdmin: false);
        var other = new Actor(users.Single(u => u.Email == "olga@example.com").Id, IsAdmin: false);
        var contracts = Context.Services.GetRequiredService<ContractService>();
        await contracts.CreateAsync(advisor, new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"));
        await contracts.CreateAsync(advisor, new NewContract("Home insurance", "Hugo Martin", "hugo@example.com"));
        await contracts.CreateAsync(other, new NewContract("Someone else's", "Ines Roux", "ines@example.com"));
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(new Claim(ClaimTypes.NameIdentifier, advisor.UserId));
    }

    [Fact]
    public void An_advisor_sees_only_their_contracts_newest_first()
    {
        var page = RenderPage<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        var titles = page.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent.Trim()).ToList();
        Assert.Equal(["Home insurance", "Motor policy"], titles);
        Assert.Contains("My contracts", page.Find("h1").TextContent);
        Assert.DoesNotContain("Someone else's", page.Markup);
    }

    [Fact]
    public async Task Search_filters_on_the_server()
    {
        var page = RenderPage<Dashboard>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        await ControlLabelled(page, "Search").InputAsync(new() { Value = "chloe" });

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")), TimeSpan.FromSeconds(3));
        Assert.Contains("Motor policy", page.Find("tbody tr").TextContent);
    }

    [Fact]
    public async Task Creating_a_contract_from_the_dialog_opens_it()
    {
        var page = await SubmitNewContractAsync("lea@example.com");

        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches("/contracts/[0-9a-f-]{36}$", navigation.Uri));
        var created = await Context.Services.GetRequiredService<ContractService>().ListAsync(advisor, new ContractQuery(Search: "Life cover"));
        Assert.Equal("lea@example.com", Assert.Single(created.Items).CustomerEmail);
    }

    [Fact]
    public async Task The_dialog_explains_a_bad_email_and_creates_nothing()
    {
        var page = await SubmitNewContractAsync("lea-at-example");

        page.WaitForAssertion(() => Assert.Contains("is not an email address", page.Find("[role=dialog] .mud-alert").TextContent));
        var all = await Context.Services.GetRequiredService<ContractService>().ListAsync(advisor, new ContractQuery());
        Assert.Equal(2, all.Total);
    }

    /// <summary>Opens "New contract" on the dashboard and submits it for Léa Petit with <paramref name="email"/>.</summary>
    private async Task<IRenderedComponent<IComponent>> SubmitNewContractAsync(string email)
    {
        var page = RenderPage<Dashboard>();
        page.WaitForAssertion(() => ButtonNamed(page, "New contract"));

        ButtonNamed(page, "New contract").Click();
        page.WaitForAssertion(() => ControlLabelled(page, "Title"));
        await ControlLabelled(page, "Title").ChangeAsync(new() { Value = "Life cover" });
        await ControlLabelled(page, "Customer full name").ChangeAsync(new() { Value = "Léa Petit" });
        await ControlLabelled(page, "Customer email").ChangeAsync(new() { Value = email });
        await ClickAsync(page, "Create contract");
        return page;
    }
}
