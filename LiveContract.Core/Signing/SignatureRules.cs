using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;

namespace LiveContract.Core.Signing;

/// <summary>
/// The checks of what a signer submits, as pure functions: each says why the input is refused, in
/// the caller's language (the current UI culture), or returns null. The typed name must be the
/// signer's own: the name on the contract or on the account. The drawn signature must be a PNG that
/// can be decoded (so sealing can always embed it), of a sensible size, with something drawn on it.
/// </summary>
public static class SignatureRules
{
    /// <summary>Who must sign <paramref name="contract"/>: the customer always, the advisor when it asks for a countersignature.</summary>
    public static IReadOnlyList<SignerRole> RequiredSigners(Contract contract) =>
        contract.AdvisorMustSign ? [SignerRole.Customer, SignerRole.Advisor] : [SignerRole.Customer];

    public const int MaxFullNameLength = ContractRules.MaxNameLength;

    /// <summary>The largest signature image accepted, in bytes.</summary>
    public const int MaxImageBytes = 512 * 1024;

    public const int MinImageWidth = 50;
    public const int MinImageHeight = 20;

    /// <summary>The widest or tallest signature image accepted, in pixels (a pad on a high-density screen is well within it).</summary>
    public const int MaxImageSide = 4096;

    /// <summary>The most pixels a signature image may have, so decoding one never takes much memory or time.</summary>
    public const int MaxImagePixels = 4096 * 1024;

    /// <summary>Pixels that must differ from the background (the top-left pixel) for the drawing not to count as blank.</summary>
    public const int MinInkPixels = 30;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A typed full name: required, at most <see cref="MaxFullNameLength"/> characters, every one showable (<see cref="FreeText"/>).</summary>
    public static OperationError? CheckFullName(string? fullName) =>
        string.IsNullOrWhiteSpace(fullName) || NormalizeName(fullName).Length == 0
            ? OperationError.ForCustomer(ErrorKind.Invalid, "Signature.TypeFullName")
            : fullName.Trim().Length > MaxFullNameLength
                ? OperationError.ForCustomer(ErrorKind.Invalid, "Signature.NameTooLong", MaxFullNameLength)
                : FreeText.Check(fullName, "full name") is not null
                    ? OperationError.ForCustomer(ErrorKind.Invalid, "Signature.NameUnshowable")
                    : null;

    /// <summary>
    /// Whether the signer typed their own name: the customer the name the contract was made out to
    /// (they prove who they are only by holding the link), the advisor the name on their account (so
    /// nobody types someone else's name into their signature). The same words, in any order,
    /// ignoring case, accents (é = e, ß = ss), punctuation (Jean-Luc = Jean Luc, O'Brien = OBrien)
    /// and spacing; a nickname, a missing or an extra name does not match.
    /// </summary>
    public static OperationError? CheckSignerName(string fullName, string expectedName, SignerRole role) =>
        NamesMatch(fullName, expectedName)
            ? null
            : role == SignerRole.Customer
                ? OperationError.ForCustomer(ErrorKind.Invalid, "Signature.NotNameOnContract", expectedName.Trim())
                : OperationError.ForCustomer(ErrorKind.Invalid, "Signature.NotNameOnAccount", expectedName.Trim());

    /// <summary>The customer's name against the name on the contract: <see cref="CheckSignerName"/> for <see cref="SignerRole.Customer"/>.</summary>
    public static OperationError? CheckCustomerName(string fullName, string nameOnContract) =>
        CheckSignerName(fullName, nameOnContract, SignerRole.Customer);

    /// <summary>See <see cref="CheckSignerName"/>.</summary>
    public static bool NamesMatch(string typed, string expected)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(expected);
        var a = NormalizeName(typed);
        return a.Length > 0 && a == NormalizeName(expected);
    }

    /// <summary>The name's words, lower case, without accents or punctuation, sorted and joined by single spaces.</summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKD))
        {
            if (c is '\'' or '\u2019' or '\u02BC' or '`' || CharUnicodeInfo.GetUnicodeCategory(c)
                    is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(Fold(char.ToLowerInvariant(c)));
            }
            else
            {
                builder.Append(' ');
            }
        }

        var words = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(words, StringComparer.Ordinal);
        return string.Join(' ', words);
    }

    /// <summary>
    /// The drawn signature: a PNG (checked by its signature bytes, its chunks and their checksums,
    /// and by decoding it) of at most <see cref="MaxImageBytes"/>, at least
    /// <see cref="MinImageWidth"/>×<see cref="MinImageHeight"/> pixels, 8 bits per channel (grey or
    /// colour, with or without transparency, as a browser's canvas exports it), with at least
    /// <see cref="MinInkPixels"/> pixels drawn.
    /// </summary>
    public static OperationError? CheckImage(byte[]? png)
    {
        if (png is null || png.Length == 0)
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.DrawToSign");
        }

        if (png.Length > MaxImageBytes)
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.TooManyBytes", MaxImageBytes / 1024);
        }

        if (!png.AsSpan().StartsWith(PngSignature))
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.NotPng");
        }

        if (!TryReadChunks(png, out var header, out var imageData))
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.Incomplete");
        }

        if (header.Width < MinImageWidth || header.Height < MinImageHeight)
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.TooSmall", MinImageWidth, MinImageHeight);
        }

        if (header.Width > MaxImageSide || header.Height > MaxImageSide || (long)header.Width * header.Height > MaxImagePixels)
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.TooManyPixels", MaxImageSide, MaxImagePixels / (1024 * 1024));
        }

        if (header.BitDepth != 8 || ChannelsOf(header.ColorType) is 0 || header.Interlaced)
        {
            return OperationError.ForCustomer(ErrorKind.Invalid, "Signature.WrongPngKind");
        }

        return CountInk(header, imageData) switch
        {
            null => OperationError.ForCustomer(ErrorKind.Invalid, "Signature.Incomplete"),
            < MinInkPixels => OperationError.ForCustomer(ErrorKind.Invalid, "Signature.Blank"),
            _ => null,
        };
    }

    private static string Fold(char c) => c switch
    {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' or 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => c.ToString(),
    };

    private readonly record struct ImageHeader(int Width, int Height, byte BitDepth, byte ColorType, bool Interlaced);

    /// <summary>Walks the chunks: IHDR first, CRCs right, at least one IDAT, IEND last. Returns the header and the joined IDAT data.</summary>
    private static bool TryReadChunks(byte[] png, out ImageHeader header, out byte[] imageData)
    {
        header = default;
        imageData = [];
        using var data = new MemoryStream();
        var position = PngSignature.Length;
        var first = true;
        while (position + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            if (length > png.Length - position - 12)
            {
                return false;
            }

            var typeAndData = png.AsSpan(position + 4, 4 + (int)length);
            var type = typeAndData[..4];
            var body = typeAndData[4..];
            if (Crc32(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + (int)length)))
            {
                return false;
            }

            if (first != type.SequenceEqual("IHDR"u8))
            {
                return false;
            }

            if (first)
            {
                if (length != 13)
                {
                    return false;
                }

                header = new ImageHeader(
                    BinaryPrimitives.ReadInt32BigEndian(body),
                    BinaryPrimitives.ReadInt32BigEndian(body[4..]),
                    body[8],
                    body[9],
                    body[12] != 0);
                first = false;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                data.Write(body);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                imageData = data.ToArray();
                return position + 12 == png.Length && imageData.Length > 0 && header.Width > 0 && header.Height > 0;
            }

            position += 12 + (int)length;
        }

        return false;
    }

    private static int ChannelsOf(byte colorType) => colorType switch
    {
        0 => 1,
        2 => 3,
        4 => 2,
        6 => 4,
        _ => 0,
    };

    /// <summary>Decodes the image row by row and counts the pixels unlike the top-left one (every fully transparent pixel is alike); null when it cannot be decoded.</summary>
    private static int? CountInk(ImageHeader header, byte[] imageData)
    {
        var channels = ChannelsOf(header.ColorType);
        var hasAlpha = header.ColorType is 4 or 6;
        var stride = header.Width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        Span<byte> background = stackalloc byte[channels];
        var ink = 0;
        try
        {
            using var inflated = new ZLibStream(new MemoryStream(imageData), CompressionMode.Decompress);
            for (var y = 0; y < header.Height; y++)
            {
                var filter = inflated.ReadByte();
                if (filter is < 0 or > 4)
                {
                    return null;
                }

                inflated.ReadExactly(current);
                Unfilter((byte)filter, current, previous, channels);
                if (y == 0)
                {
                    current.AsSpan(0, channels).CopyTo(background);
                }

                for (var x = 0; x < stride; x += channels)
                {
                    var pixel = current.AsSpan(x, channels);
                    var transparent = hasAlpha && pixel[^1] == 0;
                    var backgroundTransparent = hasAlpha && background[^1] == 0;
                    if (transparent != backgroundTransparent || (!transparent && !pixel.SequenceEqual(background)))
                    {
                        ink++;
                    }
                }

                (previous, current) = (current, previous);
            }

            return inflated.ReadByte() < 0 ? ink : null;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bytesPerPixel)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int up = above[i];
            int upLeft = i >= bytesPerPixel ? above[i - bytesPerPixel] : 0;
            row[i] += filter switch
            {
                1 => (byte)left,
                2 => (byte)up,
                3 => (byte)((left + up) / 2),
                4 => (byte)Paeth(left, up, upLeft),
                _ => 0,
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
