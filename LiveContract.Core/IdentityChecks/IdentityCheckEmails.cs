using System.Net;
using LiveContract.Core.Email;

namespace LiveContract.Core.IdentityChecks;

/// <summary>The texts that carry one-time codes.</summary>
public static class IdentityCheckEmails
{
    /// <summary>The code by email. The code is the body's point but never the message's <see cref="EmailMessage.Link"/>, so it is never logged; nor is it in the subject, which is.</summary>
    public static EmailMessage Code(string to, string customerName, string contractReference, string code, CodePurpose purpose, TimeSpan validFor)
    {
        var why = Why(purpose, contractReference);
        var minutes = (int)Math.Round(validFor.TotalMinutes);
        var text = $"""
            Hello {customerName},

            Your code {why} is:

            {code}

            It works for {minutes} minutes. If you did not ask for it, someone may have your link: do not share the code, and tell your advisor.
            """;
        var html = $"""
            <p>Hello {WebUtility.HtmlEncode(customerName)},</p>
            <p>Your code {WebUtility.HtmlEncode(why)} is:</p>
            <p style="font-size:1.6em;letter-spacing:0.2em"><strong>{code}</strong></p>
            <p>It works for {minutes} minutes. If you did not ask for it, someone may have your link: do not share the code, and tell your advisor.</p>
            """;
        return new EmailMessage(to, customerName, $"Your code for {contractReference}", text, html);
    }

    /// <summary>The code by text message.</summary>
    public static string Sms(string contractReference, string code, CodePurpose purpose, TimeSpan validFor) =>
        $"LiveContract: your code {Why(purpose, contractReference)} is {code}. It works for {(int)Math.Round(validFor.TotalMinutes)} minutes. Do not share it.";

    private static string Why(CodePurpose purpose, string contractReference) =>
        purpose == CodePurpose.Sign ? $"to sign {contractReference}" : $"to join the live session for {contractReference}";
}
