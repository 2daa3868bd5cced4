using System.Net;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>What the server itself enforces, asked over plain HTTP without a browser.</summary>
public sealed class AuthorizationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("admin/users")]
    [InlineData("Account/Manage")]
    public async Task Anonymous_visitors_are_sent_to_login(string path)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();
        using var client = app.CreateWebClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/Account/Login", client.RedirectPath(response));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_advisor_is_denied_the_administration_pages_by_the_server(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var client = await app.LogInAsAdvisorAsync();

        using var dashboard = await client.GetAsync("");
        using var admin = await client.GetAsync("admin/users");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("My contracts", await dashboard.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Found, admin.StatusCode);
        Assert.Equal("/Account/AccessDenied", client.RedirectPath(admin));
        Assert.DoesNotContain("advisor@example.com", await admin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_gets_the_administration_pages()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();
        using var client = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var response = await client.GetAsync("admin/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Administration", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task There_is_no_public_registration()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();
        using var client = app.CreateWebClient();

        using var response = await client.GetAsync("Account/Register");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
