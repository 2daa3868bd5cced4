using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// PNG images for signing tests, written by a small encoder of its own (every PNG filter type, grey
/// or colour, with or without alpha), so the signature checks are tested against bytes they did
/// not produce.
/// </summary>
public static class SignaturePngs
{
    /// <summary>A transparent 300×100 pad with a dark stroke across it, as a browser's signature pad exports it.</summary>
    public static byte[] Drawn() => Create(300, 100, (x, y) => Stroke(x, y) ? [20, 20, 60, 255] : [0, 0, 0, 0]);

    /// <summary>The same pad with nothing drawn on it.</summary>
    public static byte[] Blank(int width = 300, int height = 100) => Create(width, height, (_, _) => [0, 0, 0, 0]);

    /// <summary>
    /// A non-interlaced PNG of 8 bits per channel: <paramref name="channels"/> 1 (grey), 2 (grey and
    /// alpha), 3 (RGB) or 4 (RGBA); <paramref name="pixel"/> gives each pixel's channels; each row
    /// uses the filter <paramref name="filterOf"/> names (0 to 4; by default they take turns).
    /// </summary>
    public static byte[] Create(int width, int height, Func<int, int, byte[]> pixel, int channels = 4, Func<int, byte>? filterOf = null)
    {
        filterOf ??= y => (byte)(y % 5);
        var stride = width * channels;
        var raw = new List<byte>();
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = new byte[stride];
            for (var x = 0; x < width; x++)
            {
                pixel(x, y).AsSpan(0, channels).CopyTo(row.AsSpan(x * channels));
            }

            var filter = filterOf(y);
            raw.Add(filter);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0;
                int up = previous[i];
                int upLeft = i >= channels ? previous[i - channels] : 0;
                var predicted = filter switch
                {
                    1 => left,
                    2 => up,
                    3 => (left + up) >> 1,
                    4 => Paeth(left, up, upLeft),
                    _ => 0,
                };
                raw.Add((byte)(row[i] - predicted));
            }

            previous = row;
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw.ToArray());
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        return Assemble(("IHDR", header), ("IDAT", compressed.ToArray()), ("IEND", []));
    }

    /// <summary>A PNG made of the given chunks, each with its length and a correct CRC.</summary>
    public static byte[] Assemble(params (string Type, byte[] Data)[] chunks)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in chunks)
        {
            var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var buffer = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
            png.Write(buffer);
            png.Write(typeAndData);
            BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32.HashToUInt32(typeAndData));
            png.Write(buffer);
        }

        return png.ToArray();
    }

    /// <summary>The drawn signature as base64, as the API takes it.</summary>
    public static string DrawnBase64() => Convert.ToBase64String(Drawn());

    private static bool Stroke(int x, int y) => x is > 20 and < 280 && Math.Abs(y - (50 + (int)(25 * Math.Sin(x / 20.0)))) <= 2;

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
