using System.Text.RegularExpressions;
using MimeKit;

namespace LiveContract.Tests.Fixtures;

/// <summary>Reads the messages LiveContract sent: a pickup folder (.eml files) or the SMTP sink's Maildir.</summary>
public static partial class Mailbox
{
    public static async Task<MimeMessage> WaitForMessageAsync(string directory, string to, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            foreach (var message in Read(directory))
            {
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                {
                    return message;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message to {to} arrived in {directory}.");
            }

            await Task.Delay(100);
        }
    }

    public static IEnumerable<MimeMessage> Read(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(f)) is "new" or "cur"))
        {
            yield return MimeMessage.Load(file);
        }
    }

    /// <summary>The set-password link in a message's text body.</summary>
    public static string PasswordLink(MimeMessage message) =>
        PasswordLinkPattern().Match(message.TextBody ?? "") is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"No password link in '{message.Subject}'.");

    /// <summary>The customer's live-session link (<c>/join/lcs_…</c>) in a message's text body.</summary>
    public static string JoinLink(MimeMessage message) =>
        JoinLinkPattern().Match(message.TextBody ?? "") is { Success: true } match
            ? match.Value
            : throw new InvalidOperationException($"No session link in '{message.Subject}'.");

    /// <summary>The signed-PDF link (<c>/signed/…</c>) in a message's text body, or null.</summary>
    public static string? SignedLink(MimeMessage message) =>
        SignedLinkPattern().Match(message.TextBody ?? "") is { Success: true } match ? match.Value : null;

    /// <summary>The signed-PDF link of the first message in <paramref name="directory"/> that has one, once it arrives.</summary>
    public static async Task<string> WaitForSignedLinkAsync(string directory, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (Read(directory).Select(SignedLink).FirstOrDefault(l => l is not null) is { } link)
            {
                return link;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message with a link to the signed PDF arrived in {directory}.");
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"https?://\S+/Account/ResetPassword\?code=[A-Za-z0-9_\-]+")]
    private static partial Regex PasswordLinkPattern();

    [GeneratedRegex(@"https?://\S+/join/lcs_[A-Za-z0-9_\-]+")]
    private static partial Regex JoinLinkPattern();

    [GeneratedRegex(@"https?://\S+/signed/[A-Za-z0-9_\-]+")]
    private static partial Regex SignedLinkPattern();
}
