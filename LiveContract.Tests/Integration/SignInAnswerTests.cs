using System.Diagnostics;
using System.Net;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;
using WebClient = LiveContract.Tests.Fixtures.WebClient;

namespace LiveContract.Tests.Integration;

/// <summary>
/// The login form through real HTTP posts with antiforgery: every refusal answers alike, failed
/// passwords lock nobody out, and guessing from one address backs off for that address only.
/// </summary>
public sealed class SignInAnswerTests
{
    private const string Proxy = "127.0.0.1";

    [Fact]
    public async Task Unknown_email_wrong_password_and_locked_account_get_the_same_answer_in_similar_time()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = Proxy });
        var (admin, _) = await app.CreateStaffAsync();
        var locked = await app.CreateUserAsync("Lou Locked", "locked@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        Assert.True((await accounts.LockAsync(new Actor(admin.Id, IsAdmin: true), locked.Id)).Succeeded);

        var cases = new (string Email, string Password)[]
        {
            ("nobody@example.com", "not-the-password"),
            ("advisor@example.com", "not-the-password"),
            ("locked@example.com", LiveContractApp.AdvisorPassword),
        };
        var answers = new List<(HttpStatusCode Status, string? Redirect, string Error, bool Cookie)>();
        var times = new List<double>();
        for (var i = 0; i < cases.Length; i++)
        {
            var (email, password) = cases[i];
            var elapsed = new List<double>();
            for (var attempt = 0; attempt < 3; attempt++)
            {
                // One address per attempt, so the back-off plays no part.
                using var client = ClientFrom(app, $"203.0.113.{(10 * i) + attempt + 1}");
                var watch = Stopwatch.StartNew();
                using var response = await client.LoginAsync(email, password);
                elapsed.Add(watch.Elapsed.TotalMilliseconds);
                var page = await response.Content.ReadAsStringAsync();
                answers.Add((response.StatusCode, client.RedirectPath(response), ErrorOf(page), client.Cookies.GetAllCookies().Any(c => c.Name == "LiveContract.Auth")));
            }

            times.Add(elapsed.Min());
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, (string?)null, "Error: The email or password is wrong.", false), a));

        // A refusal without a password check (unknown, locked) still spends one: no case is answered
        // in a fraction of the time of a wrong password.
        Assert.All(times, t => Assert.True(t >= times[1] * 0.4, $"Answer times (ms) for unknown, wrong and locked: {string.Join(", ", times.Select(x => x.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}"));

        // The administrator's lock is its own thing: unlocked, the account signs in.
        Assert.True((await accounts.UnlockAsync(new Actor(admin.Id, IsAdmin: true), locked.Id)).Succeeded);
        using var unlocked = ClientFrom(app, "203.0.113.99");
        using var signedIn = await unlocked.LoginAsync("locked@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", unlocked.RedirectPath(signedIn));
    }

    [Fact]
    public async Task Wrong_passwords_from_one_address_back_off_that_address_and_never_lock_out_the_real_user()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = Proxy,
            ["LoginBackoff:FirstDelay"] = "00:00:02",
        });
        await app.CreateStaffAsync();
        using var attacker = ClientFrom(app, "203.0.113.66");

        // Five failures are free; each is the plain refusal.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failure = await attacker.LoginAsync("advisor@example.com", $"guess-{attempt}");
            Assert.Equal("Error: The email or password is wrong.", ErrorOf(await failure.Content.ReadAsStringAsync()));
        }

        // Then that address waits before trying that email again, even with the right password, and
        // an email no account has backs off just the same.
        using var waiting = await attacker.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        Assert.Matches("^Error: Too many failed sign-ins with this email from your address\\. Wait [12] seconds and try again\\.$", ErrorOf(await waiting.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(attacker.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failure = await attacker.LoginAsync("nobody@example.com", $"guess-{attempt}");
        }

        using var unknownWaits = await attacker.LoginAsync("nobody@example.com", "guess-6");
        Assert.StartsWith("Error: Too many failed sign-ins with this email from your address.", ErrorOf(await unknownWaits.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // The real user, from their own address, signs in at once: nothing was locked.
        using var realUser = ClientFrom(app, "198.51.100.7");
        using var signedIn = await realUser.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", realUser.RedirectPath(signedIn));

        // Another failure after the wait doubles it; once it is over, the right password works from there too.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using var sixth = await attacker.LoginAsync("advisor@example.com", "guess-6");
        Assert.Equal("Error: The email or password is wrong.", ErrorOf(await sixth.Content.ReadAsStringAsync()));
        using var longer = await attacker.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Matches("Wait [34] seconds", ErrorOf(await longer.Content.ReadAsStringAsync()));
        await Task.Delay(TimeSpan.FromSeconds(4.2));
        using var after = await attacker.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", attacker.RedirectPath(after));
    }

    [Fact]
    public async Task The_per_address_limit_still_holds_across_many_accounts()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = Proxy,
            ["LoginRateLimit:PermitsPerMinute"] = "8",
        });
        await app.CreateStaffAsync();
        using var guesser = ClientFrom(app, "203.0.113.77");
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            using var allowed = await guesser.LoginAsync($"person{attempt}@example.com", "not-the-password");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await guesser.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var other = ClientFrom(app, "203.0.113.78");
        using var signedIn = await other.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", other.RedirectPath(signedIn));
    }

    [Fact]
    public void Settings_that_make_no_back_off_are_refused_at_start()
    {
        Assert.Throws<Core.Hosting.ConfigurationErrorException>(() => new LoginBackoffOptions { FreeFailures = 0 }.Validate());
        Assert.Throws<Core.Hosting.ConfigurationErrorException>(() => new LoginBackoffOptions { FirstDelay = TimeSpan.FromMinutes(20) }.Validate());
    }

    private static WebClient ClientFrom(LiveContractApp app, string address)
    {
        var client = app.CreateWebClient();
        client.Headers.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>The login page's error line (the status message), decoded.</summary>
    private static string ErrorOf(string page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page, "<div class=\"alert[^\"]*\"[^>]*>\\s*(?<text>.*?)\\s*(<button|</div>)", System.Text.RegularExpressions.RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(match.Groups["text"].Value.Trim()) : "(no error shown)";
    }
}
