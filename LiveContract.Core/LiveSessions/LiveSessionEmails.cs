using System.Globalization;
using System.Net;
using LiveContract.Core.Email;

namespace LiveContract.Core.LiveSessions;

/// <summary>The texts of the emails LiveContract sends about live sessions.</summary>
public static class LiveSessionEmails
{
    /// <summary>The invitation to join a live session, carrying the customer's link.</summary>
    public static EmailMessage Invitation(
        string customerEmail,
        string customerName,
        string advisorName,
        string contractReference,
        string contractTitle,
        string link,
        DateTimeOffset expiresAt)
    {
        var until = expiresAt.UtcDateTime.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var intro = $"{advisorName} invites you to go through your contract \"{contractTitle}\" ({contractReference}) together in a live session.";
        var text = $"""
            Hello {customerName},

            {intro}
            Join here; you need no password (the link works until {until}, or until the session ends):

            {link}

            The link is personal: do not forward it. If it no longer works, ask {advisorName} for a new one.
            """;
        var html = $"""
            <p>Hello {WebUtility.HtmlEncode(customerName)},</p>
            <p>{WebUtility.HtmlEncode(intro)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">Join the live session</a>; you need no password (the link works until {WebUtility.HtmlEncode(until)}, or until the session ends).</p>
            <p>The link is personal: do not forward it. If it no longer works, ask {WebUtility.HtmlEncode(advisorName)} for a new one.</p>
            """;
        return new EmailMessage(customerEmail, customerName, $"Your live session for {contractReference}", text, html, link);
    }
}
