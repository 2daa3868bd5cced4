using System.IO.Compression;
using LiveContract.Core.Common;

namespace LiveContract.Core.Pdf;

/// <summary>
/// Counts how many bytes a PDF stream's filter chain produces, by streaming the data through the
/// decoders into a small buffer and stopping once a limit is passed: a stream that inflates to a
/// gigabyte costs a few tens of kilobytes of memory and stops at the limit. Image codecs (DCT, JPX,
/// CCITT, JBIG2) end the chain: their output is judged by the image's dimensions instead.
/// </summary>
internal static class PdfFilterDecoding
{
    private const int BufferSize = 16 * 1024;

    /// <summary>The filters that decode pixels: the server never runs them, a viewer does.</summary>
    internal static bool IsImageCodec(string filter) => filter is "DCTDecode" or "DCT" or "JPXDecode" or "CCITTFaxDecode" or "CCF" or "JBIG2Decode";

    /// <summary>
    /// The bytes <paramref name="filters"/> (in order) make of <paramref name="raw"/>, up to the first
    /// image codec; stops reading once the count passes <paramref name="limit"/> and returns a count
    /// above it then. Data that does not decode counts up to where it broke: the reader refuses it later.
    /// </summary>
    internal static long CountDecoded(Stream raw, IReadOnlyList<string> filters, long limit) =>
        CountDecoded(raw, filters, limit, countTokens: false).Bytes;

    /// <summary>
    /// As <see cref="CountDecoded(Stream, IReadOnlyList{string}, long)"/>, and with
    /// <paramref name="countTokens"/> also how many tokens (numbers, names, operators, delimiters)
    /// the decoded content holds, roughly and never fewer: a word inside a string counts as one too.
    /// </summary>
    internal static (long Bytes, long Tokens) CountDecoded(Stream raw, IReadOnlyList<string> filters, long limit, bool countTokens)
    {
        var decoded = raw;
        foreach (var filter in filters)
        {
            if (IsImageCodec(filter))
            {
                break;
            }

            decoded = Decoder(filter, decoded);
        }

        var buffer = new byte[BufferSize];
        long total = 0;
        long tokens = 0;
        var inToken = false;
        try
        {
            int read;
            while (total <= limit && (read = decoded.Read(buffer)) > 0)
            {
                total += read;
                if (countTokens)
                {
                    tokens += CountTokens(buffer.AsSpan(0, read), ref inToken);
                }
            }
        }
        catch (InvalidDataException)
        {
            // Broken data: counted as far as it decodes.
        }

        return (total, tokens);
    }

    /// <summary>Token starts in <paramref name="chunk"/>: a delimiter, or a regular byte after whitespace or a delimiter.</summary>
    private static long CountTokens(ReadOnlySpan<byte> chunk, ref bool inToken)
    {
        long tokens = 0;
        foreach (var b in chunk)
        {
            if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0)
            {
                inToken = false;
            }
            else if (b is (byte)'[' or (byte)']' or (byte)'<' or (byte)'>' or (byte)'(' or (byte)')' or (byte)'/' or (byte)'{' or (byte)'}')
            {
                tokens++;
                inToken = b == (byte)'/';
            }
            else if (!inToken)
            {
                tokens++;
                inToken = true;
            }
        }

        return tokens;
    }

    private static Stream Decoder(string filter, Stream input) => filter switch
    {
        "FlateDecode" or "Fl" => Inflate(input),
        "LZWDecode" or "LZW" => new LzwDecodeStream(input),
        "RunLengthDecode" or "RL" => new RunLengthDecodeStream(input),
        "ASCIIHexDecode" or "AHx" => new AsciiHexDecodeStream(input),
        "ASCII85Decode" or "A85" => new Ascii85DecodeStream(input),

        // Crypt (refused elsewhere as encryption) and names no reader knows: the bytes count as they are.
        _ => input,
    };

    /// <summary>PDF's Flate is zlib; like PdfPig, skip the two-byte header and inflate without checking the checksum.</summary>
    private static Stream Inflate(Stream input)
    {
        var header = new byte[2];
        var read = input.ReadAtLeast(header, 2, throwOnEndOfStream: false);
        var prefix = read == 2 && (header[0] & 0x0F) == 8 && ((header[0] << 8) | header[1]) % 31 == 0
            ? Stream.Null
            : new MemoryStream(header, 0, read, writable: false);
        return new DeflateStream(new ConcatenatedStream(prefix, input), CompressionMode.Decompress);
    }

    /// <summary>Reads one stream to its end, then another.</summary>
    private sealed class ConcatenatedStream(Stream first, Stream second) : DecodeStream
    {
        private bool firstDone;

        public override int Read(Span<byte> buffer)
        {
            if (!firstDone)
            {
                var read = first.Read(buffer);
                if (read > 0)
                {
                    return read;
                }

                firstDone = true;
            }

            return second.Read(buffer);
        }
    }
}

/// <summary>A read-only, forward-only stream that subclasses fill in <see cref="Read(Span{byte})"/>.</summary>
internal abstract class DecodeStream : ReadOnlyStream
{
    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
}

/// <summary>Hands out the bytes of <see cref="Stream"/> one at a time, through a small buffer.</summary>
internal sealed class ByteReader(Stream input)
{
    private readonly byte[] buffer = new byte[8192];
    private int position;
    private int filled;

    /// <summary>The next byte, or -1 at the end.</summary>
    public int Next()
    {
        if (position == filled)
        {
            filled = input.Read(buffer);
            position = 0;
            if (filled == 0)
            {
                return -1;
            }
        }

        return buffer[position++];
    }
}

/// <summary>Decodes ASCIIHexDecode: pairs of hexadecimal digits up to <c>&gt;</c>; whitespace is skipped, anything else ends the data.</summary>
internal sealed class AsciiHexDecodeStream(Stream input) : DecodeStream
{
    private readonly ByteReader reader = new(input);
    private bool done;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        var high = -1;
        while (written < buffer.Length && !done)
        {
            var c = reader.Next();
            if (c is ' ' or '\n' or '\r' or '\t' or '\f' or 0)
            {
                continue;
            }

            var digit = HexValue(c);
            if (digit < 0)
            {
                done = true;
                if (high >= 0)
                {
                    buffer[written++] = (byte)(high << 4);
                }

                break;
            }

            if (high < 0)
            {
                high = digit;
            }
            else
            {
                buffer[written++] = (byte)((high << 4) | digit);
                high = -1;
            }
        }

        return written;
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}

/// <summary>Decodes ASCII85Decode: groups of five characters <c>!</c>…<c>u</c> make four bytes, <c>z</c> four zeros, <c>~&gt;</c> ends.</summary>
internal sealed class Ascii85DecodeStream(Stream input) : DecodeStream
{
    private readonly ByteReader reader = new(input);
    private readonly byte[] pending = new byte[4];
    private int pendingCount;
    private int pendingPosition;
    private bool done;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (pendingPosition < pendingCount)
            {
                buffer[written++] = pending[pendingPosition++];
                continue;
            }

            if (done || !NextGroup())
            {
                break;
            }
        }

        return written;
    }

    private bool NextGroup()
    {
        uint value = 0;
        var digits = 0;
        while (digits < 5)
        {
            var c = reader.Next();
            if (c is ' ' or '\n' or '\r' or '\t' or '\f' or 0)
            {
                continue;
            }

            if (c == 'z' && digits == 0)
            {
                Array.Clear(pending);
                return Pending(4);
            }

            if (c is < '!' or > 'u')
            {
                done = true;
                break;
            }

            value = unchecked((value * 85) + (uint)(c - '!'));
            digits++;
        }

        if (digits < 2)
        {
            done = true;
            return false;
        }

        for (var i = digits; i < 5; i++)
        {
            value = unchecked((value * 85) + 84);
        }

        for (var i = 3; i >= 0; i--)
        {
            pending[i] = (byte)value;
            value >>= 8;
        }

        return Pending(digits - 1);
    }

    private bool Pending(int count)
    {
        pendingCount = count;
        pendingPosition = 0;
        return true;
    }
}

/// <summary>Decodes RunLengthDecode: a length byte below 128 copies that many plus one bytes, above 128 repeats the next byte 257 minus it times, 128 ends.</summary>
internal sealed class RunLengthDecodeStream(Stream input) : DecodeStream
{
    private readonly ByteReader reader = new(input);
    private int literal;
    private int repeat;
    private int repeated;
    private bool done;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (repeat > 0)
            {
                buffer[written++] = (byte)repeated;
                repeat--;
                continue;
            }

            if (literal > 0)
            {
                var c = reader.Next();
                if (c < 0)
                {
                    done = true;
                    literal = 0;
                    break;
                }

                buffer[written++] = (byte)c;
                literal--;
                continue;
            }

            if (done)
            {
                break;
            }

            var length = reader.Next();
            if (length is < 0 or 128)
            {
                done = true;
            }
            else if (length < 128)
            {
                literal = length + 1;
            }
            else
            {
                repeated = reader.Next();
                if (repeated < 0)
                {
                    done = true;
                }
                else
                {
                    repeat = 257 - length;
                }
            }
        }

        return written;
    }
}

/// <summary>Decodes LZWDecode (9 to 12 bit codes, most significant bit first, 256 clears the table, 257 ends; the usual early change).</summary>
internal sealed class LzwDecodeStream(Stream input) : DecodeStream
{
    private const int Clear = 256;
    private const int End = 257;
    private const int TableSize = 4096;

    private readonly ByteReader reader = new(input);
    private readonly int[] prefix = new int[TableSize];
    private readonly byte[] suffix = new byte[TableSize];
    private readonly int[] lengths = new int[TableSize];
    private readonly byte[] pending = new byte[TableSize];
    private int pendingStart;
    private int pendingEnd;
    private int next = 258;
    private int codeLength = 9;
    private int previous = -1;
    private int bits;
    private int bitCount;
    private bool done;

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (pendingStart < pendingEnd)
            {
                var count = Math.Min(buffer.Length - written, pendingEnd - pendingStart);
                pending.AsSpan(pendingStart, count).CopyTo(buffer[written..]);
                written += count;
                pendingStart += count;
                continue;
            }

            if (done || !NextCode())
            {
                break;
            }
        }

        return written;
    }

    private bool NextCode()
    {
        while (bitCount < codeLength)
        {
            var c = reader.Next();
            if (c < 0)
            {
                done = true;
                return false;
            }

            bits = (bits << 8) | c;
            bitCount += 8;
        }

        var code = (bits >> (bitCount - codeLength)) & ((1 << codeLength) - 1);
        bitCount -= codeLength;
        if (code == Clear)
        {
            next = 258;
            codeLength = 9;
            previous = -1;
            return true;
        }

        if (code == End || code > next || (code == next && previous < 0))
        {
            done = true;
            return false;
        }

        if (previous >= 0 && next < TableSize)
        {
            prefix[next] = previous;
            lengths[next] = CodeLength(previous) + 1;
            suffix[next] = FirstByte(code == next ? previous : code);
            next++;
            if (next + 1 >= 1 << codeLength && codeLength < 12)
            {
                codeLength++;
            }
        }

        var length = CodeLength(code);
        var at = code;
        for (var i = length - 1; i >= 0; i--)
        {
            pending[i] = at < 256 ? (byte)at : suffix[at];
            at = at < 256 ? -1 : prefix[at];
        }

        pendingStart = 0;
        pendingEnd = length;
        previous = code;
        return true;
    }

    private int CodeLength(int code) => code < 256 ? 1 : lengths[code];

    private byte FirstByte(int code)
    {
        while (code >= 256)
        {
            code = prefix[code];
        }

        return (byte)code;
    }
}
