namespace LiveContract.Core.Pdf;

/// <summary>
/// Random access to a seekable stream's bytes through one small window, for scanning a PDF without
/// reading it whole into memory. Every read seeks first, so windows and <see cref="Slice"/>s may be
/// used in turn on the same stream.
/// </summary>
internal sealed class PdfRawBytes(Stream stream)
{
    private const int WindowSize = 64 * 1024;

    private readonly byte[] window = new byte[WindowSize];
    private long windowStart = -1;
    private int windowLength;

    public long Length { get; } = stream.Length;

    /// <summary>The byte at <paramref name="position"/>, or -1 past the end.</summary>
    public int this[long position]
    {
        get
        {
            if (position < 0 || position >= Length)
            {
                return -1;
            }

            if (windowStart < 0 || position < windowStart || position >= windowStart + windowLength)
            {
                Load(position);
            }

            return window[position - windowStart];
        }
    }

    /// <summary>Where <paramref name="pattern"/> next occurs at or after <paramref name="from"/>, or -1.</summary>
    public long IndexOf(ReadOnlySpan<byte> pattern, long from)
    {
        for (var start = from; start < Length; start += WindowSize - pattern.Length)
        {
            Load(start);
            var found = window.AsSpan(0, windowLength).IndexOf(pattern);
            if (found >= 0)
            {
                return start + found;
            }

            if (start + windowLength >= Length)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>Whether the bytes at <paramref name="position"/> are <paramref name="text"/>.</summary>
    public bool StartsWith(long position, ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (this[position + i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A read-only stream over <paramref name="start"/> to <paramref name="end"/> (exclusive).</summary>
    public Stream Slice(long start, long end) => new SliceStream(stream, start, end);

    private void Load(long position)
    {
        stream.Position = position;
        windowLength = stream.ReadAtLeast(window, WindowSize, throwOnEndOfStream: false);
        windowStart = position;
    }

    private sealed class SliceStream(Stream stream, long start, long end) : DecodeStream
    {
        private long position = start;

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, end - position);
            if (count <= 0)
            {
                return 0;
            }

            stream.Position = position;
            var read = stream.Read(buffer[..count]);
            position += read;
            return read;
        }
    }
}
