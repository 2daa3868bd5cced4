using System.Globalization;
using System.Text;
using LiveContract.Core.Common;

namespace LiveContract.Core.Pdf;

/// <summary>
/// Checks every stream of a PDF against <see cref="PdfExpansionLimits"/> from the raw bytes, before
/// any PDF library reads the file (PdfPig inflates object streams and cross-reference streams as
/// it opens a file, and content streams as it reads pages, each whole in memory). It finds every
/// <c>obj</c> keyword followed by a dictionary and the <c>stream</c> keyword (also inside other
/// streams' data, so nothing hides behind a wrong <c>/Length</c>), reads the dictionary's
/// <c>/Filter</c> chain and image entries, and streams the data through the decoders, counting
/// (<see cref="PdfFilterDecoding"/>). Memory stays a few hundred kilobytes whatever the file holds.
/// </summary>
internal static class PdfStreamScan
{
    /// <summary>Nesting deeper than this in a stream's dictionary is not a dictionary LiveContract reads.</summary>
    private const int MaxDepth = 64;

    private static readonly byte[] Obj = "obj"u8.ToArray();
    private static readonly byte[] StreamKeyword = "stream"u8.ToArray();
    private static readonly byte[] EndStream = "endstream"u8.ToArray();

    /// <summary>
    /// How many times its own size a file may make the scan parse and decode: a real file takes a
    /// little over once (each dictionary parsed and each stream's data decoded once); only a file
    /// made to send the scan over the same bytes again and again reaches this.
    /// </summary>
    private const int WorkPerByte = 4;

    /// <summary>Work every file may take whatever its size (small read-aheads of decoders).</summary>
    private const long BaseWork = 16 * 1024 * 1024;

    /// <summary>Null when every stream, and all of them together, stay within the limits; otherwise the refusal.</summary>
    public static OperationError? Check(Stream pdf, PdfExpansionLimits limits)
    {
        var bytes = new PdfRawBytes(pdf, (WorkPerByte * pdf.Length) + BaseWork);
        var endstreams = new EndstreamFinder(bytes);
        long total = 0;
        for (var at = bytes.IndexOf(Obj, 0); at >= 0; at = bytes.IndexOf(Obj, at + Obj.Length))
        {
            if (bytes.OverBudget)
            {
                return PdfExpansionLimits.TooComplex();
            }

            if (!IsDelimited(bytes, at) || ReadStream(bytes, endstreams, at + Obj.Length) is not { } stream)
            {
                continue;
            }

            if (stream.Filters is null)
            {
                return PdfExpansionLimits.Uncheckable();
            }

            if (stream.Pixels(limits.MaxStreamBytes) is { } image)
            {
                return limits.ImageTooLarge(image.Width, image.Height);
            }

            var limit = Math.Min(limits.MaxStreamBytes, limits.MaxDocumentBytes - total);
            var decoded = PdfFilterDecoding.CountDecoded(bytes.Slice(stream.Start, stream.End, stream.OpenEnded), stream.Filters, limit);
            if (bytes.OverBudget)
            {
                return PdfExpansionLimits.TooComplex();
            }

            if (decoded > limits.MaxStreamBytes)
            {
                return limits.StreamTooLarge();
            }

            total += decoded;
            if (total > limits.MaxDocumentBytes)
            {
                return limits.DocumentTooLarge();
            }
        }

        return null;
    }

    /// <summary>The <c>obj</c> at <paramref name="at"/> is a keyword: whitespace before it, a delimiter or whitespace after.</summary>
    private static bool IsDelimited(PdfRawBytes bytes, long at) =>
        at > 0 && IsWhitespace(bytes[at - 1]) && (bytes[at + 3] is -1 || IsWhitespace(bytes[at + 3]) || IsDelimiter(bytes[at + 3]));

    /// <summary>The stream whose dictionary starts after <paramref name="position"/>, or null when no stream follows there.</summary>
    private static RawStream? ReadStream(PdfRawBytes bytes, EndstreamFinder endstreams, long position)
    {
        var tokens = new Tokenizer(bytes, position);
        if (tokens.Next() is not { Kind: TokenKind.DictionaryStart })
        {
            return null;
        }

        var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!tokens.ReadDictionary(entries))
        {
            return null;
        }

        // The keyword may touch the data when the end of line is missing: take it however it ends.
        tokens.SkipWhitespaceAndComments();
        if (!bytes.StartsWith(tokens.Position, StreamKeyword))
        {
            return null;
        }

        var start = tokens.Position + StreamKeyword.Length;
        if (bytes[start] == '\r')
        {
            start++;
        }

        if (bytes[start] == '\n')
        {
            start++;
        }

        var filters = Filters(entries.GetValueOrDefault("Filter"));
        var end = End(bytes, endstreams, start, entries.GetValueOrDefault("Length"), filters);
        return new RawStream(start, end, end == bytes.Length, filters, entries);
    }

    /// <summary>The names of the filter chain (empty for none); null when it is named indirectly.</summary>
    private static List<string>? Filters(object? filter) => filter switch
    {
        null => [],
        string name => [name],
        List<object?> array when array.All(f => f is string) => array.Cast<string>().ToList(),
        Reference or List<object?> => null,
        _ => [],
    };

    /// <summary>
    /// Where the stream's data ends. A direct <c>/Length</c> followed by <c>endstream</c> is trusted;
    /// otherwise filtered data runs to the end of the file (every decoder stops at its own end
    /// marker, so bytes that look like <c>endstream</c> inside the data cannot cut it short), and
    /// unfiltered data runs to the next <c>endstream</c>.
    /// </summary>
    private static long End(PdfRawBytes bytes, EndstreamFinder endstreams, long start, object? length, List<string>? filters)
    {
        if (length is long declared && declared >= 0 && start + declared <= bytes.Length)
        {
            var after = start + declared;
            while (IsWhitespace(bytes[after]))
            {
                after++;
            }

            if (bytes.StartsWith(after, EndStream))
            {
                return start + declared;
            }
        }

        if (filters is { Count: > 0 })
        {
            return bytes.Length;
        }

        return endstreams.After(start);
    }

    private static bool IsWhitespace(int c) => c is ' ' or '\n' or '\r' or '\t' or '\f' or 0;

    private static bool IsDelimiter(int c) => c is '<' or '>' or '[' or ']' or '(' or ')' or '/' or '%' or '{' or '}';

    /// <summary>An indirect reference, <c>12 0 R</c>.</summary>
    internal sealed record Reference(long Number, long Generation);

    /// <summary>
    /// The next <c>endstream</c> at or after a position, remembered: streams are met in file order,
    /// so the whole file is searched once, however many streams lack a usable <c>/Length</c>.
    /// </summary>
    private sealed class EndstreamFinder(PdfRawBytes bytes)
    {
        private long found = -1;
        private bool noMore;

        /// <summary>The next <c>endstream</c> at or after <paramref name="start"/>, or the end of the file.</summary>
        public long After(long start)
        {
            if (!noMore && found < start)
            {
                found = bytes.IndexOf(EndStream, start);
                noMore = found < 0;
            }

            return noMore ? bytes.Length : found;
        }
    }

    /// <summary>One stream of the file: where its (still encoded) data lies (<paramref name="OpenEnded"/>: its real end is unknown) and what its dictionary says.</summary>
    private sealed record RawStream(long Start, long End, bool OpenEnded, List<string>? Filters, Dictionary<string, object?> Entries)
    {
        /// <summary>An image's size, when its pixels decode to more than <paramref name="limit"/> bytes; otherwise null.</summary>
        public (long Width, long Height)? Pixels(long limit)
        {
            if (Entries.GetValueOrDefault("Subtype") is not "Image"
                || Entries.GetValueOrDefault("Width") is not long width
                || Entries.GetValueOrDefault("Height") is not long height)
            {
                return null;
            }

            var bitsPerComponent = Entries.GetValueOrDefault("BitsPerComponent") is long bits and > 0 and <= 16 ? bits : 8;
            var components = Entries.GetValueOrDefault("ImageMask") is true ? 1 : Components(Entries.GetValueOrDefault("ColorSpace"));
            var decoded = Math.Ceiling((double)Math.Max(width, 0) * components * bitsPerComponent / 8) * Math.Max(height, 0);
            return decoded > limit ? (width, height) : null;
        }

        /// <summary>Colour components per pixel; four (the most) when the colour space does not say.</summary>
        private static long Components(object? colorSpace) => (colorSpace is List<object?> { Count: > 0 } array ? array[0] : colorSpace) switch
        {
            "DeviceGray" or "G" or "CalGray" or "Indexed" or "I" or "Separation" => 1,
            "DeviceRGB" or "RGB" or "CalRGB" or "Lab" => 3,
            _ => 4,
        };
    }

    private enum TokenKind
    {
        DictionaryStart,
        DictionaryEnd,
        ArrayStart,
        ArrayEnd,
        Name,
        Number,
        String,
        Keyword,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string? Text = null, long? Integer = null);

    /// <summary>PDF's lexical tokens from the raw bytes: only what a stream dictionary needs.</summary>
    private sealed class Tokenizer(PdfRawBytes bytes, long position)
    {
        /// <summary>Names and keywords longer than this are cut: no name LiveContract reads is that long.</summary>
        private const int MaxText = 127;

        public long Position { get; private set; } = position;

        /// <summary>Reads entries up to <c>&gt;&gt;</c>; values of interest are kept, the rest skipped. False when it is not a well-formed dictionary.</summary>
        public bool ReadDictionary(Dictionary<string, object?> entries)
        {
            while (true)
            {
                var key = Next();
                if (key.Kind == TokenKind.DictionaryEnd)
                {
                    return true;
                }

                if (key.Kind != TokenKind.Name)
                {
                    return false;
                }

                if (!TryReadValue(Next(), 1, out var value))
                {
                    return false;
                }

                entries[key.Text!] = value;
            }
        }

        /// <summary>
        /// A value: a name (string), integer (long), reference, boolean, array (list) of those;
        /// dictionaries and strings are read past and stand as null.
        /// </summary>
        private bool TryReadValue(Token token, int depth, out object? value)
        {
            value = null;
            if (depth > MaxDepth)
            {
                return false;
            }

            switch (token.Kind)
            {
                case TokenKind.Name:
                    value = token.Text;
                    return true;
                case TokenKind.Number:
                    value = ReferenceAfter(token) ?? (object?)token.Integer;
                    return true;
                case TokenKind.String:
                    return true;
                case TokenKind.Keyword:
                    value = token.Text switch { "true" => true, "false" => false, _ => null };
                    return token.Text is "true" or "false" or "null";
                case TokenKind.ArrayStart:
                    var items = new List<object?>();
                    for (var item = Next(); item.Kind != TokenKind.ArrayEnd; item = Next())
                    {
                        if (!TryReadValue(item, depth + 1, out var element))
                        {
                            return false;
                        }

                        if (items.Count < 32)
                        {
                            items.Add(element);
                        }
                    }

                    value = items;
                    return true;
                case TokenKind.DictionaryStart:
                    for (var key = Next(); key.Kind != TokenKind.DictionaryEnd; key = Next())
                    {
                        if (key.Kind != TokenKind.Name || !TryReadValue(Next(), depth + 1, out _))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return false;
            }
        }

        /// <summary>After an integer: <c>generation R</c> makes it a reference; otherwise nothing is consumed.</summary>
        private Reference? ReferenceAfter(Token number)
        {
            if (number.Integer is not { } objectNumber)
            {
                return null;
            }

            var saved = Position;
            if (Next() is { Kind: TokenKind.Number, Integer: { } generation } && Next() is { Kind: TokenKind.Keyword, Text: "R" })
            {
                return new Reference(objectNumber, generation);
            }

            Position = saved;
            return null;
        }

        public Token Next()
        {
            SkipWhitespaceAndComments();
            var c = bytes[Position];
            switch (c)
            {
                case -1:
                    return new Token(TokenKind.End);
                case '<' when bytes[Position + 1] == '<':
                    Position += 2;
                    return new Token(TokenKind.DictionaryStart);
                case '>' when bytes[Position + 1] == '>':
                    Position += 2;
                    return new Token(TokenKind.DictionaryEnd);
                case '[':
                    Position++;
                    return new Token(TokenKind.ArrayStart);
                case ']':
                    Position++;
                    return new Token(TokenKind.ArrayEnd);
                case '(':
                    SkipLiteralString();
                    return new Token(TokenKind.String);
                case '<':
                    SkipHexString();
                    return new Token(TokenKind.String);
                case '/':
                    Position++;
                    return new Token(TokenKind.Name, ReadName());
                case >= '0' and <= '9' or '+' or '-' or '.':
                    return ReadNumber();
                case ')' or '>' or '{' or '}':
                    Position++;
                    return new Token(TokenKind.Keyword, ((char)c).ToString());
                default:
                    return new Token(TokenKind.Keyword, ReadRegular());
            }
        }

        public void SkipWhitespaceAndComments()
        {
            while (true)
            {
                var c = bytes[Position];
                if (IsWhitespace(c))
                {
                    Position++;
                }
                else if (c == '%')
                {
                    while (bytes[Position] is not (-1 or '\n' or '\r'))
                    {
                        Position++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>A name without its slash, with <c>#xx</c> escapes decoded (so <c>/Fl#61teDecode</c> is FlateDecode).</summary>
        private string ReadName()
        {
            var name = new StringBuilder();
            for (var c = bytes[Position]; c >= 0 && !IsWhitespace(c) && !IsDelimiter(c); c = bytes[Position])
            {
                Position++;
                if (c == '#' && IsHex(bytes[Position]) && IsHex(bytes[Position + 1]))
                {
                    c = (HexValue(bytes[Position]) << 4) | HexValue(bytes[Position + 1]);
                    Position += 2;
                }

                if (name.Length < MaxText)
                {
                    name.Append((char)c);
                }
            }

            return name.ToString();
        }

        private string ReadRegular()
        {
            var text = new StringBuilder();
            for (var c = bytes[Position]; c >= 0 && !IsWhitespace(c) && !IsDelimiter(c); c = bytes[Position])
            {
                Position++;
                if (text.Length < MaxText)
                {
                    text.Append((char)c);
                }
            }

            if (text.Length == 0)
            {
                Position++;
            }

            return text.ToString();
        }

        private Token ReadNumber()
        {
            var text = ReadRegular();
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? new Token(TokenKind.Number, text, integer)
                : new Token(TokenKind.Number, text);
        }

        private void SkipLiteralString()
        {
            Position++;
            for (var depth = 1; depth > 0;)
            {
                switch (bytes[Position++])
                {
                    case -1:
                        return;
                    case '\\':
                        Position++;
                        break;
                    case '(':
                        depth++;
                        break;
                    case ')':
                        depth--;
                        break;
                }
            }
        }

        private void SkipHexString()
        {
            while (bytes[Position] is not (-1 or '>'))
            {
                Position++;
            }

            Position++;
        }

        private static bool IsHex(int c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

        private static int HexValue(int c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
