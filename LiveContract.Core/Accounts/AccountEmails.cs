using System.Net;
using LiveContract.Core.Email;

namespace LiveContract.Core.Accounts;

/// <summary>The texts of the emails LiveContract sends about accounts.</summary>
public static class AccountEmails
{
    public static EmailMessage SetPassword(ApplicationUser user, string link, bool newAccount, TimeSpan validFor)
    {
        var hours = (int)Math.Round(validFor.TotalHours);
        var intro = newAccount
            ? $"An administrator created a LiveContract account for you ({user.Email})."
            : $"A new password was requested for your LiveContract account ({user.Email}).";
        var action = newAccount ? "Choose your password" : "Reset your password";
        var text = $"""
            Hello {user.DisplayName},

            {intro}
            {action} here (valid for {hours} hours, once):

            {link}

            If you did not expect this message, you can ignore it.
            """;
        var html = $"""
            <p>Hello {WebUtility.HtmlEncode(user.DisplayName)},</p>
            <p>{WebUtility.HtmlEncode(intro)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">{action}</a> (valid for {hours} hours, once).</p>
            <p>If you did not expect this message, you can ignore it.</p>
            """;
        var subject = newAccount ? "Your LiveContract account" : "Reset your LiveContract password";
        return new EmailMessage(user.Email!, user.DisplayName, subject, text, html, link);
    }
}
