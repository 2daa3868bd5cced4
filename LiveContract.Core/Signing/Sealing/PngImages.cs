using System.Buffers.Binary;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>The size of a drawn signature (PNG) when it is placed in a box of a sealed PDF.</summary>
internal static class PngImages
{
    /// <summary>
    /// The image's size within <paramref name="maxWidth"/> × <paramref name="maxHeight"/> points,
    /// as large as fits while keeping its proportions; (0, 0) when it is not a PNG (its header is
    /// read, not the pixels).
    /// </summary>
    public static (double Width, double Height) Fit(byte[] png, double maxWidth, double maxHeight)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature) || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return (0, 0);
        }

        var pixelsWide = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4));
        var pixelsHigh = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4));
        if (pixelsWide is 0 or > 10_000 || pixelsHigh is 0 or > 10_000 || maxWidth <= 0 || maxHeight <= 0)
        {
            return (0, 0);
        }

        var scale = Math.Min(maxWidth / pixelsWide, maxHeight / pixelsHigh);
        return (pixelsWide * scale, pixelsHigh * scale);
    }
}
