namespace LiveContract.Core.Pdf;

/// <summary>
/// Random access to a seekable stream's bytes through one small window, for scanning a PDF without
/// reading it whole into memory. Every read seeks first, so windows and <see cref="Slice"/>s may be
/// used in turn on the same stream. Bytes handed to a parser (the indexer) or a decoder (a slice)
/// count towards <see cref="Budget"/>: past it the bytes read as the end of the file, so no file
/// can make a scan go over the same bytes again and again for ever.
/// </summary>
internal sealed class PdfRawBytes(Stream stream, long budget)
{
    private const int WindowSize = 64 * 1024;

    /// <summary>What one read of an open-ended slice hands out, so a decoder that stops early has read little beyond its data.</summary>
    private const int OpenEndedRead = 1024;

    private readonly byte[] window = new byte[WindowSize];
    private long windowStart = -1;
    private int windowLength;

    public long Length { get; } = stream.Length;

    /// <summary>How many bytes parsers and decoders may be handed in all.</summary>
    public long Budget { get; } = budget;

    /// <summary>How many bytes parsers and decoders have been handed so far.</summary>
    public long Handed { get; private set; }

    public bool OverBudget => Handed > Budget;

    /// <summary>The byte at <paramref name="position"/>, or -1 past the end.</summary>
    public int this[long position]
    {
        get
        {
            if (position < 0 || position >= Length || OverBudget)
            {
                return -1;
            }

            Handed++;
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

    /// <summary>
    /// A read-only stream over <paramref name="start"/> to <paramref name="end"/> (exclusive); when
    /// <paramref name="openEnded"/>, the data's real end is unknown and reads are kept small.
    /// </summary>
    public Stream Slice(long start, long end, bool openEnded) => new SliceStream(this, start, end, openEnded ? OpenEndedRead : int.MaxValue);

    private void Load(long position)
    {
        stream.Position = position;
        windowLength = stream.ReadAtLeast(window, WindowSize, throwOnEndOfStream: false);
        windowStart = position;
    }

    private int ReadAt(long position, Span<byte> buffer)
    {
        if (OverBudget)
        {
            return 0;
        }

        stream.Position = position;
        var read = stream.Read(buffer);
        Handed += read;
        return read;
    }

    private sealed class SliceStream(PdfRawBytes bytes, long start, long end, int largestRead) : DecodeStream
    {
        private long position = start;

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(Math.Min(buffer.Length, largestRead), end - position);
            if (count <= 0)
            {
                return 0;
            }

            var read = bytes.ReadAt(position, buffer[..count]);
            position += read;
            return read;
        }
    }
}
