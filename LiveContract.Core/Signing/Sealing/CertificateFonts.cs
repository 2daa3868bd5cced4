using System.Globalization;
using System.Text;
using LiveContract.Core.Hosting;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// The TrueType fonts the certificate of completion is written in: the main font (DejaVu Sans by
/// default, which covers Latin, Greek and Cyrillic) and optional fallbacks for other scripts. Each
/// character is drawn with the first font that has a glyph for it; a character no font has is
/// written as <see cref="Replacement"/>. Loaded once and shared; measuring is thread-safe.
/// </summary>
public sealed class CertificateFonts
{
    /// <summary>What a character that no font can draw becomes.</summary>
    public const char Replacement = '?';

    private readonly IReadOnlyList<FontFile> fonts;

    private CertificateFonts(IReadOnlyList<FontFile> fonts) => this.fonts = fonts;

    /// <summary>
    /// Reads <see cref="SealingOptions.FontPath"/> and <see cref="SealingOptions.FallbackFontPaths"/>;
    /// throws <see cref="ConfigurationErrorException"/> naming the setting when a file is missing or
    /// is not a TrueType font that can be embedded.
    /// </summary>
    public static CertificateFonts Load(SealingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new List<(string Setting, string Path)> { ($"{SealingOptions.Section}:FontPath", options.FontPath) };
        settings.AddRange(options.FallbackFontPaths.Select((path, i) => ($"{SealingOptions.Section}:FallbackFontPaths:{i}", path)));
        var files = new List<(string, byte[])>();
        foreach (var (setting, path) in settings)
        {
            try
            {
                files.Add((path, File.ReadAllBytes(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new ConfigurationErrorException(
                    $"{setting} is '{path}', but that font cannot be read ({e.Message}). Install DejaVu Sans (Debian: apt-get install fonts-dejavu-core) "
                    + $"or set {setting} to a TrueType (.ttf) font: sealed PDFs are written with it.");
            }
        }

        try
        {
            return Load(files);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationErrorException($"{e.Message} Set {SealingOptions.Section}:FontPath (and FallbackFontPaths) to TrueType (.ttf) fonts.");
        }
    }

    /// <summary>
    /// Reads and checks the font files, main font first. Throws <see cref="InvalidDataException"/>
    /// with a sentence naming the file when one is not a TrueType font PdfPig can embed.
    /// </summary>
    public static CertificateFonts Load(IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("At least one font is needed.", nameof(files));
        }

        var loaded = new List<FontFile>();
        using var probe = new PdfDocumentBuilder();
        foreach (var (name, bytes) in files)
        {
            if (!probe.CanUseTrueTypeFont(bytes, out var reasons))
            {
                throw new InvalidDataException($"'{name}' is not a TrueType font that can be embedded in a PDF: {string.Join(" ", reasons)}");
            }

            var font = TrueTypeFontParser.Parse(new TrueTypeDataBytes(bytes));
            if (!Draws(font, Replacement) || !Draws(font, ' '))
            {
                throw new InvalidDataException($"'{name}' has no glyph for a space or '{Replacement}', so it cannot be used for the certificate.");
            }

            loaded.Add(new FontFile(bytes, font));
        }

        return new CertificateFonts(loaded);
    }

    /// <summary>
    /// <paramref name="text"/> made drawable: NFC-normalised, control characters and line breaks as
    /// spaces, every character no font has (and any character outside the Basic Multilingual
    /// Plane, which PdfPig's simple fonts cannot encode) as <see cref="Replacement"/>.
    /// </summary>
    public string Drawable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else if (rune.IsBmp && FontFor((char)rune.Value) >= 0)
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                builder.Append(Replacement);
            }
        }

        return builder.ToString();
    }

    /// <summary>The width of drawable <paramref name="text"/> at <paramref name="size"/> points.</summary>
    public double Width(string text, double size)
    {
        var width = 0.0;
        foreach (var character in text)
        {
            var font = fonts[Math.Max(0, FontFor(character))].Font;
            font.TryGetAdvanceWidth(character, out var advance);
            width += advance / font.GetUnitsPerEm();
        }

        return width * size;
    }

    /// <summary>Drawable text cut into runs that each use one font (index into the fonts, main font 0).</summary>
    public IEnumerable<(int Font, string Text)> Runs(string text)
    {
        var start = 0;
        var current = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var font = Math.Max(0, FontFor(text[i]));
            if (font != current && i > start)
            {
                yield return (current, text[start..i]);
                start = i;
            }

            current = font;
        }

        if (start < text.Length)
        {
            yield return (current, text[start..]);
        }
    }

    /// <summary>
    /// <paramref name="text"/> made drawable and cut into lines no wider than <paramref name="width"/>
    /// at <paramref name="size"/> points: greedy word wrap, and a word wider than the line (a hash, a
    /// user agent) is cut between characters. Always at least one line.
    /// </summary>
    public List<string> Wrap(string text, double width, double size)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in Drawable(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (Width(candidate, size) <= width)
            {
                line = candidate;
                continue;
            }

            if (line.Length > 0)
            {
                lines.Add(line);
            }

            line = word;
            while (Width(line, size) > width)
            {
                var fits = 1;
                while (fits < line.Length && Width(line[..(fits + 1)], size) <= width)
                {
                    fits++;
                }

                lines.Add(line[..fits]);
                line = line[fits..];
            }
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Starts the fonts of one PDF: see <see cref="DocumentFonts"/>.</summary>
    public DocumentFonts For(PdfDocumentBuilder builder) => new(this, builder);

    /// <summary>The first font with a glyph for <paramref name="character"/>, or -1.</summary>
    private int FontFor(char character)
    {
        if (character == ' ')
        {
            return 0;
        }

        for (var i = 0; i < fonts.Count; i++)
        {
            if (Draws(fonts[i].Font, character))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Draws(TrueTypeFont font, char character) =>
        font.WindowsUnicodeCMap?.CharacterCodeToGlyphIndex(character) is > 0
        && font.TryGetBoundingBox(character, out _)
        && font.TryGetAdvanceWidth(character, out _);

    private sealed record FontFile(byte[] Bytes, TrueTypeFont Font);

    /// <summary>
    /// The fonts added to one PDF. A simple TrueType font in PdfPig encodes at most 255 different
    /// characters, so when a run would need more, another copy of the font is added (each copy is
    /// embedded as a subset of just its characters).
    /// </summary>
    public sealed class DocumentFonts(CertificateFonts fonts, PdfDocumentBuilder builder)
    {
        private const int MaxCharacters = 255;

        private readonly Dictionary<int, List<(PdfDocumentBuilder.AddedFont Font, HashSet<char> Characters)>> added = [];

        /// <summary>
        /// Draws drawable <paramref name="text"/> (see <see cref="Drawable"/>) on <paramref name="page"/>
        /// with its baseline starting at <paramref name="position"/>, each run of one script in its font.
        /// </summary>
        public void Draw(PdfPageBuilder page, string text, double size, PdfPoint position)
        {
            ArgumentNullException.ThrowIfNull(page);
            var x = position.X;
            foreach (var (font, run) in fonts.Runs(text))
            {
                page.AddText(run, size, new PdfPoint(x, position.Y), For(font, run));
                x += fonts.Width(run, size);
            }
        }

        /// <summary>A font of index <paramref name="font"/> added to the PDF that can encode every character of <paramref name="run"/>.</summary>
        public PdfDocumentBuilder.AddedFont For(int font, string run)
        {
            if (!added.TryGetValue(font, out var copies))
            {
                copies = [];
                added[font] = copies;
            }

            var needed = run.ToHashSet();
            if (needed.Count > MaxCharacters)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A run of text may use at most {MaxCharacters} different characters."), nameof(run));
            }

            foreach (var (addedFont, characters) in copies)
            {
                if (characters.Count + needed.Count(c => !characters.Contains(c)) <= MaxCharacters)
                {
                    characters.UnionWith(needed);
                    return addedFont;
                }
            }

            var copy = builder.AddTrueTypeFont(fonts.fonts[font].Bytes);
            copies.Add((copy, needed));
            return copy;
        }
    }
}
