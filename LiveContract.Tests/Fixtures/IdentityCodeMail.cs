using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace LiveContract.Tests.Fixtures;

/// <summary>Reads one-time codes from the messages LiveContract sent, and the forms of the join page that ask for them.</summary>
public static partial class IdentityCodeMail
{
    /// <summary>The settings that turn the identity check on (the test installation turns it off for every other test).</summary>
    public static readonly IReadOnlyDictionary<string, string?> On = new Dictionary<string, string?> { ["IdentityCheck:Enabled"] = "true" };

    /// <summary>Waits until <paramref name="count"/> code messages reached <paramref name="to"/> and returns the code of the newest.</summary>
    public static async Task<string> WaitForCodeAsync(string directory, string to, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var codes = CodeMessages(directory, to);
            if (codes.Count >= count)
            {
                return CodeIn(codes[^1].TextBody ?? "");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} code messages to {to} did not arrive in {directory} (found {codes.Count}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The messages carrying codes to <paramref name="to"/>, oldest first.</summary>
    public static List<MimeMessage> CodeMessages(string directory, string to)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(f)) is "new" or "cur")
            .OrderBy(File.GetLastWriteTimeUtc)
            .ThenBy(f => f, StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f))
            .Where(m => (m.Subject ?? "").StartsWith("Your code for", StringComparison.Ordinal)
                && m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>The six-digit code alone on its line in a code message or text.</summary>
    public static string CodeIn(string text) =>
        CodeLine().Match(text) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"No code in: {text}");

    /// <summary>A different six-digit code than <paramref name="code"/>.</summary>
    public static string WrongCode(string code) => code == "000000" ? "111111" : "000000";

    /// <summary>The hidden fields of the form with the handler <paramref name="handler"/> in <paramref name="page"/>, as a browser would post them.</summary>
    public static Dictionary<string, string> FormFields(string page, string handler)
    {
        var form = Form().Matches(page).Select(m => m.Value).FirstOrDefault(f => f.Contains($"name=\"_handler\" value=\"{handler}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The page has no form '{handler}':\n{page}");
        return HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    [GeneratedRegex(@"^\s*(\d{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    [GeneratedRegex("<form.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
