using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class ApiTokensPageTests : ComponentTestContext
{
    private string userId = "";

    private ApiTokenService Tokens => Context.Services.GetRequiredService<ApiTokenService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        userId = (await accounts.ListAsync()).Single().Id;
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
    }

    [Fact]
    public async Task A_new_token_is_shown_once_and_works()
    {
        var page = RenderPage<ApiTokens>();
        page.WaitForAssertion(() => Assert.Contains("You have no API tokens.", page.Markup));

        await ControlLabelled(page, "Token name").ChangeAsync(new() { Value = "CRM integration" });
        await ClickAsync(page, "Create token");

        page.WaitForAssertion(() => page.Find("[data-testid=new-token]"));
        var secret = page.Find("[data-testid=new-token]").TextContent.Trim();
        Assert.StartsWith("lc_", secret, StringComparison.Ordinal);
        Assert.Equal(userId, (await Tokens.AuthenticateAsync(secret))?.Id);
        Assert.Contains("CRM integration", page.Find("tbody").TextContent);
        Assert.Contains(secret[..9], page.Find("tbody").TextContent);
        Assert.DoesNotContain(secret, page.Find("tbody").TextContent);
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        var page = RenderPage<ApiTokens>();
        page.WaitForAssertion(() => ButtonNamed(page, "Create token"));

        await ClickAsync(page, "Create token");

        page.WaitForAssertion(() => Assert.Contains("Give the token a name", page.Find("[role=alert]").TextContent));
        Assert.Empty(await Tokens.ListAsync(userId));
    }

    [Fact]
    public async Task Revoking_asks_first_and_the_token_stops_working()
    {
        var created = await Tokens.CreateAsync(new Core.Common.Actor(userId, IsAdmin: false), "Old script");
        var page = RenderPage<ApiTokens>();
        page.WaitForAssertion(() => ButtonNamed(page, "Revoke Old script"));

        ButtonNamed(page, "Revoke Old script").Click();
        page.WaitForAssertion(() => Assert.Contains("Programs using it stop working at once.", page.Markup));
        await ClickAsync(page, "Revoke");

        page.WaitForAssertion(() => Assert.Contains("Revoked", page.Find("tbody").TextContent));
        Assert.Null(await Tokens.AuthenticateAsync(created.Value.Secret));
    }
}
