using System.Text;
using LiveContract.Core.Common;

namespace LiveContract.Core.Documents;

public static class FileNames
{
    public const int MaxLength = 200;

    /// <summary>
    /// The uploaded name as people should see it: no folders, none of the characters
    /// <see cref="FreeText"/> refuses in typed text (they are dropped, not refused), single spaces, at most <see cref="MaxLength"/> characters (the extension kept).
    /// It is only ever displayed, never used as a path.
    /// </summary>
    public static string ForDisplay(string? uploaded)
    {
        var name = (uploaded ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                clean.Append(c).Append(name[++i]);
            }
            else if (!FreeText.IsHidden(c))
            {
                clean.Append(char.IsWhiteSpace(c) ? ' ' : c);
            }
        }

        // Only now, without lone surrogates, can the name be normalised.
        var result = string.Join(' ', clean.ToString().Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('.', ' ');
        if (result.Length == 0)
        {
            return "document.pdf";
        }

        if (result.Length > MaxLength)
        {
            var extension = Path.GetExtension(result);
            extension = extension.Length <= 10 ? extension : "";
            var cut = MaxLength - extension.Length;

            // Never between the two halves of a character such as an emoji.
            cut -= char.IsHighSurrogate(result[cut - 1]) ? 1 : 0;
            result = result[..cut].TrimEnd() + extension;
        }

        return result;
    }
}
