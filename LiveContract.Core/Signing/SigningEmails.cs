using System.Net;
using LiveContract.Core.Email;
using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Core.Signing;

/// <summary>The texts of the emails LiveContract sends about signing, in the current culture (see <see cref="Languages.Use"/>).</summary>
public static class SigningEmails
{
    /// <summary>The contract is signed by everyone: the recipient's link to the signed PDF; its time in <paramref name="timeZone"/> when known, else UTC.</summary>
    public static EmailMessage ContractSigned(
        IStringLocalizer<CustomerText> text,
        string toEmail,
        string toName,
        string contractReference,
        string contractTitle,
        IReadOnlyList<string> signerNames,
        string link,
        DateTimeOffset linkExpiresAt,
        string? timeZone = null)
    {
        var until = CustomerTimes.Format(text, linkExpiresAt, timeZone);
        var intro = text["Signed.Intro", contractTitle, contractReference, string.Join(text["Signed.And"], signerNames)].Value;
        var keep = text["Signed.Keep"].Value;
        var plain = $"""
            {text["Email.Hello", toName]}

            {intro}
            {text["Signed.DownloadHere", until]}

            {link}

            {keep}
            """;
        var html = $"""
            <p>{WebUtility.HtmlEncode(text["Email.Hello", toName])}</p>
            <p>{WebUtility.HtmlEncode(intro)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">{WebUtility.HtmlEncode(text["Signed.DownloadLink"])}</a>{WebUtility.HtmlEncode(text["Signed.WithCertificate", until])}</p>
            <p>{WebUtility.HtmlEncode(keep)}</p>
            """;
        return new EmailMessage(toEmail, toName, text["Signed.Subject", contractReference].Value, plain, html, link);
    }
}
