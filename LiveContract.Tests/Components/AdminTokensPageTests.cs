using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Web.Features.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class AdminTokensPageTests : ComponentTestContext
{
    private string advisorId = "";

    private ApiTokenService Tokens => Context.Services.GetRequiredService<ApiTokenService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        var users = await accounts.ListAsync();
        advisorId = users.Single(u => u.Email == "victor@example.com").Id;
        var adminId = users.Single(u => u.Email == "admin@example.com").Id;
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, adminId));
    }

    [Fact]
    public async Task Lists_every_token_with_its_owner_and_never_the_secret()
    {
        var created = await Tokens.CreateAsync(new Actor(advisorId, IsAdmin: false), "CRM");
        var page = RenderPage<AdminTokens>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tbody tr")));
        var cells = page.Find("tbody tr").QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()).ToArray();
        Assert.Equal(["Victor Advisor victor@example.com", "CRM", created.Value.Token.Prefix + "…"], cells);
        Assert.Contains("Active", page.Find("tbody").TextContent);
        Assert.DoesNotContain(created.Value.Secret, page.Markup);
    }

    [Fact]
    public async Task Revoking_asks_first_then_the_token_stops_working()
    {
        var created = await Tokens.CreateAsync(new Actor(advisorId, IsAdmin: false), "CRM");
        var page = RenderPage<AdminTokens>();
        page.WaitForAssertion(() => ButtonNamed(page, "Revoke CRM of Victor Advisor"));

        ButtonNamed(page, "Revoke CRM of Victor Advisor").Click();
        page.WaitForAssertion(() => Assert.Contains("Revoke 'CRM' of Victor Advisor? Programs using it stop working at once.", page.Markup));
        await ClickAsync(page, "Cancel");
        Assert.NotNull(await Tokens.AuthenticateAsync(created.Value.Secret));

        ButtonNamed(page, "Revoke CRM of Victor Advisor").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Revoke"));
        await ClickAsync(page, "Revoke");

        page.WaitForAssertion(() => Assert.Contains("Revoked", page.Find("tbody").TextContent));
        Assert.Null(await Tokens.AuthenticateAsync(created.Value.Secret));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Revoke CRM of Victor Advisor"));
    }
}
