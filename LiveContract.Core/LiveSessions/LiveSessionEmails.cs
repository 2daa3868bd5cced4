using System.Net;
using LiveContract.Core.Email;
using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Core.LiveSessions;

/// <summary>The texts of the emails LiveContract sends about live sessions, in the current culture (the contract's language: see <see cref="Languages.Use"/>).</summary>
public static class LiveSessionEmails
{
    /// <summary>The invitation to join a live session, carrying the customer's link; its time in <paramref name="timeZone"/> when known, else UTC.</summary>
    public static EmailMessage Invitation(
        IStringLocalizer<CustomerText> text,
        string customerEmail,
        string customerName,
        string advisorName,
        string contractReference,
        string contractTitle,
        string link,
        DateTimeOffset expiresAt,
        string? timeZone = null)
    {
        var until = CustomerTimes.Format(text, expiresAt, timeZone);
        var intro = text["Invitation.Intro", advisorName, contractTitle, contractReference].Value;
        var personal = text["Invitation.Personal", advisorName].Value;
        var plain = $"""
            {text["Email.Hello", customerName]}

            {intro}
            {text["Invitation.JoinHere", until]}

            {link}

            {personal}
            """;
        var html = $"""
            <p>{WebUtility.HtmlEncode(text["Email.Hello", customerName])}</p>
            <p>{WebUtility.HtmlEncode(intro)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">{WebUtility.HtmlEncode(text["Invitation.JoinLink"])}</a>; {WebUtility.HtmlEncode(text["Invitation.NoPassword", until])}</p>
            <p>{WebUtility.HtmlEncode(personal)}</p>
            """;
        return new EmailMessage(customerEmail, customerName, text["Invitation.Subject", contractReference].Value, plain, html, link);
    }
}
