namespace LiveContract.Core.Common;

/// <summary>
/// The one rule for text people type that others see (titles, names, labels, options, messages,
/// token names): it may hold any letter, digit, mark, symbol or space of any script, but no
/// character that cannot be shown faithfully: control characters (C0 and C1, DEL; a multi-line
/// text keeps line breaks and tabs), text-direction overrides, embeddings, isolates and marks
/// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which can make "abc‮gnp.exe" read
/// as "abcexe.png", and broken UTF-16 (a lone surrogate). Such text is refused with
/// <see cref="Sentence"/>, so the page, the API and the hub give the same answer. Uploaded file
/// names and a PDF's own form field labels, which nobody types, are cleaned instead
/// (<see cref="IsHidden"/> in <see cref="Documents.FileNames"/>, <see cref="Neutralise"/>); field
/// values have their own rule built on <see cref="HasControlOrBrokenCharacter"/>.
/// </summary>
public static class FreeText
{
    /// <summary>The refusal of text that holds a character <see cref="Check"/> does not accept, naming what was typed ("The title …").</summary>
    public static string Sentence(string what) =>
        $"The {what} contains a character that cannot be shown (a control character or a text-direction override).";

    /// <summary>
    /// Why <paramref name="text"/> cannot be kept as the <paramref name="what"/> ("title",
    /// "customer's name"), or null when it can (null and empty text can: whether it is required is
    /// the caller's rule). <paramref name="multiline"/> text may hold line breaks and tabs.
    /// </summary>
    public static OperationError? Check(string? text, string what, bool multiline = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(what);
        return text is not null && (HasControlOrBrokenCharacter(text, allowLineBreaksAndTabs: multiline) || HasDirectionFormatting(text))
            ? new OperationError(ErrorKind.Invalid, Sentence(what))
            : null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds a control character (other than line breaks and tabs
    /// when <paramref name="allowLineBreaksAndTabs"/>) or a lone UTF-16 surrogate: no database or
    /// PDF keeps those faithfully.
    /// </summary>
    public static bool HasControlOrBrokenCharacter(string text, bool allowLineBreaksAndTabs)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || (char.IsControl(c) && !(allowLineBreaksAndTabs && c is '\t' or '\n' or '\r')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="text"/> holds a character that changes the direction in which the text around it is shown.</summary>
    public static bool HasDirectionFormatting(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (IsDirectionFormatting(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="text"/> that nobody typed (a PDF's own form field names) made acceptable to
    /// <see cref="Check"/>: line breaks, tabs and other white space become single spaces; the other
    /// characters <see cref="Check"/> refuses are dropped.
    /// </summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
            }
            else if (char.IsWhiteSpace(c))
            {
                kept.Append(' ');
            }
            else if (!IsHidden(c))
            {
                kept.Append(c);
            }
        }

        return string.Join(' ', kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Whether <paramref name="c"/> is never shown as itself: a control character, a text-direction formatting character or half of a surrogate pair.</summary>
    public static bool IsHidden(char c) => char.IsControl(c) || char.IsSurrogate(c) || IsDirectionFormatting(c);

    private static bool IsDirectionFormatting(char c) =>
        c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
