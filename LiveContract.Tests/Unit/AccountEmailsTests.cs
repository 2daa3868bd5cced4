using LiveContract.Core.Accounts;

namespace LiveContract.Tests.Unit;

public sealed class AccountEmailsTests
{
    private static readonly ApplicationUser User = new() { Email = "eve@example.com", DisplayName = "Eve <script>alert(1)</script>" };

    [Fact]
    public void A_new_account_email_carries_the_link_and_its_lifetime()
    {
        var message = AccountEmails.SetPassword(User, "https://lc.example/Account/ResetPassword?code=abc", newAccount: true, TimeSpan.FromHours(24));

        Assert.Equal("eve@example.com", message.To);
        Assert.Equal("Your LiveContract account", message.Subject);
        Assert.Contains("https://lc.example/Account/ResetPassword?code=abc", message.TextBody);
        Assert.Contains("valid for 24 hours", message.TextBody);
        Assert.Equal("https://lc.example/Account/ResetPassword?code=abc", message.Link);
    }

    [Fact]
    public void A_reset_email_says_so()
    {
        var message = AccountEmails.SetPassword(User, "https://lc.example/r", newAccount: false, TimeSpan.FromHours(24));

        Assert.Equal("Reset your LiveContract password", message.Subject);
        Assert.Contains("A new password was requested", message.TextBody);
    }

    [Fact]
    public void Names_are_encoded_in_the_html_body()
    {
        var message = AccountEmails.SetPassword(User, "https://lc.example/r?a=1&b=2", newAccount: true, TimeSpan.FromHours(24));

        Assert.DoesNotContain("<script>", message.HtmlBody);
        Assert.Contains("Eve &lt;script&gt;", message.HtmlBody);
        Assert.Contains("href=\"https://lc.example/r?a=1&amp;b=2\"", message.HtmlBody);
    }
}
