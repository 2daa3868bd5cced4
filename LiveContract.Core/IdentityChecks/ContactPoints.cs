using System.Text.RegularExpressions;

namespace LiveContract.Core.IdentityChecks;

/// <summary>Phone numbers in E.164, and email addresses and phone numbers masked for showing and recording.</summary>
public static partial class ContactPoints
{
    public const int MaxPhoneLength = 16;

    /// <summary>The number in E.164 form (<c>+</c>, country code, up to 15 digits; spaces, dots, dashes and brackets dropped), or null when it is not one.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var compact = SeparatorPattern().Replace(phone.Trim(), "");
        return E164Pattern().IsMatch(compact) ? compact : null;
    }

    /// <summary><c>chloe@example.com</c> → <c>c***@example.com</c>.</summary>
    public static string MaskEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    /// <summary><c>+447700900123</c> → <c>+44******0123</c>: the country code and the last four digits.</summary>
    public static string MaskPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        if (phone.Length < 8)
        {
            return "***";
        }

        return phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex(@"[\s.\-()]")]
    private static partial Regex SeparatorPattern();
}
