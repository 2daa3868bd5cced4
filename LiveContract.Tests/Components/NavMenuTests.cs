using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Web.Components.Layout;

namespace LiveContract.Tests.Components;

public sealed class NavMenuTests : ComponentTestContext
{
    [Fact]
    public void An_advisor_sees_their_contracts_but_not_administration()
    {
        Authorization.SetAuthorized("advisor@example.com").SetRoles(Roles.Advisor);

        var menu = Context.Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["My contracts", "My account", "Verify a signed PDF"], links);
    }

    [Fact]
    public void An_admin_also_sees_administration()
    {
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin);

        var menu = Context.Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("My contracts", ""), ("Administration", "admin"), ("My account", "Account/Manage"), ("Verify a signed PDF", "verify")], links);
    }

    [Fact]
    public void A_visitor_who_is_not_logged_in_sees_only_the_verification_link()
    {
        var menu = Context.Render<NavMenu>();

        Assert.Equal(["Verify a signed PDF"], menu.FindAll("a").Select(a => a.TextContent.Trim()));
    }
}
