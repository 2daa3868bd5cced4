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

    [GeneratedRegex(@"https?://\S+/Account/ResetPassword\?code=[A-Za-z0-9_\-]+")]
    private static partial Regex PasswordLinkPattern();
}
