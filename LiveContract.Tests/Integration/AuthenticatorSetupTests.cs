using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LiveContract.Core.Accounts;
using LiveContract.Tests.Fixtures;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebClient = LiveContract.Tests.Fixtures.WebClient;

namespace LiveContract.Tests.Integration;

/// <summary>
/// The authenticator app is set up only by a POST with an antiforgery token: opening the page (a
/// link from anywhere) never makes or replaces the key, nor signs the person out. The whole flow
/// works with a real code computed from the key the page shows, up to logging in with it.
/// </summary>
public sealed partial class AuthenticatorSetupTests
{
    private const string Page = "Account/Manage/EnableAuthenticator";

    [Fact]
    public async Task Opening_the_page_changes_nothing_and_only_the_posted_form_makes_the_key_which_then_logs_in_with_its_code()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var web = await app.LogInAsAdvisorAsync();
        var before = await AccountAsync(app, advisor.Id);

        var setUpForm = new Dictionary<string, string>();
        foreach (var _ in new[] { 1, 2 })
        {
            using var page = await web.GetAsync(Page);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Set up authenticator app", html, StringComparison.Ordinal);
            Assert.DoesNotMatch(SharedKey(), html);
            setUpForm = WebClient.HiddenFields(Form().Matches(html).Single(f => f.Value.Contains("set-up-authenticator", StringComparison.Ordinal)).Value);
        }

        Assert.Equal(before, await AccountAsync(app, advisor.Id));
        Assert.Null(before.Key);

        // A POST without the antiforgery token, as another site's form would send, is refused.
        using (var forged = await web.PostFormAsync(Page, new Dictionary<string, string> { ["_handler"] = "set-up-authenticator" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        Assert.Equal(before, await AccountAsync(app, advisor.Id));

        using (var setUp = await web.PostFormAsync(Page, setUpForm))
        {
            Assert.Equal($"/{Page}", web.RedirectPath(setUp));
        }

        var made = await AccountAsync(app, advisor.Id);
        Assert.NotNull(made.Key);

        // The page now shows that key, the same at each visit, and visits still change nothing.
        var shown = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            using var page = await web.GetAsync(Page);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            shown.Add(SharedKey().Match(await page.Content.ReadAsStringAsync()).Groups["key"].Value);
        }

        Assert.Equal(made, await AccountAsync(app, advisor.Id));
        Assert.Equal(made.Key!.ToLowerInvariant(), Assert.Single(shown.Distinct()).Replace(" ", "", StringComparison.Ordinal));

        // Setting up again from the page loaded before (a second tab) is refused: the page no longer has that form.
        using (var again = await web.PostFormAsync(Page, setUpForm))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        Assert.Equal(made, await AccountAsync(app, advisor.Id));

        using (var verified = await web.SubmitFormAsync(Page, new Dictionary<string, string> { ["Input.Code"] = Totp(shown[0]) }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            Assert.Contains("Your authenticator app has been verified.", await verified.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var enabled = await AccountAsync(app, advisor.Id);
        Assert.True(enabled.TwoFactor);
        Assert.Equal(made.Key, enabled.Key);

        // The other account pages change nothing when opened either.
        foreach (var path in new[] { "Account/Manage/ResetAuthenticator", "Account/Manage/GenerateRecoveryCodes", "Account/Manage/Disable2fa", "Account/Manage/TwoFactorAuthentication", "Account/Manage" })
        {
            using var page = await web.GetAsync(path);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {page.StatusCode}");
        }

        Assert.Equal(enabled, await AccountAsync(app, advisor.Id));

        // Logging in now asks for the code, and the app's code lets the advisor in.
        using var fresh = app.CreateWebClient();
        using (var password = await fresh.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword))
        {
            Assert.Equal("/Account/LoginWith2fa", fresh.RedirectPath(password));
            using var secondStep = await fresh.SubmitFormAsync(password.Headers.Location!.OriginalString.TrimStart('/'), new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp(shown[0]) });
            Assert.Equal("/", fresh.RedirectPath(secondStep));
        }
    }

    /// <summary>What visiting a page must never change: the authenticator key, the security stamp (a change signs the person out everywhere), two-factor on or off, the recovery codes.</summary>
    private sealed record Account(string? Key, string? Stamp, bool TwoFactor, int RecoveryCodes);

    private static async Task<Account> AccountAsync(LiveContractApp app, string userId)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        return new Account(await users.GetAuthenticatorKeyAsync(user), await users.GetSecurityStampAsync(user), await users.GetTwoFactorEnabledAsync(user), await users.CountRecoveryCodesAsync(user));
    }

    /// <summary>The current RFC 6238 code (HMAC-SHA1, 30 seconds, 6 digits) of a base32 key, as an authenticator app shows it.</summary>
    private static string Totp(string base32Key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()
            .Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        var key = Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var code = ((hash[offset] & 0x7F) << 24 | hash[offset + 1] << 16 | hash[offset + 2] << 8 | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<form.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<kbd>(?<key>[a-z2-7 ]+)</kbd>")]
    private static partial Regex SharedKey();
}
