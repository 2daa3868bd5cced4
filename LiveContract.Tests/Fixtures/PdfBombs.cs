using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// Writes valid PDFs built to expand enormously when read ("decompression bombs"), generated at
/// test time into temporary folders and never kept in the repository. The compressed data is
/// produced by streaming repeated bytes through zlib, so writing a 1 GiB bomb never holds more than
/// a megabyte; zlib shrinks repeated bytes about 1,000 to 1, so such a file is about 1 MB.
/// </summary>
public static class PdfBombs
{
    public const long OneGiB = 1L << 30;

    /// <summary>
    /// One page whose content stream is <paramref name="inflated"/> bytes of spaces (valid content:
    /// only whitespace), Flate-compressed, under the filter name <paramref name="flateName"/> (PDF
    /// allows <c>#xx</c> escapes in names), and hexadecimal-encoded on top with
    /// <paramref name="asciiHex"/> (<c>[/ASCIIHexDecode /FlateDecode]</c>).
    /// </summary>
    public static void WriteContentBomb(string path, long inflated, bool asciiHex = false, string flateName = "FlateDecode")
    {
        using var pdf = new PdfFile(path);
        pdf.Pages([4]);
        if (asciiHex)
        {
            var compressed = new MemoryStream();
            WriteZlib(compressed, inflated, levels: 1);
            pdf.Stream(4, $"/Filter [/ASCIIHexDecode /{flateName}]", data => data.Write(Encoding.ASCII.GetBytes(Convert.ToHexString(compressed.ToArray()) + ">")));
        }
        else
        {
            pdf.Stream(4, $"/Filter /{flateName}", data => WriteZlib(data, inflated, levels: 1));
        }

        pdf.Finish();
    }

    /// <summary>One page whose Flate-compressed content stream is <paramref name="inflated"/> bytes of the drawing operators <paramref name="operators"/>, repeated.</summary>
    public static void WriteOperatorBomb(string path, long inflated, string operators)
    {
        using var pdf = new PdfFile(path);
        pdf.Pages([4]);
        pdf.Stream(4, "/Filter /FlateDecode", data => WriteZlib(data, inflated, levels: 1, pattern: Encoding.ASCII.GetBytes(operators)));
        pdf.Finish();
    }

    /// <summary>One page drawing an image that claims <paramref name="width"/> × <paramref name="height"/> RGB pixels in a few bytes of JPEG data (the browser would decode it).</summary>
    public static void WriteImageBomb(string path, long width, long height)
    {
        using var pdf = new PdfFile(path);
        pdf.Pages([4], "/XObject << /Im1 5 0 R >>");
        pdf.Stream(4, "", data => data.Write("q 100 0 0 100 0 0 cm /Im1 Do Q"u8));
        pdf.Stream(
            5,
            $"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            data => data.Write([0xFF, 0xD8, 0xFF, 0xD9]));
        pdf.Finish();
    }

    /// <summary>
    /// One page whose resources live in an object stream compressed twice (<c>[/FlateDecode
    /// /FlateDecode]</c>) that inflates to <paramref name="inflated"/> bytes, found through a
    /// cross-reference stream: PdfPig inflates it just to open the file.
    /// </summary>
    public static void WriteObjectStreamBomb(string path, long inflated)
    {
        using var pdf = new PdfFile(path);
        pdf.Pages([4], resources: null, resourcesReference: 7);
        pdf.Stream(4, "", data => data.Write("q Q"u8));
        var header = "7 0 "u8.ToArray();
        var objects = "<< /ProcSet [/PDF] >>"u8.ToArray();
        pdf.Stream(
            6,
            $"/Type /ObjStm /N 1 /First {header.Length} /Filter [/FlateDecode /FlateDecode]",
            data => WriteZlib(data, inflated, levels: 2, prefix: [.. header, .. objects]));
        pdf.FinishWithXrefStream(inObjectStream: (7, 6));
    }

    /// <summary>One page whose content is <paramref name="count"/> streams of <paramref name="inflatedEach"/> spaces each.</summary>
    public static void WriteManySmallStreams(string path, int count, long inflatedEach)
    {
        using var pdf = new PdfFile(path);
        var contents = Enumerable.Range(4, count).ToArray();
        pdf.Pages(contents);
        foreach (var number in contents)
        {
            pdf.Stream(number, "/Filter /FlateDecode", data => WriteZlib(data, inflatedEach, levels: 1));
        }

        pdf.Finish();
    }

    /// <summary>
    /// Not a bomb but a trap for a checker that follows open-ended streams: <paramref name="count"/>
    /// stream headers with an indirect <c>/Length</c>, each inside a stored (uncompressed) deflate
    /// block, separated by <paramref name="gapBlocks"/> empty stored blocks, so the deflate data of
    /// every stream runs on through all the streams after it. Read naively that is quadratic work.
    /// Only the stream headers matter, so there is no cross-reference table.
    /// </summary>
    public static void WriteOverlappingStreams(string path, int count, int gapBlocks)
    {
        using var file = File.Create(path);
        file.Write("%PDF-1.7\n"u8);
        byte[] emptyBlock = [0x00, 0x00, 0x00, 0xFF, 0xFF];
        for (var number = 1; number <= count; number++)
        {
            var header = Encoding.ASCII.GetBytes($"\n{number} 0 obj\n<< /Filter /FlateDecode /Length 99999 0 R >>\nstream\n");
            file.Write([0x00, (byte)header.Length, (byte)(header.Length >> 8), (byte)~header.Length, (byte)(~header.Length >> 8)]);
            file.Write(header);
            for (var i = 0; i < gapBlocks; i++)
            {
                file.Write(emptyBlock);
            }
        }
    }

    /// <summary>Writes <paramref name="prefix"/> and then <paramref name="inflated"/> spaces, zlib-compressed <paramref name="levels"/> times over.</summary>
    private static void WriteZlib(Stream destination, long inflated, int levels, byte[]? prefix = null, byte[]? pattern = null)
    {
        var layers = new List<Stream>();
        var target = destination;
        for (var i = 0; i < levels; i++)
        {
            target = new ZLibStream(target, CompressionLevel.SmallestSize, leaveOpen: i == 0);
            layers.Add(target);
        }

        target.Write(prefix ?? []);
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)' ');
        if (pattern is not null)
        {
            for (var i = 0; i + pattern.Length <= chunk.Length; i += pattern.Length)
            {
                pattern.CopyTo(chunk, i);
            }
        }
        for (var left = inflated; left > 0; left -= chunk.Length)
        {
            target.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }

        for (var i = layers.Count - 1; i >= 0; i--)
        {
            layers[i].Dispose();
        }
    }

    /// <summary>A PDF written object by object, with each object's offset for the cross-reference section.</summary>
    private sealed class PdfFile : IDisposable
    {
        private readonly FileStream file;
        private readonly SortedDictionary<int, long> offsets = [];
        private int nextNumber = 1;

        public PdfFile(string path)
        {
            file = File.Create(path);
            Write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        }

        /// <summary>Catalog 1, page tree 2 and the page 3 drawing <paramref name="contents"/>, on A4.</summary>
        public void Pages(int[] contents, string? resources = null, int? resourcesReference = null)
        {
            Object(1, "<< /Type /Catalog /Pages 2 0 R >>");
            Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
            var content = contents.Length == 1 ? $"{contents[0]} 0 R" : $"[{string.Join(' ', contents.Select(c => $"{c} 0 R"))}]";
            var resourceEntry = resourcesReference is { } reference ? $"{reference} 0 R" : $"<< {resources} >>";
            Object(3, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resourceEntry} /Contents {content} >>");
        }

        public void Object(int number, string body)
        {
            offsets[number] = file.Position;
            nextNumber = Math.Max(nextNumber, number + 1);
            Write($"{number} 0 obj\n{body}\nendobj\n");
        }

        /// <summary>A stream object; its <c>/Length</c> is an indirect object written right after it, once the length is known.</summary>
        public void Stream(int number, string dictionary, Action<Stream> writeData)
        {
            var lengthNumber = 1000 + number;
            offsets[number] = file.Position;
            Write($"{number} 0 obj\n<< {dictionary} /Length {lengthNumber} 0 R >>\nstream\n");
            var start = file.Position;
            writeData(file);
            file.Flush();
            var length = file.Position - start;
            Write("\nendstream\nendobj\n");
            Object(lengthNumber, length.ToString(CultureInfo.InvariantCulture));
        }

        public void Finish()
        {
            var xref = file.Position;
            var size = offsets.Keys.Max() + 1;
            var table = new StringBuilder($"xref\n0 {size}\n0000000000 65535 f \n");
            for (var number = 1; number < size; number++)
            {
                table.Append(offsets.TryGetValue(number, out var offset) ? $"{offset:D10} 00000 n \n" : "0000000000 65535 f \n");
            }

            Write(table.ToString());
            Write($"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        }

        /// <summary>Ends with a cross-reference stream (uncompressed), in which object <c>inObjectStream.Number</c> lives in object stream <c>inObjectStream.Stream</c>.</summary>
        public void FinishWithXrefStream((int Number, int Stream) inObjectStream)
        {
            var xrefNumber = Math.Max(offsets.Keys.Max(), inObjectStream.Number) + 1;
            var xref = file.Position;
            offsets[xrefNumber] = xref;
            var size = xrefNumber + 1;
            var entries = new MemoryStream();
            for (var number = 0; number < size; number++)
            {
                if (number == inObjectStream.Number)
                {
                    entries.Write([2, 0, 0, (byte)(inObjectStream.Stream >> 8), (byte)inObjectStream.Stream, 0, 0]);
                }
                else if (offsets.TryGetValue(number, out var offset))
                {
                    entries.Write([1, (byte)(offset >> 24), (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset, 0, 0]);
                }
                else
                {
                    entries.Write([0, 0, 0, 0, 0, 0xFF, 0xFF]);
                }
            }

            Write($"{xrefNumber} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R /Length {entries.Length} >>\nstream\n");
            file.Write(entries.ToArray());
            Write($"\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n");
        }

        public void Dispose() => file.Dispose();

        private void Write(string text) => file.Write(Encoding.Latin1.GetBytes(text));
    }
}
