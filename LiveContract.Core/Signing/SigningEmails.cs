using System.Globalization;
using System.Net;
using LiveContract.Core.Email;

namespace LiveContract.Core.Signing;

/// <summary>The texts of the emails LiveContract sends about signing.</summary>
public static class SigningEmails
{
    /// <summary>The contract is signed by everyone: the recipient's link to the signed PDF.</summary>
    public static EmailMessage ContractSigned(
        string toEmail,
        string toName,
        string contractReference,
        string contractTitle,
        IReadOnlyList<string> signerNames,
        string link,
        DateTimeOffset linkExpiresAt)
    {
        var until = linkExpiresAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var intro = $"Your contract \"{contractTitle}\" ({contractReference}) is signed by {string.Join(" and ", signerNames)}. It is final and can no longer change.";
        var download = $"Download the signed PDF, with its certificate of completion, here (the link works until {until}):";
        var text = $"""
            Hello {toName},

            {intro}
            {download}

            {link}

            Keep the PDF: its digital seal shows that nothing in it was changed after signing.
            """;
        var html = $"""
            <p>Hello {WebUtility.HtmlEncode(toName)},</p>
            <p>{WebUtility.HtmlEncode(intro)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">Download the signed PDF</a>, with its certificate of completion (the link works until {WebUtility.HtmlEncode(until)}).</p>
            <p>Keep the PDF: its digital seal shows that nothing in it was changed after signing.</p>
            """;
        return new EmailMessage(toEmail, toName, $"Signed: {contractReference}", text, html, link);
    }
}
