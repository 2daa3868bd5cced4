using System.Buffers.Binary;
using LiveContract.Core.Common;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit;

public sealed class SigningRulesTests
{
    [Theory]
    [InlineData("Chloé Dupont", "Chloé Dupont")]
    [InlineData("chloe dupont", "Chloé Dupont")]
    [InlineData("  CHLOÉ   DUPONT ", "Chloé Dupont")]
    [InlineData("Dupont, Chloé", "Chloé Dupont")]
    [InlineData("Chloe\u0301 Dupont", "Chloé Dupont")]
    [InlineData("Jean Luc Picard", "Jean-Luc Picard")]
    [InlineData("Sean OBrien", "Seán O'Brien")]
    [InlineData("Sean O’Brien", "Seán O'Brien")]
    [InlineData("Jürgen Strauss", "Jürgen Strauß")]
    [InlineData("Soren Lokke", "Søren Løkke")]
    [InlineData("Lech Walesa", "Lech Wałęsa")]
    public void The_customer_may_type_their_name_with_other_case_accents_punctuation_spacing_or_order(string typed, string onContract)
    {
        Assert.True(SignatureRules.NamesMatch(typed, onContract));
        Assert.Null(SignatureRules.CheckSignerName(typed, onContract, SignerRole.Customer));
    }

    [Theory]
    [InlineData("Chloé", "Chloé Dupont")]
    [InlineData("Chloé Marie Dupont", "Chloé Dupont")]
    [InlineData("Victor Advisor", "Chloé Dupont")]
    [InlineData("Chloé Dupond", "Chloé Dupont")]
    [InlineData("ChloéDupont", "Chloé Dupont")]
    [InlineData("...", "Chloé Dupont")]
    public void Another_name_a_part_of_the_name_or_an_extra_name_does_not_match(string typed, string onContract)
    {
        var refused = SignatureRules.CheckSignerName(typed, onContract, SignerRole.Customer);

        Assert.Equal(
            new OperationError(ErrorKind.Invalid, "The name you typed does not match the name on this contract (Chloé Dupont). Type your full name as it is written there; if it is wrong, ask your advisor."),
            refused);
    }

    [Fact]
    public void The_advisor_types_the_name_on_their_account_never_the_customers()
    {
        var refused = SignatureRules.CheckSignerName("Chloé Dupont", "Victor Advisor", SignerRole.Advisor);

        Assert.Null(SignatureRules.CheckSignerName("victor advisor", "Victor Advisor", SignerRole.Advisor));
        Assert.Equal(
            new OperationError(ErrorKind.Invalid, "The name you typed does not match the name on your account (Victor Advisor). Type your own full name as it is written there."),
            refused);
    }

    [Fact]
    public void A_full_name_is_required_and_at_most_200_characters()
    {
        Assert.Equal("Type your full name to sign.", SignatureRules.CheckFullName(null)?.Message);
        Assert.Equal("Type your full name to sign.", SignatureRules.CheckFullName("   ")?.Message);
        Assert.Equal("Type your full name to sign.", SignatureRules.CheckFullName("-- ..")?.Message);
        Assert.Equal("Your full name can have at most 200 characters.", SignatureRules.CheckFullName(new string('a', 201))?.Message);
        Assert.Equal(ErrorKind.Invalid, SignatureRules.CheckFullName("")!.Kind);
        Assert.Null(SignatureRules.CheckFullName(new string('a', 200)));
        Assert.Null(SignatureRules.CheckFullName("  Chloé Dupont  "));
    }

    [Fact]
    public void A_drawn_signature_passes()
    {
        Assert.Null(SignatureRules.CheckImage(SignaturePngs.Drawn()));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(4, 4)]
    [InlineData(3, 0)]
    public void Every_channel_layout_and_filter_a_browser_may_write_is_decoded(int channels, int filter)
    {
        var png = SignaturePngs.Create(120, 40, (x, y) => x > 10 && x < 100 && y == 20 ? [0, 0, 0, 255] : [255, 255, 255, 255], channels, _ => (byte)filter);

        Assert.Null(SignatureRules.CheckImage(png));
    }

    [Fact]
    public void A_blank_pad_is_refused_whether_transparent_or_one_colour()
    {
        var white = SignaturePngs.Create(300, 100, (_, _) => [255, 255, 255, 255]);
        var transparentWithStrayColours = SignaturePngs.Create(300, 100, (x, y) => [(byte)x, (byte)y, 9, 0]);

        Assert.Equal("The signature is blank; draw your signature to sign.", SignatureRules.CheckImage(SignaturePngs.Blank())?.Message);
        Assert.Equal("The signature is blank; draw your signature to sign.", SignatureRules.CheckImage(white)?.Message);
        Assert.Equal("The signature is blank; draw your signature to sign.", SignatureRules.CheckImage(transparentWithStrayColours)?.Message);
    }

    [Fact]
    public void A_single_dot_is_blank_but_a_short_stroke_is_not()
    {
        var dot = SignaturePngs.Create(300, 100, (x, y) => x is 150 or 151 && y is 50 or 51 ? [0, 0, 0, 255] : [0, 0, 0, 0]);
        var stroke = SignaturePngs.Create(300, 100, (x, y) => x is >= 100 and < 140 && y == 50 ? [0, 0, 0, 255] : [0, 0, 0, 0]);

        Assert.NotNull(SignatureRules.CheckImage(dot));
        Assert.Null(SignatureRules.CheckImage(stroke));
    }

    [Theory]
    [InlineData(49, 100)]
    [InlineData(300, 19)]
    [InlineData(1, 1)]
    public void A_pad_smaller_than_50_by_20_pixels_is_refused(int width, int height)
    {
        var png = SignaturePngs.Create(width, height, (_, _) => [0, 0, 0, 255]);

        Assert.Equal("The drawn signature is too small; it must be at least 50×20 pixels.", SignatureRules.CheckImage(png)?.Message);
    }

    [Fact]
    public void An_image_too_wide_or_with_too_many_pixels_is_refused_before_decoding()
    {
        var wide = Header(5000, 100);
        var huge = Header(4096, 4096);

        Assert.StartsWith("The drawn signature is too large; it can be at most 4096 pixels", SignatureRules.CheckImage(wide)?.Message, StringComparison.Ordinal);
        Assert.StartsWith("The drawn signature is too large; it can be at most 4096 pixels", SignatureRules.CheckImage(huge)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_512_KB_is_refused()
    {
        var png = SignaturePngs.Drawn().Concat(new byte[SignatureRules.MaxImageBytes]).ToArray();

        Assert.Equal("The drawn signature is too large; it can be at most 512 KB.", SignatureRules.CheckImage(png)?.Message);
    }

    [Fact]
    public void Something_that_is_not_a_png_is_refused()
    {
        Assert.Equal("Draw your signature to sign.", SignatureRules.CheckImage(null)?.Message);
        Assert.Equal("Draw your signature to sign.", SignatureRules.CheckImage([])?.Message);
        Assert.Equal("The drawn signature must be a PNG image.", SignatureRules.CheckImage(FixturePdfs.Read("empty.pdf"))?.Message);
        Assert.Equal("The drawn signature must be a PNG image.", SignatureRules.CheckImage([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'])?.Message);
    }

    [Fact]
    public void A_cut_short_or_altered_png_is_refused()
    {
        const string Broken = "The drawn signature is not a complete PNG image; draw it again.";
        var png = SignaturePngs.Drawn();
        var altered = png.ToArray();
        altered[^20] ^= 0x01;
        var withoutEnd = png[..^12];
        var idat = Chunk(png, "IDAT");
        var cutInside = SignaturePngs.Assemble(("IHDR", Chunk(png, "IHDR")), ("IDAT", idat[..(idat.Length / 2)]), ("IEND", []));
        var noImageData = SignaturePngs.Assemble(("IHDR", Chunk(png, "IHDR")), ("IEND", []));
        var trailingBytes = png.Concat(new byte[] { 1, 2, 3 }).ToArray();

        Assert.Equal(Broken, SignatureRules.CheckImage(png[..^1])?.Message);
        Assert.Equal(Broken, SignatureRules.CheckImage(altered)?.Message);
        Assert.Equal(Broken, SignatureRules.CheckImage(withoutEnd)?.Message);
        Assert.Equal(Broken, SignatureRules.CheckImage(cutInside)?.Message);
        Assert.Equal(Broken, SignatureRules.CheckImage(noImageData)?.Message);
        Assert.Equal(Broken, SignatureRules.CheckImage(trailingBytes)?.Message);
    }

    [Fact]
    public void Palette_sixteen_bit_or_interlaced_images_are_refused_with_what_to_send()
    {
        const string Unsupported = "The drawn signature must be a PNG with 8 bits per channel and no interlacing, as a browser draws it.";
        var png = SignaturePngs.Drawn();
        var idat = Chunk(png, "IDAT");

        Assert.Equal(Unsupported, SignatureRules.CheckImage(WithHeader(png, idat, bitDepth: 16, colorType: 6, interlace: 0))?.Message);
        Assert.Equal(Unsupported, SignatureRules.CheckImage(WithHeader(png, idat, bitDepth: 8, colorType: 3, interlace: 0))?.Message);
        Assert.Equal(Unsupported, SignatureRules.CheckImage(WithHeader(png, idat, bitDepth: 8, colorType: 6, interlace: 1))?.Message);
    }

    [Fact]
    public void The_consent_hash_is_the_sha256_of_the_text_shown()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(SigningConsent.Text)));

        Assert.Equal(expected, SigningConsent.Sha256);
        Assert.Equal(64, SigningConsent.Sha256.Length);
    }

    /// <summary>A PNG whose header claims the size, with a little image data: the size check must come before any decoding.</summary>
    private static byte[] Header(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 6;
        return SignaturePngs.Assemble(("IHDR", header), ("IDAT", Chunk(SignaturePngs.Drawn(), "IDAT")), ("IEND", []));
    }

    private static byte[] WithHeader(byte[] png, byte[] idat, byte bitDepth, byte colorType, byte interlace)
    {
        var header = Chunk(png, "IHDR");
        header[8] = bitDepth;
        header[9] = colorType;
        header[12] = interlace;
        return SignaturePngs.Assemble(("IHDR", header), ("IDAT", idat), ("IEND", []));
    }

    /// <summary>The data of the first chunk of <paramref name="type"/>.</summary>
    private static byte[] Chunk(byte[] png, string type)
    {
        for (var position = 8; position + 12 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            if (System.Text.Encoding.ASCII.GetString(png, position + 4, 4) == type)
            {
                return png.AsSpan(position + 8, length).ToArray();
            }

            position += 12 + length;
        }

        throw new InvalidOperationException($"No {type} chunk.");
    }
}
