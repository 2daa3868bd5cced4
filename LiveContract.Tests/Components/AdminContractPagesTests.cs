using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Web.Features.Admin;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveContract.Tests.Components;

public sealed class AdminContractPagesTests : ComponentTestContext
{
    private Actor victor = default!;
    private Actor olga = default!;
    private Actor admin = default!;
    private Guid victorsContract;

    private ContractService Contracts => Context.Services.GetRequiredService<ContractService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        foreach (var (name, email, role) in new[] { ("Ada Admin", "ada@example.com", Roles.Admin), ("Victor Advisor", "victor@example.com", Roles.Advisor), ("Olga Other", "olga@example.com", Roles.Advisor) })
        {
            await accounts.CreateAsync(name, email, role, "a long enough password");
        }

        var users = await accounts.ListAsync();
        admin = new Actor(users.Single(u => u.Email == "ada@example.com").Id, IsAdmin: true);
        victor = new Actor(users.Single(u => u.Email == "victor@example.com").Id, IsAdmin: false);
        olga = new Actor(users.Single(u => u.Email == "olga@example.com").Id, IsAdmin: false);
        victorsContract = (await Contracts.CreateAsync(victor, new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"))).Value!.Id;
        await Contracts.CreateAsync(olga, new NewContract("Home insurance", "Hugo Martin", "hugo@example.com"));
        Authorization.SetAuthorized("ada@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.UserId));
    }

    [Fact]
    public async Task The_contracts_page_lists_everyones_contracts_with_their_advisor_and_filters_by_advisor()
    {
        var page = RenderPage<AdminContracts>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        Assert.Contains(page.FindAll("thead th"), th => th.TextContent.Trim() == "Advisor");
        Assert.Contains(page.FindAll("tbody tr"), r => r.TextContent.Contains("Motor policy") && r.TextContent.Contains("Victor Advisor"));
        Assert.Equal($"admin/contracts/{victorsContract}", page.FindAll("tbody tr a").Single(a => a.TextContent.StartsWith("LC-", StringComparison.Ordinal) && a.ParentElement!.ParentElement!.TextContent.Contains("Motor policy")).GetAttribute("href"));

        var advisorFilter = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Advisor");
        await page.InvokeAsync(() => advisorFilter.Instance.ValueChanged.InvokeAsync(olga.UserId));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        Assert.Contains("Home insurance", page.Find("tbody tr").TextContent);
    }

    [Fact]
    public void The_contract_view_is_read_only()
    {
        var page = RenderPage<AdminContractPage>((nameof(AdminContractPage.Id), victorsContract));

        page.WaitForAssertion(() => Assert.Equal("Victor Advisor", page.Find("[data-testid=advisor]").TextContent.Trim()));
        Assert.Contains("Motor policy", page.Markup);
        Assert.Contains("No live session is running.", page.Markup);
        Assert.Empty(page.FindComponents<InputFile>());
        var buttons = page.FindAll("button").Select(b => b.GetAttribute("aria-label") ?? b.TextContent.Trim()).ToList();
        Assert.DoesNotContain("Send for review", buttons);
        Assert.DoesNotContain("Start live session", buttons);
        Assert.DoesNotContain(buttons, b => b.StartsWith("Remove", StringComparison.Ordinal));
        Assert.Contains("Reassign", buttons);
        page.WaitForAssertion(() => Assert.Contains("Contract created", page.Markup));
    }

    [Fact]
    public async Task Reassigning_asks_for_the_advisor_then_moves_the_contract_and_the_timeline_says_so()
    {
        var page = RenderPage<AdminContractPage>((nameof(AdminContractPage.Id), victorsContract));
        page.WaitForAssertion(() => ButtonNamed(page, "Reassign"));

        ButtonNamed(page, "Reassign").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[role=dialog]")));
        Assert.True(DialogButton(page, "Reassign").HasAttribute("disabled"));
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "New advisor");
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(olga.UserId));
        await DialogButton(page, "Reassign").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Olga Other", page.Find("[data-testid=advisor]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("Contract reassigned from Victor Advisor to Olga Other", page.Markup));
        Assert.Equal(olga.UserId, (await Contracts.GetAsync(olga, victorsContract)).Value!.AdvisorId);
    }

    [Fact]
    public void An_unknown_contract_is_not_found()
    {
        var page = RenderPage<AdminContractPage>((nameof(AdminContractPage.Id), Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.Contains("Contract not found", page.Markup));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Reassign"));
    }

    private static AngleSharp.Dom.IElement DialogButton(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string name) =>
        page.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == name);
}
