using System.Net;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

public sealed class LoginTests
{
    [Fact]
    public async Task A_wrong_password_gives_a_clear_error_and_no_cookie()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var client = app.CreateWebClient();

        using var response = await client.LoginAsync("advisor@example.com", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is wrong.", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_login_survives_a_restart_and_works_on_another_instance(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        Cookie cookie;
        await using (var first = installation.Start())
        {
            await first.CreateStaffAsync();
            using var client = await first.LogInAsAdvisorAsync();
            cookie = client.Cookies.GetAllCookies().Single(c => c.Name == "LiveContract.Auth");
        }

        // The data protection keys that sealed the cookie live in the database, not in the process.
        await using var second = installation.Start();
        await using var third = installation.Start();
        foreach (var instance in new[] { second, third })
        {
            using var client = instance.CreateWebClient();
            client.Cookies.Add(new Cookie(cookie.Name, cookie.Value, "/", instance.BaseAddress.Host));
            using var response = await client.GetAsync("");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Victor Advisor", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Logging_out_ends_the_session()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var client = await app.LogInAsAdvisorAsync();
        var cookie = client.Cookies.GetAllCookies().Single(c => c.Name == "LiveContract.Auth");

        using var logout = await client.SubmitFormAsync("", new Dictionary<string, string>(), action: "Account/Logout");
        using var after = await client.GetAsync("");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.Equal("/Account/Login", client.RedirectPath(after));
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == cookie.Name && !c.Expired && c.Value == cookie.Value);
    }

    [Fact]
    public async Task People_change_their_own_password()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var client = await app.LogInAsAdvisorAsync();

        using var tooShort = await client.SubmitFormAsync("Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = LiveContractApp.AdvisorPassword,
            ["Input.NewPassword"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });
        Assert.Contains("The New password must be at least 12", await tooShort.Content.ReadAsStringAsync());

        using var changed = await client.SubmitFormAsync("Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = LiveContractApp.AdvisorPassword,
            ["Input.NewPassword"] = "my brand new password",
            ["Input.ConfirmPassword"] = "my brand new password",
        });
        Assert.Equal("/Account/Manage/ChangePassword", client.RedirectPath(changed));

        using var other = app.CreateWebClient();
        using var old = await other.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Contains("The email or password is wrong.", await old.Content.ReadAsStringAsync());
        using var fresh = await other.LoginAsync("advisor@example.com", "my brand new password");
        Assert.Equal("/", other.RedirectPath(fresh));
    }

    [Fact]
    public async Task The_keys_that_seal_logins_are_stored_encrypted_under_the_master_key()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var client = await app.LogInAsAdvisorAsync();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedKey masterKeyId=", xml);
            Assert.Contains("MasterKeyXmlDecryptor", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }
}
