using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.RegularExpressions;
using LiveContract.Core.Signing.Sealing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace LiveContract.Tests.Unit;

/// <summary>
/// The PDF digital signature of a sealed PDF: its structure, what <c>pdfsig</c> (poppler) says of
/// the file, of a copy with one changed byte and of a copy with bytes appended, and what
/// <see cref="PdfSignatureInspector"/> finds in each.
/// </summary>
public sealed partial class SealingSignatureTests
{
    private static readonly SealSignatureText Text = new(
        "LiveContract document sealing",
        "Contract LC-2026-000042 (id 0b6f6a7e-2c4d-4d1e-9a51-2f0e3c4b5a69), signed by all parties, sealed by LiveContract",
        "Żółć & Weiß GmbH",
        "https://contracts.example.com/verify");

    private static readonly DateTimeOffset SealedAt = new(2026, 11, 23, 14, 3, 3, TimeSpan.Zero);

    [Fact]
    public async Task A_PDF_sealed_from_several_real_documents_passes_pdfsig_as_valid_and_wholly_signed()
    {
        var documents = SealingTestTools.FixtureDocuments();
        var (unsigned, pages) = SealedPdfComposer.Compose(documents, [], SealingTestTools.Certificate(documents), SealingTestTools.Fonts);
        using var certificate = new CertificateScope(SealingTestTools.EcdsaCertificate());

        var sealedPdf = PdfSealSignature.Sign(unsigned, certificate.Value, Text, SealedAt);

        var report = await SealingTestTools.PdfSigAsync(sealedPdf);
        Assert.Contains("Signature Field Name: LiveContract seal", report);
        Assert.Contains("Signer Certificate Common Name: LiveContract document sealing", report);
        Assert.Contains("Signing Time: Nov 23 2026 14:03:03", report);
        Assert.Contains("Signing Hash Algorithm: SHA-256", report);
        Assert.Contains("Signature Type: ETSI.CAdES.detached", report);
        Assert.Contains("Total document signed", report);
        Assert.Contains("Signature Validation: Signature is Valid.", report);

        var info = await SealingTestTools.PdfInfoAsync(sealedPdf);
        Assert.Matches($@"Pages:\s+{pages}\n", info);
        Assert.Matches(@"Page\s+4 rot:\s+90", info);
        Assert.Contains("Title:           LC-2026-000042 Motor insurance for Łukasz Żółć", info);
        Assert.Contains("Keywords:        LiveContract; LC-2026-000042; contract 0b6f6a7e-2c4d-4d1e-9a51-2f0e3c4b5a69", info);
    }

    [Fact]
    public async Task One_changed_byte_inside_the_signed_range_is_a_digest_mismatch_and_appended_bytes_are_not_total_document_signed()
    {
        var sealedPdf = Seal(out var certificate);
        using var _ = certificate;
        var changed = (byte[])sealedPdf.Clone();
        changed[changed.Length / 3] ^= 0x01;
        var appended = Append(sealedPdf, "\n% added after sealing\n");

        var changedReport = await SealingTestTools.PdfSigAsync(changed);
        var appendedReport = await SealingTestTools.PdfSigAsync(appended);

        Assert.Contains("Signature Validation: Digest Mismatch.", changedReport);
        Assert.DoesNotContain("Signature is Valid", changedReport);
        Assert.Contains("Not total document signed", appendedReport);
        Assert.DoesNotContain("- Total document signed", appendedReport);
    }

    [Fact]
    public void The_signature_is_an_incremental_update_whose_byte_range_covers_everything_but_the_CMS()
    {
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        var (unsigned, _) = SealedPdfComposer.Compose(documents, [], SealingTestTools.Certificate(documents), SealingTestTools.Fonts);
        using var certificate = new CertificateScope(SealingTestTools.EcdsaCertificate());

        var sealedPdf = PdfSealSignature.Sign(unsigned, certificate.Value, Text, SealedAt);

        Assert.True(sealedPdf.AsSpan(0, unsigned.Length).SequenceEqual(unsigned), "The original bytes must stay untouched in front.");
        var raw = Encoding.Latin1.GetString(sealedPdf);
        var range = ByteRange().Match(raw);
        Assert.True(range.Success, "No /ByteRange.");
        var (first, secondStart, secondLength) = (long.Parse(range.Groups[1].Value), long.Parse(range.Groups[2].Value), long.Parse(range.Groups[3].Value));
        Assert.Equal(sealedPdf.Length, secondStart + secondLength);
        Assert.Equal((byte)'<', sealedPdf[first]);
        Assert.Equal((byte)'>', sealedPdf[secondStart - 1]);
        Assert.Contains("/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached", raw);
        Assert.Contains("/M (D:20261123140303+00'00')", raw);
        Assert.Contains("/Prev ", raw[unsigned.Length..]);

        // The CMS: detached, SHA-256, signed by the certificate, bound to it by ESS signing-certificate-v2.
        var hex = raw[(int)(first + 1)..(int)(secondStart - 1)].TrimEnd('0');
        var cms = new SignedCms();
        cms.Decode(Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex + "0"));
        Assert.Empty(cms.ContentInfo.Content);
        var signer = Assert.Single(cms.SignerInfos.Cast<SignerInfo>());
        Assert.Equal("2.16.840.1.101.3.4.2.1", signer.DigestAlgorithm.Value);
        Assert.Equal(certificate.Value.Certificate.RawData, signer.Certificate!.RawData);
        var essAttribute = signer.SignedAttributes.Cast<CryptographicAttributeObject>().Single(a => a.Oid.Value == "1.2.840.113549.1.9.16.2.47");
        Assert.Contains(Convert.ToHexString(SHA256.HashData(certificate.Value.Certificate.RawData)), Convert.ToHexString(essAttribute.Values[0].RawData));

        // PDF readers see one signature field, an append-only AcroForm, and the contract in the dictionary.
        using var document = PdfDocument.Open(sealedPdf);
        var catalog = document.Structure.Catalog.CatalogDictionary;
        var acroForm = Assert.IsType<DictionaryToken>(catalog.Data["AcroForm"]);
        Assert.Equal(3, ((NumericToken)acroForm.Data["SigFlags"]).Int);
        Assert.True(document.TryGetForm(out var form));
        var field = Assert.Single(form.Fields);
        Assert.Equal("LiveContract seal", field.Information.PartialName);
        Assert.Contains(Text.Reason, DecodeTextStrings(raw[unsigned.Length..]));
        Assert.Contains(Text.Location, DecodeTextStrings(raw[unsigned.Length..]));
    }

    [Fact]
    public void The_inspector_tells_sealed_changed_extended_truncated_foreign_unsigned_and_garbage_apart()
    {
        var sealedPdf = Seal(out var ours);
        using var _ = ours;
        using var theirs = new CertificateScope(SealingTestTools.EcdsaCertificate("CN=Someone Else, O=Elsewhere"));
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        var (unsigned, _) = SealedPdfComposer.Compose(documents, [], SealingTestTools.Certificate(documents), SealingTestTools.Fonts);
        var trusted = new HashSet<string> { ours.Value.Thumbprint };
        var changedEarly = (byte[])sealedPdf.Clone();
        changedEarly[100] ^= 0x20;
        var changedLate = (byte[])sealedPdf.Clone();
        changedLate[^3] ^= 0x20;

        SignatureFinding Find(byte[] file) => PdfSignatureInspector.Inspect(file, trusted).Finding;

        Assert.Equal(SignatureFinding.Intact, Find(sealedPdf));
        Assert.Equal("CN=LiveContract document sealing, O=LiveContract", PdfSignatureInspector.Inspect(sealedPdf, trusted).Signer);
        Assert.Equal(SignatureFinding.Changed, Find(changedEarly));
        Assert.Equal(SignatureFinding.Changed, Find(changedLate));
        Assert.Equal(SignatureFinding.Changed, Find(sealedPdf[..^40]));
        var contentsAt = Encoding.Latin1.GetString(sealedPdf).LastIndexOf("/Contents <", StringComparison.Ordinal) + "/Contents <".Length;
        var brokenHeader = (byte[])sealedPdf.Clone();
        brokenHeader[contentsAt] = (byte)'f';
        Assert.Equal(SignatureFinding.Unreadable, Find(brokenHeader));
        var changedPadding = (byte[])sealedPdf.Clone();
        changedPadding[Array.IndexOf(sealedPdf, (byte)'>', contentsAt) - 2] = (byte)'1';
        Assert.Equal(SignatureFinding.Intact, Find(changedPadding));
        Assert.Equal(SignatureFinding.Extended, Find(Append(sealedPdf, "\n%%EOF\n")));
        Assert.Equal(SignatureFinding.Extended, Find(PdfSealSignature.Sign(sealedPdf, theirs.Value, Text, SealedAt)));
        var foreign = PdfSignatureInspector.Inspect(PdfSealSignature.Sign(unsigned, theirs.Value, Text, SealedAt), trusted);
        Assert.Equal((SignatureFinding.SignedByOthers, "CN=Someone Else, O=Elsewhere"), (foreign.Finding, foreign.Signer));
        Assert.Equal(SignatureFinding.Unsigned, Find(unsigned));
        Assert.Equal(SignatureFinding.Intact, PdfSignatureInspector.Inspect(sealedPdf, new HashSet<string> { ours.Value.Thumbprint, theirs.Value.Thumbprint }).Finding);
        Assert.Equal(SignatureFinding.SignedByOthers, PdfSignatureInspector.Inspect(sealedPdf, new HashSet<string>()).Finding);

        Assert.Equal(SignatureFinding.NotPdf, Find([]));
        Assert.Equal(SignatureFinding.NotPdf, Find(Fixtures.SignaturePngs.Drawn()));
        Assert.Equal(SignatureFinding.NotPdf, Find(RandomNumberGenerator.GetBytes(4096)));
        Assert.Equal(SignatureFinding.Unsigned, Find(Encoding.ASCII.GetBytes("%PDF-1.7\n/ByteRange [0 5 10 3] <zz> /ByteRange [0 99999999999 1 1] /ByteRange [")));
        Assert.Equal(SignatureFinding.Unsigned, Find(Encoding.ASCII.GetBytes("%PDF-1.7\n/ByteRange [0 10 20 0]\n<" + new string('0', 40) + ">")));
    }

    [Fact]
    public void A_contents_hole_larger_than_any_signature_is_unreadable_without_being_decoded()
    {
        var trusted = new HashSet<string> { "00" };
        var allowed = PdfSignatureInspector.MaxContentsHexLength;

        // A byte range naming 16 MB of hex digits as the signature's place.
        var oversized = SignedAround(new string('a', 16 * 1024 * 1024));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var finding = PdfSignatureInspector.Inspect(oversized, trusted).Finding;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SignatureFinding.Unreadable, finding);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes were allocated inspecting a file whose /Contents hole is too large");

        // One digit over the bound is refused as well; at the bound, it is decoded (and is no CMS).
        Assert.Equal(SignatureFinding.Unreadable, PdfSignatureInspector.Inspect(SignedAround(new string('0', allowed + 1)), trusted).Finding);
        Assert.Equal(SignatureFinding.Unreadable, PdfSignatureInspector.Inspect(SignedAround(new string('0', allowed)), trusted).Finding);
    }

    /// <summary>A minimal "PDF" whose <c>/ByteRange</c> leaves exactly <paramref name="hex"/> as the <c>/Contents</c> hole.</summary>
    private static byte[] SignedAround(string hex)
    {
        const string Tail = ">> endobj\n%%EOF\n";
        var head = $"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 {{0:D10}} {{1:D10}} {Tail.Length:D10}] /Contents ";
        var holeStart = string.Format(System.Globalization.CultureInfo.InvariantCulture, head, 0, 0).Length;
        var secondStart = holeStart + 1 + hex.Length + 1;
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, head, holeStart, secondStart) + "<" + hex + ">" + Tail;
        return Encoding.ASCII.GetBytes(text);
    }

    private static byte[] Seal(out CertificateScope certificate)
    {
        var documents = SealingTestTools.FixtureDocuments("motor-insurance-claim-form.pdf", "rotated-90.pdf");
        var (unsigned, _) = SealedPdfComposer.Compose(documents, [], SealingTestTools.Certificate(documents), SealingTestTools.Fonts);
        certificate = new CertificateScope(SealingTestTools.EcdsaCertificate());
        return PdfSealSignature.Sign(unsigned, certificate.Value, Text, SealedAt);
    }

    private static byte[] Append(byte[] pdf, string text) => [.. pdf, .. Encoding.ASCII.GetBytes(text)];

    /// <summary>Every UTF-16BE hex text string (<c>&lt;FEFF…&gt;</c>) in <paramref name="raw"/>, decoded.</summary>
    private static string DecodeTextStrings(string raw) =>
        string.Join("\n", TextString().Matches(raw).Select(m => Encoding.BigEndianUnicode.GetString(Convert.FromHexString(m.Groups[1].Value))));

    [GeneratedRegex(@"/ByteRange \[0 (\d+) +(\d+) +(\d+) *\]")]
    private static partial Regex ByteRange();

    [GeneratedRegex("<FEFF([0-9A-F]*)>")]
    private static partial Regex TextString();

    /// <summary>Disposes a test certificate's key.</summary>
    private sealed class CertificateScope(SealingCertificate value) : IDisposable
    {
        public SealingCertificate Value { get; } = value;

        public void Dispose() => Value.Certificate.Dispose();
    }
}
