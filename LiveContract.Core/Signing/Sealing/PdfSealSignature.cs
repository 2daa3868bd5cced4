using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>What a seal's signature dictionary says about it, shown by PDF readers in their signature panel.</summary>
/// <param name="Name">Who sealed: the certificate's common name.</param>
/// <param name="Reason">Why: names the contract (reference and id).</param>
/// <param name="Location">Where: the organisation.</param>
/// <param name="ContactInfo">How to check it: the verification address.</param>
public sealed record SealSignatureText(string Name, string Reason, string Location, string ContactInfo);

/// <summary>
/// Appends a PDF digital signature over a whole PDF as an incremental update: a signature
/// dictionary (<c>/SubFilter /ETSI.CAdES.detached</c>, PAdES baseline shape) whose
/// <c>/ByteRange</c> covers every byte of the file except the <c>/Contents</c> hole, an invisible
/// signature field on the last page, the catalog rewritten with an <c>/AcroForm</c> naming that
/// field (<c>/SigFlags 3</c>: signed, append only), a cross-reference section for those objects and
/// a trailer chained to the previous one with <c>/Prev</c>. The <c>/Contents</c> hole holds a
/// detached CMS <c>SignedData</c> (SHA-256, with the ESS signing-certificate-v2 attribute) made
/// with <see cref="SignedCms"/>; the signing time is the dictionary's <c>/M</c>, as PAdES wants.
/// The PDF must be unencrypted and use a classic cross-reference table (what PdfPig writes).
/// </summary>
internal static class PdfSealSignature
{
    public const string SubFilter = "ETSI.CAdES.detached";

    /// <summary>Bytes reserved for the CMS signature (hex-encoded, twice as many characters): room for a certificate chain.</summary>
    public const int ContentsCapacity = 32 * 1024;

    /// <summary>The signature field's name (<c>/T</c>).</summary>
    public const string FieldName = "LiveContract seal";

    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>Width of each number in the <c>/ByteRange</c> placeholder: 10 digits, more than any file held in memory needs.</summary>
    private const int ByteRangeDigits = 10;

    /// <summary>Returns <paramref name="pdf"/> with the signature appended; <paramref name="pdf"/> itself is left as it is.</summary>
    public static byte[] Sign(byte[] pdf, SealingCertificate sealingCertificate, SealSignatureText text, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(sealingCertificate);
        ArgumentNullException.ThrowIfNull(text);
        if (!sealingCertificate.Certificate.HasPrivateKey)
        {
            throw new ArgumentException("The sealing certificate has no private key.", nameof(sealingCertificate));
        }

        var structure = PdfStructure.Read(pdf);
        using var output = new MemoryStream(pdf.Length + (2 * ContentsCapacity) + 4096);
        output.Write(pdf);
        if (pdf[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            Write(output, "\n");
        }

        var signatureNumber = structure.Size;
        var fieldNumber = structure.Size + 1;
        var offsets = new SortedDictionary<long, (long Offset, int Generation)>();

        offsets[signatureNumber] = (output.Position, 0);
        Write(output, $"{signatureNumber} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /{SubFilter} /ByteRange ");
        var byteRangeAt = output.Position;
        Write(output, ByteRange(0, 0, 0));
        Write(output, " /Contents ");
        var contentsAt = output.Position;
        Write(output, "<");
        output.Write(Encoding.ASCII.GetBytes(new string('0', 2 * ContentsCapacity)));
        Write(output, ">");
        var contentsEnd = output.Position;
        Write(output, $" /M ({PdfDate(signedAt)}) /Name {TextString(text.Name)} /Reason {TextString(text.Reason)}");
        Write(output, $" /Location {TextString(text.Location)} /ContactInfo {TextString(text.ContactInfo)} >>\nendobj\n");

        offsets[fieldNumber] = (output.Position, 0);
        Write(output, $"{fieldNumber} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T {TextString(FieldName)} /V {signatureNumber} 0 R");
        Write(output, $" /F 132 /Rect [0 0 0 0] /P {Reference(structure.LastPage)} >>\nendobj\n");

        var field = new IndirectReferenceToken(new IndirectReference(fieldNumber, 0));
        var catalog = structure.Catalog.Data
            .Where(entry => entry.Key != NameToken.AcroForm.Data)
            .ToDictionary(entry => NameToken.Create(entry.Key), entry => entry.Value);
        catalog[NameToken.AcroForm] = new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Fields] = new ArrayToken([field]),
            [NameToken.SigFlags] = new NumericToken(3),
        });
        WriteObject(output, offsets, structure.Root, new DictionaryToken(catalog));

        var page = structure.LastPageDictionary.Data.ToDictionary(entry => NameToken.Create(entry.Key), entry => entry.Value);
        page[NameToken.Annots] = new ArrayToken([.. structure.LastPageAnnotations, field]);
        WriteObject(output, offsets, structure.LastPage, new DictionaryToken(page));

        var xrefAt = output.Position;
        WriteCrossReferenceSection(output, offsets);
        var trailer = new Dictionary<NameToken, IToken>
        {
            [NameToken.Size] = new NumericToken(fieldNumber + 1),
            [NameToken.Root] = new IndirectReferenceToken(structure.Root),
            [NameToken.Prev] = new NumericToken(structure.PreviousCrossReference),
        };
        if (structure.Info is not null)
        {
            trailer[NameToken.Info] = structure.Info;
        }

        if (structure.Identifier.Count > 0)
        {
            trailer[NameToken.Id] = new ArrayToken(structure.Identifier);
        }

        Write(output, "trailer\n");
        TokenWriter.Instance.WriteToken(new DictionaryToken(trailer), output);
        Write(output, $"\nstartxref\n{xrefAt.ToString(CultureInfo.InvariantCulture)}\n%%EOF\n");

        var signed = output.ToArray();
        var range = new ByteRanges(contentsAt, contentsEnd, signed.Length);
        Encoding.ASCII.GetBytes(ByteRange(range.FirstLength, range.SecondStart, range.SecondLength)).CopyTo(signed, byteRangeAt);
        var cms = CreateCms(range.Content(signed), sealingCertificate);
        if (cms.Length > ContentsCapacity)
        {
            throw new InvalidOperationException($"The CMS signature needs {cms.Length} bytes, more than the {ContentsCapacity} reserved for it.");
        }

        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(cms)).CopyTo(signed, contentsAt + 1);
        return signed;
    }

    /// <summary>A detached CMS SignedData over <paramref name="content"/>: SHA-256, the certificate and its chain, ESS signing-certificate-v2.</summary>
    internal static byte[] CreateCms(byte[] content, SealingCertificate sealingCertificate)
    {
        var certificate = sealingCertificate.Certificate;
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(sealingCertificate.Chain);
        signer.SignedAttributes.Add(new AsnEncodedData(new Oid(SigningCertificateV2Oid), SigningCertificateV2(certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    /// <summary>
    /// The ESS <c>SigningCertificateV2</c> attribute value (RFC 5035): one <c>ESSCertIDv2</c> with
    /// the certificate's SHA-256 (the default hash, so no algorithm identifier) and its issuer and
    /// serial number, binding the signature to this certificate.
    /// </summary>
    private static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    writer.WriteEncodedValue(certificate.IssuerName.RawData);
                }

                writer.WriteInteger(certificate.SerialNumberBytes.Span);
            }
        }

        return writer.Encode();
    }

    private static void WriteObject(MemoryStream output, SortedDictionary<long, (long, int)> offsets, IndirectReference reference, DictionaryToken dictionary)
    {
        offsets[reference.ObjectNumber] = (output.Position, reference.Generation);
        Write(output, $"{reference.ObjectNumber} {reference.Generation} obj\n");
        TokenWriter.Instance.WriteToken(dictionary, output);
        Write(output, "\nendobj\n");
    }

    /// <summary>One subsection per run of consecutive object numbers; every entry exactly 20 bytes.</summary>
    private static void WriteCrossReferenceSection(MemoryStream output, SortedDictionary<long, (long Offset, int Generation)> offsets)
    {
        Write(output, "xref\n");
        var entries = offsets.ToList();
        for (var start = 0; start < entries.Count;)
        {
            var end = start + 1;
            while (end < entries.Count && entries[end].Key == entries[end - 1].Key + 1)
            {
                end++;
            }

            Write(output, $"{entries[start].Key} {end - start}\n");
            for (var i = start; i < end; i++)
            {
                var (offset, generation) = entries[i].Value;
                Write(output, $"{offset:D10} {generation:D5} n\r\n");
            }

            start = end;
        }
    }

    private static string ByteRange(long firstLength, long secondStart, long secondLength) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"[0 {Pad(firstLength)} {Pad(secondStart)} {Pad(secondLength)}]");

    private static string Pad(long value) => value.ToString(CultureInfo.InvariantCulture).PadRight(ByteRangeDigits);

    private static string Reference(IndirectReference reference) => $"{reference.ObjectNumber} {reference.Generation} R";

    /// <summary>A PDF date, UTC: <c>D:20261123140203+00'00'</c>.</summary>
    internal static string PdfDate(DateTimeOffset at) =>
        "D:" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00'";

    /// <summary>A PDF text string in UTF-16BE with a byte order mark, as hex: any character, nothing to escape.</summary>
    internal static string TextString(string text) =>
        "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    private static void Write(MemoryStream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>The two signed byte ranges of a file: before the <c>/Contents</c> hex string and after it.</summary>
    internal readonly record struct ByteRanges(long FirstLength, long SecondStart, long FileLength)
    {
        public long SecondLength => FileLength - SecondStart;

        /// <summary>The signed bytes: both ranges, one after the other.</summary>
        public byte[] Content(byte[] file)
        {
            var content = new byte[FirstLength + SecondLength];
            file.AsSpan(0, (int)FirstLength).CopyTo(content);
            file.AsSpan((int)SecondStart, (int)SecondLength).CopyTo(content.AsSpan((int)FirstLength));
            return content;
        }
    }

    /// <summary>What the update needs to know about the PDF it extends.</summary>
    private sealed record PdfStructure(
        IndirectReference Root,
        DictionaryToken Catalog,
        IToken? Info,
        IReadOnlyList<IToken> Identifier,
        long Size,
        long PreviousCrossReference,
        IndirectReference LastPage,
        DictionaryToken LastPageDictionary,
        IReadOnlyList<IToken> LastPageAnnotations)
    {
        public static PdfStructure Read(byte[] pdf)
        {
            using var document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = false });
            var structure = document.Structure;
            if (structure.Trailer.EncryptionToken is not null)
            {
                throw new InvalidOperationException("An encrypted PDF cannot be sealed.");
            }

            var size = Math.Max(
                structure.Trailer.Size,
                structure.CrossReferenceTable.ObjectOffsets.Keys.Select(r => r.ObjectNumber + 1).DefaultIfEmpty(0).Max());
            var (lastPage, lastPageDictionary) = FindLastPage(document);
            var annotations = lastPageDictionary.TryGet(NameToken.Annots, out var annots)
                ? Resolve<ArrayToken>(document, annots).Data
                : [];
            return new PdfStructure(
                structure.Trailer.Root,
                structure.Catalog.CatalogDictionary,
                structure.Trailer.Info,
                structure.Trailer.Identifier.Cast<IToken>().ToList(),
                size,
                structure.XrefOffset,
                lastPage,
                lastPageDictionary,
                annotations);
        }

        private static (IndirectReference, DictionaryToken) FindLastPage(PdfDocument document)
        {
            var catalog = document.Structure.Catalog.CatalogDictionary;
            if (!catalog.TryGet(NameToken.Pages, out var pages) || pages is not IndirectReferenceToken node)
            {
                throw new InvalidOperationException("The PDF's catalog has no page tree.");
            }

            for (var depth = 0; depth < 64; depth++)
            {
                var dictionary = Resolve<DictionaryToken>(document, node);
                if (!dictionary.TryGet(NameToken.Kids, out var kidsToken))
                {
                    return (node.Data, dictionary);
                }

                var kids = Resolve<ArrayToken>(document, kidsToken);
                if (kids.Data.Count == 0 || kids.Data[^1] is not IndirectReferenceToken last)
                {
                    throw new InvalidOperationException("The PDF's page tree has a node without pages.");
                }

                node = last;
            }

            throw new InvalidOperationException("The PDF's page tree is too deep.");
        }

        private static T Resolve<T>(PdfDocument document, IToken token)
            where T : class, IToken =>
            (token is IndirectReferenceToken reference ? document.Structure.GetObject(reference.Data).Data : token) as T
            ?? throw new InvalidOperationException($"The PDF has a {token.GetType().Name} where a {typeof(T).Name} belongs.");
    }
}
