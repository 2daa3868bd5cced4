using System.Text;

namespace LiveContract.Core.Documents;

public static class FileNames
{
    public const int MaxLength = 200;

    /// <summary>
    /// The uploaded name as people should see it: no folders, no control or bidirectional-override
    /// characters, single spaces, at most <see cref="MaxLength"/> characters (the extension kept).
    /// It is only ever displayed, never used as a path.
    /// </summary>
    public static string ForDisplay(string? uploaded)
    {
        var name = (uploaded ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F')
            {
                continue;
            }

            clean.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }

        var result = string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (result.Length == 0)
        {
            return "document.pdf";
        }

        if (result.Length > MaxLength)
        {
            var extension = Path.GetExtension(result);
            extension = extension.Length <= 10 ? extension : "";
            result = result[..(MaxLength - extension.Length)].TrimEnd() + extension;
        }

        return result;
    }
}
