using System.Net;
using LiveContract.Core.Email;
using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Core.IdentityChecks;

/// <summary>The texts that carry one-time codes, in the current culture (the contract's language: see <see cref="Languages.Use"/>).</summary>
public static class IdentityCheckEmails
{
    /// <summary>The code by email. The code is the body's point but never the message's <see cref="EmailMessage.Link"/>, so it is never logged; nor is it in the subject, which is.</summary>
    public static EmailMessage Code(IStringLocalizer<CustomerText> text, string to, string customerName, string contractReference, string code, CodePurpose purpose, TimeSpan validFor)
    {
        var why = text[purpose == CodePurpose.Sign ? "CodeEmail.SignIs" : "CodeEmail.JoinIs", contractReference].Value;
        var works = text["CodeEmail.Works", (int)Math.Round(validFor.TotalMinutes)].Value;
        var plain = $"""
            {text["Email.Hello", customerName]}

            {why}

            {code}

            {works}
            """;
        var html = $"""
            <p>{WebUtility.HtmlEncode(text["Email.Hello", customerName])}</p>
            <p>{WebUtility.HtmlEncode(why)}</p>
            <p style="font-size:1.6em;letter-spacing:0.2em"><strong>{code}</strong></p>
            <p>{WebUtility.HtmlEncode(works)}</p>
            """;
        return new EmailMessage(to, customerName, text["CodeEmail.Subject", contractReference].Value, plain, html);
    }

    /// <summary>The code by text message.</summary>
    public static string Sms(IStringLocalizer<CustomerText> text, string contractReference, string code, CodePurpose purpose, TimeSpan validFor) =>
        text[purpose == CodePurpose.Sign ? "CodeSms.Sign" : "CodeSms.Join", contractReference, code, (int)Math.Round(validFor.TotalMinutes)].Value;
}
