using System.Text.RegularExpressions;
using LiveContract.Core.Hosting;
using LiveContract.Core.Signing.Sealing;
using UglyToad.PdfPig;

namespace LiveContract.Tests.Unit;

/// <summary>The certificate of completion as a reader gets it: the text <c>pdftotext</c> reads back from the sealed PDF's last pages.</summary>
public sealed partial class SealingCertificateOfCompletionTests
{
    [Fact]
    public async Task The_certificate_follows_the_documents_and_states_parties_signatures_hashes_times_and_addresses()
    {
        var documents = SealingTestTools.FixtureDocuments();
        var certificate = SealingTestTools.Certificate(documents);
        var documentPages = certificate.Documents.Sum(d => d.Pages);

        var (pdf, pages) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);

        Assert.True(pages > documentPages);
        var text = await SealingTestTools.PdfToTextAsync(pdf, documentPages + 1);
        Assert.StartsWith("Certificate of completion", text.TrimStart());
        foreach (var expected in new[]
                 {
                     "LC-2026-000042", "Motor insurance for Łukasz Żółć", "0b6f6a7e-2c4d-4d1e-9a51-2f0e3c4b5a69",
                     "Łukasz Żółć <lukasz@example.com>", "Jürgen Weiß <juergen@example.com>",
                     "Customer: Łukasz Żółć", "Advisor: Jürgen Weiß",
                     "2026-11-23 14:02:03 UTC", "2026-11-23 14:02:33 UTC", "2026-11-23 14:03:03 UTC",
                     "192.0.2.44", "2001:db8::7", "Chrome/131.0.0.0",
                     "c0ffee0000000000000000000000000000000000000000000000000000c0ffee",
                     "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
                     "feedface00000000000000000000000000000000000000000000000000feedface",
                     "https://contracts.example.com/verify", "CN=LiveContract document sealing, O=LiveContract",
                     "Timeline event number 12 · Łukasz Żółć (Customer, 192.0.2.44)",
                 })
        {
            Assert.Contains(expected, text);
        }

        for (var i = 0; i < documents.Count; i++)
        {
            Assert.Contains($"document-{i + 1}.pdf", text);
            Assert.Contains(certificate.Documents[i].Sha256, text);
        }

        // The drawn signatures are on the first certificate page, as images.
        using var sealedPdf = PdfDocument.Open(pdf);
        Assert.Equal(2, sealedPdf.GetPage(documentPages + 1).GetImages().Count());
    }

    [Fact]
    public async Task A_long_timeline_flows_onto_further_pages_each_numbered_and_long_text_wraps_within_the_page()
    {
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        var certificate = SealingTestTools.Certificate(documents, events: 250) with
        {
            Title = string.Join(' ', Enumerable.Repeat("Comprehensive motor insurance with roadside assistance", 6)),
        };

        var (pdf, pages) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);

        var certificatePages = pages - 1;
        Assert.True(certificatePages >= 4, $"250 events should need at least 4 pages, not {certificatePages}.");
        var text = await SealingTestTools.PdfToTextAsync(pdf, 2);
        for (var page = 1; page <= certificatePages; page++)
        {
            Assert.Contains($"Certificate of completion · LC-2026-000042 · page {page} of {certificatePages}", text);
        }

        Assert.Contains("Timeline event number 1 ·", text);
        Assert.Contains("Timeline event number 250 ·", text);
        using var sealedPdf = PdfDocument.Open(pdf);
        for (var number = 2; number <= pages; number++)
        {
            var page = sealedPdf.GetPage(number);
            Assert.All(page.Letters, letter =>
            {
                Assert.InRange(letter.BoundingBox.Left, 0, page.Width);
                Assert.InRange(letter.BoundingBox.Right, 0, page.Width - 50);
                Assert.InRange(letter.BoundingBox.Bottom, 20, page.Height);
            });
        }
    }

    [Fact]
    public async Task Every_field_is_listed_with_its_value_party_and_setter_in_any_script_and_a_long_list_flows_onto_further_pages()
    {
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        var setAt = new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero);
        var fields = Enumerable.Range(1, 120)
            .Select(i => new CertificateField("document-1.pdf", 1, $"Field number {i}", i % 2 == 0 ? "Advisor" : "Customer", $"Value {i} Łódź Αθήνα", "Łukasz Żółć", setAt.AddSeconds(i)))
            .Append(new CertificateField("document-1.pdf", 1, "Left empty", "Customer", "—", null, null))
            .ToList();
        var certificate = SealingTestTools.Certificate(documents) with
        {
            Fields = fields,
            Signatures = [.. SealingTestTools.Certificate(documents).Signatures.Select(s => s with { FieldValuesSha256 = "f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1" })],
        };

        var (pdf, pages) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);
        var (withoutFields, pagesWithoutFields) = SealedPdfComposer.Compose(documents, [], SealingTestTools.Certificate(documents), SealingTestTools.Fonts);

        Assert.True(pages >= pagesWithoutFields + 3, $"121 fields should need at least 3 more pages, not {pages - pagesWithoutFields}.");
        var text = CollapseWhitespace().Replace(await SealingTestTools.PdfToTextAsync(pdf, 2), " ");
        Assert.Contains("Field values SHA-256", text);
        Assert.Equal(2, Regex.Count(text, "f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1d5f1e1"));
        Assert.Contains("Field number 1 Value 1 Łódź Αθήνα", text);
        Assert.Contains("Field number 120 Value 120 Łódź Αθήνα", text);
        Assert.Contains("document-1.pdf, page 1 · Advisor's field · set by Łukasz Żółć, 2026-11-23 13:02:00 UTC", text);
        Assert.Contains("Left empty — document-1.pdf, page 1 · Customer's field", text);
        Assert.DoesNotContain("Field values SHA-256", await SealingTestTools.PdfToTextAsync(withoutFields, 2));
        Assert.DoesNotContain("Fields", await SealingTestTools.PdfToTextAsync(withoutFields, 2));
    }

    [Fact]
    public async Task Any_number_of_different_characters_can_be_written_and_those_no_font_has_become_question_marks()
    {
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        var manyLetters = new string([.. Enumerable.Range(0x100, 0x80).Select(c => (char)c), .. Enumerable.Range(0x410, 0x40).Select(c => (char)c), .. Enumerable.Range(0x391, 0x11).Select(c => (char)c)]);
        var certificate = SealingTestTools.Certificate(documents) with
        {
            Customer = new CertificateParty("山田太郎 Zoë", "yamada@example.com"),
            Timeline = [.. manyLetters.Chunk(40).Select((chunk, i) => new CertificateEvent(DateTimeOffset.UnixEpoch.AddDays(i), new string(chunk)))],
        };

        var (pdf, _) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);

        var text = await SealingTestTools.PdfToTextAsync(pdf, 2);
        Assert.Contains("???? Zoë <yamada@example.com>", text);
        var written = CollapseWhitespace().Replace(text, "");
        foreach (var chunk in manyLetters.Chunk(40))
        {
            Assert.Contains(new string(chunk), written);
        }
    }

    [Fact]
    public void A_missing_font_stops_start_up_with_a_sentence_naming_the_setting()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => CertificateFonts.Load(new SealingOptions { FontPath = "/nowhere/DejaVuSans.ttf" }));

        Assert.StartsWith("Sealing:FontPath is '/nowhere/DejaVuSans.ttf', but that font cannot be read", error.Message);
        Assert.Contains("apt-get install fonts-dejavu-core", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_TrueType_font_is_refused_by_name()
    {
        var notAFont = SealingTestTools.FixtureDocuments("empty.pdf")[0];
        var path = Path.Combine(Path.GetTempPath(), $"livecontract-not-a-font-{Guid.NewGuid():N}.ttf");
        File.WriteAllBytes(path, notAFont);
        try
        {
            var error = Assert.Throws<ConfigurationErrorException>(() => CertificateFonts.Load(new SealingOptions { FallbackFontPaths = [path] }));

            Assert.StartsWith($"'{path}' is not a TrueType font that can be embedded in a PDF", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex CollapseWhitespace();
}
