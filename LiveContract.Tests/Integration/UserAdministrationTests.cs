using System.Net;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

public sealed class UserAdministrationTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_new_advisor_gets_an_emailed_link_that_sets_their_password(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        await app.CreateAdminAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        var result = await accounts.CreateAsync("Nora Advisor", "nora@example.com", Roles.Advisor, initialPassword: null);

        Assert.True(result.Succeeded);
        var message = await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "nora@example.com");
        Assert.Equal("Your LiveContract account", message.Subject);
        var link = new Uri(Mailbox.PasswordLink(message));
        Assert.Equal(app.BaseAddress.Authority, link.Authority);

        using var client = app.CreateWebClient();
        using var reset = await client.SubmitFormAsync(link.PathAndQuery.TrimStart('/'), new Dictionary<string, string>
        {
            ["Input.Email"] = "nora@example.com",
            ["Input.Password"] = "nora's chosen password",
            ["Input.ConfirmPassword"] = "nora's chosen password",
        });
        Assert.Equal("/Account/ResetPasswordConfirmation", client.RedirectPath(reset));

        using var login = await client.LoginAsync("nora@example.com", "nora's chosen password");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains(client.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");

        // The link works once: the password change invalidated it.
        using var reuse = await app.CreateWebClient().SubmitFormAsync(link.PathAndQuery.TrimStart('/'), new Dictionary<string, string>
        {
            ["Input.Email"] = "nora@example.com",
            ["Input.Password"] = "someone else's password",
            ["Input.ConfirmPassword"] = "someone else's password",
        });
        Assert.Contains("Invalid token", await reuse.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_same_email_twice_is_refused_and_nothing_half_made_remains(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        await app.CreateAdvisorAsync("same@example.com");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => accounts.CreateAsync("Copy", "Same@Example.com", Roles.Advisor, "a long enough password"))));

        Assert.All(results, r => Assert.False(r.Succeeded));
        Assert.All(results, r => Assert.Contains(r.Errors, e => e.Code == "DuplicateEmail"));
        Assert.Single(await accounts.ListAsync());
    }

    [Fact]
    public async Task A_too_short_initial_password_creates_nothing()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        var result = await accounts.CreateAsync("Short", "short@example.com", Roles.Advisor, "short");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Description.Contains("at least 12 characters", StringComparison.Ordinal));
        Assert.Empty(await accounts.ListAsync());
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        var result = await accounts.CreateAsync("Root", "root@example.com", "Root", "a long enough password");

        Assert.False(result.Succeeded);
        Assert.Equal("UnknownRole", Assert.Single(result.Errors).Code);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_locked_advisor_cannot_log_in_until_unlocked(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        Assert.True((await accounts.LockAsync(new Actor(admin.Id, IsAdmin: true), advisor.Id)).Succeeded);

        Assert.True((await accounts.ListAsync()).Single(u => u.Id == advisor.Id).IsLocked);
        using var client = app.CreateWebClient();
        using var locked = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Null(client.RedirectPath(locked));
        Assert.Contains("The email or password is wrong.", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.True((await accounts.UnlockAsync(new Actor(admin.Id, IsAdmin: true), advisor.Id)).Succeeded);
        using var unlocked = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        Assert.Equal("/", client.RedirectPath(unlocked));
    }

    [Fact]
    public async Task An_admin_cannot_lock_themselves_out()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var admin = await app.CreateAdminAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        var result = await accounts.LockAsync(new Actor(admin.Id, IsAdmin: true), admin.Id);

        Assert.False(result.Succeeded);
        Assert.Equal("You cannot lock your own account.", Assert.Single(result.Errors).Description);
        Assert.False((await accounts.ListAsync()).Single().IsLocked);
    }

    [Fact]
    public async Task An_admin_sets_a_new_password_and_the_old_one_stops_working()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        var acting = new Actor(admin.Id, IsAdmin: true);

        Assert.False((await accounts.SetPasswordAsync(acting, advisor.Id, "short")).Succeeded);
        Assert.True((await accounts.SetPasswordAsync(acting, advisor.Id, "the new advisor password")).Succeeded);

        using var client = app.CreateWebClient();
        using var old = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Contains("The email or password is wrong.", await old.Content.ReadAsStringAsync());
        using var fresh = await client.LoginAsync("advisor@example.com", "the new advisor password");
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }

    [Fact]
    public async Task Actions_on_an_account_that_does_not_exist_say_so()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        var someone = new Actor((await app.CreateAdminAsync()).Id, IsAdmin: true);

        var results = new[]
        {
            await accounts.LockAsync(someone, "no-such-id"),
            await accounts.UnlockAsync(someone, "no-such-id"),
            await accounts.SetPasswordAsync(someone, "no-such-id", "a long enough password"),
            await accounts.SendPasswordResetLinkAsync(someone, "no-such-id"),
        };

        Assert.All(results, r => Assert.Equal("That account does not exist (any more).", Assert.Single(r.Errors).Description));
    }

    [Fact]
    public async Task The_last_login_time_is_recorded()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        Assert.Null(advisor.LastLoginAt);

        using var client = app.CreateWebClient();
        using var login = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        var after = (await app.Services.GetRequiredService<UserAdministration>().ListAsync()).Single(u => u.Id == advisor.Id);
        Assert.NotNull(after.LastLoginAt);
        Assert.InRange(after.LastLoginAt.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
