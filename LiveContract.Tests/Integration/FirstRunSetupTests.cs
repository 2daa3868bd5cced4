using System.Net;
using LiveContract.Core.Accounts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveContract.Tests.Integration;

public sealed class FirstRunSetupTests
{
    [Fact]
    public async Task A_fresh_installation_sends_visitors_to_setup()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        using var home = await client.GetAsync("");
        using var login = await client.GetAsync("Account/Login");
        using var setup = await client.GetAsync("setup");

        Assert.Equal("/setup", client.RedirectPath(home));
        Assert.Equal("/setup", client.RedirectPath(login));
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains("Create administrator", await setup.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_setup_form_creates_the_administrator_signs_them_in_and_closes()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        using var created = await client.SubmitFormAsync("setup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Grace Admin",
            ["Input.Email"] = "grace@example.com",
            ["Input.Password"] = "a long enough password",
            ["Input.ConfirmPassword"] = "a long enough password",
        });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains(client.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");
        using var admin = await client.GetAsync("admin/users");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

        using var anonymous = app.CreateWebClient();
        using var again = await anonymous.GetAsync("setup");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/Account/Login", anonymous.RedirectPath(again));
    }

    [Fact]
    public async Task The_setup_form_explains_what_is_wrong()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        using var response = await client.SubmitFormAsync("setup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Grace Admin",
            ["Input.Email"] = "not an email",
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "other",
        });

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This is not an email address.", page);
        Assert.Contains("The password must have at least 12 characters.", page);
        Assert.Contains("The two passwords differ.", page);
        Assert.True(await app.Services.GetRequiredService<FirstRunSetup>().IsRequiredAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Concurrent_submissions_create_exactly_one_administrator(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var setup = app.Services.GetRequiredService<FirstRunSetup>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => setup.CreateAdministratorAsync($"Admin {i}", $"admin{i}@example.com", "a long enough password"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("SetupComplete", Assert.Single(r.Errors).Code));
        var users = await app.Services.GetRequiredService<UserAdministration>().ListAsync();
        Assert.Equal([Roles.Admin], Assert.Single(users).Roles);
        Assert.False(await setup.IsRequiredAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Configuration_can_create_the_first_administrator(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["Setup:AdminEmail"] = "ops@example.com",
            ["Setup:AdminPassword"] = "password from the environment",
        });
        using var client = app.CreateWebClient();

        using var setup = await client.GetAsync("setup");
        using var login = await client.LoginAsync("ops@example.com", "password from the environment");

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(client.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");
    }

    [Fact]
    public async Task Two_servers_on_one_database_create_exactly_one_administrator()
    {
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var first = installation.Start();
        await using var second = installation.Start();
        var setups = new[] { first, second }.Select(app => app.Services.GetRequiredService<FirstRunSetup>()).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => setups[i % 2].CreateAdministratorAsync($"Admin {i}", $"admin{i}@example.com", "a long enough password"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FirstRunSetup.SetupCompleteCode, Assert.Single(r.Errors).Code));
        var users = await first.Services.GetRequiredService<UserAdministration>().ListAsync();
        Assert.Equal([Roles.Admin], Assert.Single(users).Roles);
        foreach (var setup in setups)
        {
            Assert.False(await setup.IsRequiredAsync());
        }
    }

    [Fact]
    public async Task Two_servers_preparing_one_database_at_once_both_succeed_with_each_role_and_one_configured_administrator()
    {
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var first = installation.Start();
        await using var second = installation.Start();
        await using (var scope = first.Services.CreateAsyncScope())
        {
            // As on an empty database: the roles do not exist yet when both servers start.
            await scope.ServiceProvider.GetRequiredService<LiveContractDbContext>().Roles.ExecuteDeleteAsync();
        }

        var configured = new[] { first, second }.Select(app =>
        {
            var options = app.Services.GetRequiredService<IOptions<SetupOptions>>().Value;
            options.AdminEmail = "ops@example.com";
            options.AdminPassword = "password from the environment";
            return app;
        }).ToArray();

        await Task.WhenAll(configured.Select(app => Task.Run(() => app.Services.InitializeLiveContractDatabaseAsync())));

        await using var check = first.Services.CreateAsyncScope();
        var roles = await check.ServiceProvider.GetRequiredService<LiveContractDbContext>().Roles.Select(r => r.Name).ToListAsync();
        Assert.Equal(Roles.All.Order(), roles.Order());
        var users = await first.Services.GetRequiredService<UserAdministration>().ListAsync();
        Assert.Equal("ops@example.com", Assert.Single(users).Email);
    }
}
