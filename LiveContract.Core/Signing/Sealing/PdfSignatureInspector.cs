using System.Buffers;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>What <see cref="PdfSignatureInspector"/> found in a file.</summary>
internal enum SignatureFinding
{
    /// <summary>The file does not start like a PDF.</summary>
    NotPdf,

    /// <summary>A PDF without a digital signature.</summary>
    Unsigned,

    /// <summary>A signature's place is there (a valid <c>/ByteRange</c> around a hex string) but what it holds is not a readable CMS signature.</summary>
    Unreadable,

    /// <summary>Signed, but none of the signatures is by one of the trusted certificates.</summary>
    SignedByOthers,

    /// <summary>Signed with a trusted certificate, the signature valid, covering every byte of the file.</summary>
    Intact,

    /// <summary>Signed with a trusted certificate, but the signed bytes changed.</summary>
    Changed,

    /// <summary>Signed with a trusted certificate and still valid, but bytes were added after the signed range.</summary>
    Extended,
}

/// <summary>The finding, with the signer's certificate subject when there is one.</summary>
internal sealed record SignatureInspection(SignatureFinding Finding, string? Signer);

/// <summary>
/// Finds the PDF digital signatures in a file by their <c>/ByteRange</c> and checks them without
/// trusting anything else in the file: each byte range must leave exactly one hole, the
/// <c>/Contents</c> hex string holding a CMS <c>SignedData</c>; the CMS is checked against the
/// bytes the range names (digest and signature) and its certificate compared with the trusted
/// thumbprints. Reading the raw bytes rather than the PDF's object structure means a file whose
/// structure a tamperer broke is still recognised as ours and modified. Never throws on bad
/// input.
/// </summary>
internal static class PdfSignatureInspector
{
    /// <summary>Most signatures looked at in one file (a real contract has one).</summary>
    private const int MaxSignatures = 16;

    /// <summary>
    /// Longest <c>/Contents</c> hole (hex digits and whitespace between <c>&lt;</c> and <c>&gt;</c>)
    /// that is decoded: four times the room LiveContract reserves (<see cref="PdfSealSignature.ContentsCapacity"/>
    /// bytes, written as twice as many hex digits), leaving room for other tools' larger signatures.
    /// The hole is whatever span a file's <c>/ByteRange</c> names, so without this bound a crafted
    /// file would have megabytes decoded as a signature.
    /// </summary>
    internal const int MaxContentsHexLength = 4 * 2 * PdfSealSignature.ContentsCapacity;

    private static ReadOnlySpan<byte> ByteRangeKey => "/ByteRange"u8;

    public static SignatureInspection Inspect(ReadOnlySpan<byte> file, IReadOnlySet<string> trustedThumbprints)
    {
        ArgumentNullException.ThrowIfNull(trustedThumbprints);
        if (!LooksLikePdf(file))
        {
            return new(SignatureFinding.NotPdf, null);
        }

        SignatureInspection? best = null;
        var searched = 0;
        for (var at = file.IndexOf(ByteRangeKey); at >= 0 && searched < MaxSignatures; searched++)
        {
            var inspection = InspectAt(file, at + ByteRangeKey.Length, trustedThumbprints);
            if (inspection is not null && (best is null || Rank(inspection.Finding) > Rank(best.Finding)))
            {
                best = inspection;
            }

            if (inspection?.Finding is SignatureFinding.Intact or SignatureFinding.Extended or SignatureFinding.Changed)
            {
                // The first signature by a trusted certificate speaks for the file: checking it copied
                // the signed bytes once, and no other signature could make a changed file ours.
                break;
            }

            var next = file[(at + 1)..].IndexOf(ByteRangeKey);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return best ?? new(SignatureFinding.Unsigned, null);
    }

    /// <summary>Which finding speaks for the file when it holds several signatures: ours over others', an intact one over a broken one.</summary>
    private static int Rank(SignatureFinding finding) => finding switch
    {
        SignatureFinding.Intact => 6,
        SignatureFinding.Extended => 5,
        SignatureFinding.Changed => 4,
        SignatureFinding.SignedByOthers => 3,
        SignatureFinding.Unreadable => 2,
        _ => 1,
    };

    private static SignatureInspection? InspectAt(ReadOnlySpan<byte> file, int at, IReadOnlySet<string> trustedThumbprints)
    {
        if (!TryReadByteRange(file, at, out var range))
        {
            return null;
        }

        var (firstLength, secondStart, secondLength) = range;
        if (firstLength >= file.Length || secondStart >= file.Length
            || file[(int)firstLength] != (byte)'<' || file[(int)secondStart - 1] != (byte)'>')
        {
            return null;
        }

        var hole = file[((int)firstLength + 1)..((int)secondStart - 1)];
        if (hole.Length > MaxContentsHexLength)
        {
            // Far more than any signature needs: not decoded.
            return new(SignatureFinding.Unreadable, null);
        }

        if (!TryDecodeCms(hole, out var der, out var cms)
            || cms.SignerInfos.Count != 1
            || cms.SignerInfos[0].Certificate is not { } certificate)
        {
            return new(SignatureFinding.Unreadable, null);
        }

        var signer = certificate.Subject;
        if (!trustedThumbprints.Contains(Thumbprint(certificate)))
        {
            return new(SignatureFinding.SignedByOthers, signer);
        }

        if (secondStart + secondLength > file.Length)
        {
            // The file was cut short: the signed bytes are not all there.
            return new(SignatureFinding.Changed, signer);
        }

        var content = new byte[firstLength + secondLength];
        file[..(int)firstLength].CopyTo(content);
        file.Slice((int)secondStart, (int)secondLength).CopyTo(content.AsSpan((int)firstLength));
        try
        {
            var detached = new SignedCms(new ContentInfo(content), detached: true);
            detached.Decode(der);
            detached.SignerInfos[0].CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            return new(SignatureFinding.Changed, signer);
        }

        return new(secondStart + secondLength == file.Length ? SignatureFinding.Intact : SignatureFinding.Extended, signer);
    }

    /// <summary>SHA-256 of the DER certificate, lower-case hex: how LiveContract names certificates.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private static bool LooksLikePdf(ReadOnlySpan<byte> file) => file[..Math.Min(file.Length, 1024)].IndexOf("%PDF-"u8) >= 0;

    /// <summary>Reads <c>[0 a b c]</c> after <c>/ByteRange</c>: one hole between a and b, b + c at most the file's length (checked later).</summary>
    private static bool TryReadByteRange(ReadOnlySpan<byte> file, int at, out (long FirstLength, long SecondStart, long SecondLength) range)
    {
        range = default;
        var end = Math.Min(file.Length, at + 128);
        var text = Encoding.ASCII.GetString(file[at..end]).TrimStart();
        if (!text.StartsWith('['))
        {
            return false;
        }

        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var numbers = text[1..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var values = new long[4];
        if (numbers.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            if (!long.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return false;
            }
        }

        if (values[0] != 0 || values[1] < 1 || values[2] <= values[1] + 1 || values[1] > int.MaxValue || values[2] > int.MaxValue || values[3] > int.MaxValue)
        {
            return false;
        }

        range = (values[1], values[2], values[3]);
        return true;
    }

    /// <summary>Decodes the hex of a <c>/Contents</c> string (whitespace allowed, zero padding after the DER allowed) as CMS SignedData.</summary>
    private static bool TryDecodeCms(ReadOnlySpan<byte> hex, out byte[] der, out SignedCms cms)
    {
        der = [];
        cms = new SignedCms();

        // The hex digits alone, an odd count completed with a 0 as PDF hex strings are.
        var digits = new byte[hex.Length + 1];
        var count = 0;
        foreach (var b in hex)
        {
            if (char.IsAsciiHexDigit((char)b))
            {
                digits[count++] = b;
            }
            else if (!char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }

        if (count % 2 == 1)
        {
            digits[count++] = (byte)'0';
        }

        var padded = new byte[count / 2];
        if (Convert.FromHexString(digits.AsSpan(0, count), padded, out _, out var written) != OperationStatus.Done || written != padded.Length)
        {
            return false;
        }

        try
        {
            AsnDecoder.ReadEncodedValue(padded, AsnEncodingRules.BER, out _, out _, out var length);
            der = padded[..length];
            cms.Decode(der);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
