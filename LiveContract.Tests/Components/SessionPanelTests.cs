using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The contract page's live-session panel over the real service (sessions, links, email to the pickup folder).</summary>
public sealed class SessionPanelTests : LiveSessionTestContext
{
    private readonly BunitJSModuleInterop clipboard;

    public SessionPanelTests()
    {
        clipboard = Context.JSInterop.SetupModule("./Features/LiveSessions/SessionPanel.razor.js");
        clipboard.Setup<bool>("copyText", _ => true).SetResult(true);
    }

    [Fact]
    public async Task Starting_shows_the_customer_link_once_and_says_where_it_was_sent()
    {
        var panel = await RenderPanelAsync();
        panel.WaitForAssertion(() => Assert.Contains("No live session is running.", panel.Markup));

        await ClickAsync(panel, "Start live session");

        // Under the public address (in Development by default http://localhost:5080), not the page's (http://localhost/).
        panel.WaitForAssertion(() => Assert.StartsWith("http://localhost:5080/join/lcs_", CustomerLink(panel)));
        Assert.Contains("Sent to chloe@example.com", panel.Markup);
        Assert.StartsWith("Live session active since ", panel.Find("[data-testid=session-status]").TextContent.Trim());
        Assert.Equal("sessions/" + (await ActiveAsync())!.Id, panel.FindAll("a").Single(a => a.TextContent.Trim() == "Open live session").GetAttribute("href"));
        Assert.True((await Sessions.CheckLinkAsync(CustomerLink(panel).Split('/').Last())).IsValid);
        Assert.Single(Directory.GetFiles(PickupDirectory, "*.eml"));
    }

    [Fact]
    public async Task Copy_link_puts_the_link_on_the_clipboard()
    {
        var panel = await RenderPanelAsync();
        await ClickAsync(panel, "Start live session");
        panel.WaitForAssertion(() => CustomerLink(panel));

        await ClickAsync(panel, "Copy link");

        Assert.Equal(CustomerLink(panel), Assert.Single(clipboard.Invocations["copyText"]).Arguments[0]);
        panel.WaitForAssertion(() => Assert.Contains("Link copied.", panel.Markup));
    }

    [Fact]
    public async Task Resending_issues_a_new_link_and_the_old_one_stops_working()
    {
        var panel = await RenderPanelAsync();
        await ClickAsync(panel, "Start live session");
        panel.WaitForAssertion(() => CustomerLink(panel));
        var first = CustomerLink(panel);

        await ClickAsync(panel, "Resend link");

        panel.WaitForAssertion(() => Assert.NotEqual(first, CustomerLink(panel)));
        Assert.Equal(LinkProblem.Revoked, (await Sessions.CheckLinkAsync(first.Split('/').Last())).Problem);
        Assert.True((await Sessions.CheckLinkAsync(CustomerLink(panel).Split('/').Last())).IsValid);
    }

    [Fact]
    public async Task Revoking_hides_the_link_and_says_so()
    {
        var panel = await RenderPanelAsync();
        await ClickAsync(panel, "Start live session");
        panel.WaitForAssertion(() => CustomerLink(panel));
        var link = CustomerLink(panel);

        await ClickAsync(panel, "Revoke link");

        panel.WaitForAssertion(() => Assert.Contains("The customer link was revoked", panel.Find("[data-testid=link-status]").TextContent));
        Assert.Empty(panel.FindAll("input[readonly]"));
        Assert.True(ButtonNamed(panel, "Revoke link").HasAttribute("disabled"));
        Assert.Equal(LinkProblem.Revoked, (await Sessions.CheckLinkAsync(link.Split('/').Last())).Problem);
    }

    [Fact]
    public async Task Ending_asks_first_then_ends_the_session_for_everyone()
    {
        var panel = await RenderPanelAsync();
        await ClickAsync(panel, "Start live session");
        panel.WaitForAssertion(() => CustomerLink(panel));
        var sessionId = (await ActiveAsync())!.Id;

        // The click's handler waits for the answer, so the test answers while it waits.
        var asking = ButtonNamed(panel, "End session").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Contains("End the session for everyone?", panel.Markup));
        await ClickAsync(panel, "Cancel");
        await asking;
        Assert.NotNull(await ActiveAsync());

        asking = ButtonNamed(panel, "End session").ClickAsync(new());
        panel.WaitForAssertion(() => ButtonNamed(panel, "End for everyone"));
        await ClickAsync(panel, "End for everyone");
        await asking;

        panel.WaitForAssertion(() => Assert.Contains("No live session is running.", panel.Markup));
        Assert.Null(await ActiveAsync());
        Assert.Equal(LiveSessionStatus.Ended, (await Sessions.GetAsync(Advisor, sessionId)).Value!.Status);
        Assert.False(ButtonNamed(panel, "Start live session").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_running_session_is_shown_without_its_link_after_a_reload()
    {
        await Sessions.StartAsync(Advisor, ContractId);

        var panel = await RenderPanelAsync();

        panel.WaitForAssertion(() => Assert.StartsWith("Live session active since ", panel.Find("[data-testid=session-status]").TextContent.Trim()));
        Assert.StartsWith("The customer link is valid until ", panel.Find("[data-testid=link-status]").TextContent.Trim());
        Assert.Empty(panel.FindAll("input[readonly]"));
        ButtonNamed(panel, "Resend link");
    }

    [Fact]
    public async Task Without_documents_start_is_disabled_with_the_reason()
    {
        var contract = await Context.Services.GetRequiredService<ContractService>().CreateAsync(Advisor, new NewContract("Home policy", CustomerName, "chloe@example.com"));

        var panel = await RenderPanelAsync(contract.Value!.Id);

        panel.WaitForAssertion(() => Assert.True(ButtonNamed(panel, "Start live session").HasAttribute("disabled")));
        var reason = panel.Find("#" + ButtonNamed(panel, "Start live session").GetAttribute("aria-describedby"));
        Assert.Equal("Add a document before starting a live session.", reason.TextContent.Trim());
    }

    [Fact]
    public async Task An_admin_sees_the_session_but_no_controls()
    {
        await Sessions.StartAsync(Advisor, ContractId);
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "ada@example.com", Roles.Admin, "a long enough password");
        var admin = new Core.Common.Actor((await accounts.ListAsync()).Single(u => u.Email == "ada@example.com").Id, IsAdmin: true);

        var panel = await RenderPanelAsync(actor: admin);

        panel.WaitForAssertion(() => Assert.StartsWith("Live session active since ", panel.Find("[data-testid=session-status]").TextContent.Trim()));
        Assert.Empty(panel.FindAll("button"));
        Assert.Empty(panel.FindAll("a"));
    }

    [Fact]
    public async Task The_contract_page_shows_the_panel()
    {
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(new Claim(ClaimTypes.NameIdentifier, Advisor.UserId));

        var page = RenderPage<Web.Features.Contracts.ContractPage>((nameof(Web.Features.Contracts.ContractPage.Id), ContractId));

        page.WaitForAssertion(() => Assert.False(ButtonNamed(page, "Start live session").HasAttribute("disabled")));
    }

    private async Task<IRenderedComponent<IComponent>> RenderPanelAsync(Guid? contractId = null, Core.Common.Actor? actor = null)
    {
        actor ??= Advisor;
        var contract = await Context.Services.GetRequiredService<ContractService>().GetAsync(actor, contractId ?? ContractId);
        return RenderPage<SessionPanel>((nameof(SessionPanel.Contract), contract.Value!), (nameof(SessionPanel.Actor), actor));
    }

    private Task<LiveSessionInfo?> ActiveAsync() => Sessions.GetActiveAsync(Advisor, ContractId);

    private static string CustomerLink(IRenderedComponent<IComponent> panel) => ControlLabelled(panel, "Customer link").GetAttribute("value") ?? "";
}
