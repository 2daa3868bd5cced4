using LiveContract.Core.Fields;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using UglyToad.PdfPig;
using UglyToad.PdfPig.AcroForms.Fields;
using UglyToad.PdfPig.Annotations;
using UglyToad.PdfPig.Core;

namespace LiveContract.Tests.Unit;

/// <summary>
/// Field values printed into the sealed PDF, checked as a reader gets them: <c>pdftotext</c> finds
/// each value on its page inside the field's box (<c>pdftotext -bbox</c>, whose boxes are in points
/// from the top-left corner of the page as displayed, so rotated pages are converted), PdfPig finds
/// the tick and the signature image there, the documents' own forms are gone, and <c>pdfsig</c>
/// still accepts the sealed file.
/// </summary>
public sealed class SealedFieldsTests
{
    private const double Tolerance = 1.5;

    private static readonly FieldBox MotorPolicy = new(150, 590, 220, 22);
    private static readonly FieldBox MotorDate = new(400, 590, 100, 22);
    private static readonly FieldBox MotorNotes = new(60, 420, 240, 60);
    private static readonly FieldBox MotorSignature = new(320, 120, 180, 60);
    private static readonly FieldBox RotatedCity = new(300, 200, 30, 260);

    [Fact]
    public async Task Values_are_printed_inside_their_boxes_on_their_pages_of_real_and_rotated_PDFs_and_the_forms_are_flattened()
    {
        var documents = SealingTestTools.FixtureDocuments("acroform-basic-fields.pdf", "motor-insurance-claim-form.pdf", "rotated-90.pdf");
        var (textBox, checkboxBox) = FormBoxes(documents[0]);
        var signature = SignaturePngs.Drawn();
        BurnedField[] fields =
        [
            new(0, 1, textBox, FieldKind.Text, "Łukasz Żółć"),
            new(0, 1, checkboxBox, FieldKind.Checkbox, "true"),
            new(1, 2, MotorPolicy, FieldKind.Text, "Policy 4711-ABC"),
            new(1, 2, MotorDate, FieldKind.Date, "2026-11-23"),
            new(1, 2, MotorNotes, FieldKind.MultilineText, "Rear bumper dented\nin the car park of the Żabka shop while parked, no one was hurt"),
            new(1, 2, MotorSignature, FieldKind.SignatureSpot, "Łukasz Żółć", signature),
            new(2, 1, RotatedCity, FieldKind.Text, "Αθήνα Łódź"),
        ];

        var (unsigned, _) = SealedPdfComposer.Compose(documents, fields, SealingTestTools.Certificate(documents), SealingTestTools.Fonts);

        // Sealed pages: 1 = acroform-basic-fields, 2-4 = the motor claim form, 5 = rotated-90.
        await AssertPrintedInside(unsigned, 1, textBox, "Łukasz", "Żółć");
        await AssertPrintedInside(unsigned, 3, MotorPolicy, "Policy", "4711-ABC");
        await AssertPrintedInside(unsigned, 3, MotorDate, "2026-11-23");
        await AssertPrintedInside(unsigned, 3, MotorNotes, "Rear", "bumper", "dented", "Żabka");
        var rotatedWords = await AssertPrintedInside(unsigned, 5, RotatedCity, "Αθήνα", "Łódź");
        Assert.DoesNotContain("4711-ABC", await SealingTestTools.PageTextAsync(unsigned, 2));

        // On the page turned by 90° the value reads upright, left to right, as the reader sees the page.
        Assert.All(rotatedWords, word => Assert.True(word.XMax - word.XMin > word.YMax - word.YMin, $"'{word.Text}' is not upright: {word}"));
        Assert.True(rotatedWords[0].XMax < rotatedWords[1].XMin, "Αθήνα comes before Łódź.");

        using (var sealedPdf = PdfDocument.Open(unsigned))
        {
            var tick = sealedPdf.GetPage(1).Paths.Where(p => p.IsStroked).Select(p => p.GetBoundingRectangle()!.Value).ToList();
            Assert.Contains(tick, bounds => Inside(bounds, checkboxBox));
            var image = Assert.Single(sealedPdf.GetPage(3).GetImages());
            Assert.True(Inside(image.BoundingBox, MotorSignature), $"The signature at {image.BoundingBox} is outside its box.");
            Assert.Equal(3.0, image.BoundingBox.Width / image.BoundingBox.Height, 2);
            Assert.Equal(MotorSignature.Height - 4, image.BoundingBox.Height, 1);

            // No form is left: no widget on any page, no form in the catalog.
            Assert.All(sealedPdf.GetPages(), page => Assert.DoesNotContain(page.GetAnnotations(), a => a.Type == AnnotationType.Widget));
            Assert.False(sealedPdf.TryGetForm(out _));
        }

        var certificate = SealingTestTools.EcdsaCertificate();
        using var x509 = certificate.Certificate;
        var signed = PdfSealSignature.Sign(unsigned, certificate, new SealSignatureText("LiveContract", "Test", "Test", "https://example.com/verify"), DateTimeOffset.UtcNow);
        var report = await SealingTestTools.PdfSigAsync(signed);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("Total document signed", report);
        using var signedPdf = PdfDocument.Open(signed);
        Assert.True(signedPdf.TryGetForm(out var form));
        var only = Assert.Single(form.Fields);
        Assert.IsType<AcroSignatureField>(only);
        Assert.Equal(PdfSealSignature.FieldName, only.Information.PartialName);
    }

    [Fact]
    public void Empty_values_print_nothing_and_fields_on_pages_a_document_does_not_have_are_left_out()
    {
        var documents = SealingTestTools.FixtureDocuments("motor-insurance-claim-form.pdf", "rotated-90.pdf");
        BurnedField[] empty =
        [
            new(0, 1, MotorPolicy, FieldKind.Text, ""),
            new(0, 2, MotorNotes, FieldKind.MultilineText, " \n "),
            new(0, 2, MotorDate, FieldKind.Checkbox, ""),
            new(0, 3, MotorSignature, FieldKind.SignatureSpot, "", null),
            new(1, 1, RotatedCity, FieldKind.Choice, ""),
            new(1, 7, RotatedCity, FieldKind.Text, "On a page rotated-90.pdf does not have"),
            new(5, 1, RotatedCity, FieldKind.Text, "In a document that is not there"),
        ];
        var certificate = SealingTestTools.Certificate(documents);

        var (withEmptyFields, pages) = SealedPdfComposer.Compose(documents, empty, certificate, SealingTestTools.Fonts);
        var (withoutFields, _) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);

        using var filled = PdfDocument.Open(withEmptyFields);
        using var plain = PdfDocument.Open(withoutFields);
        Assert.Equal(plain.NumberOfPages, pages);
        for (var number = 1; number <= 4; number++)
        {
            Assert.Equal(
                plain.GetPage(number).Operations.Select(o => o.ToString()),
                filled.GetPage(number).Operations.Select(o => o.ToString()));
        }
    }

    [Fact]
    public void A_value_never_leaves_its_box_nor_the_page_however_long_it_is_or_however_far_the_box_reaches()
    {
        var documents = SealingTestTools.FixtureDocuments("single-page-google-drive.pdf");
        double width, height;
        using (var original = PdfDocument.Open(documents[0]))
        {
            var page = original.GetPage(1);
            (width, height) = (page.CropBox.Bounds.Width, page.CropBox.Bounds.Height);
            Assert.DoesNotContain(page.Letters, l => l.FontName?.Contains("DejaVu", StringComparison.Ordinal) == true);
        }

        var longText = string.Join(' ', Enumerable.Repeat("Zażółć gęślą jaźń, a value far longer than any box should hold", 8));
        BurnedField[] fields =
        [
            new(0, 1, new FieldBox(width - 60, 300, 400, 20), FieldKind.Text, longText),
            new(0, 1, new FieldBox(-50, height - 12, 120, 40), FieldKind.Text, longText),
            new(0, 1, new FieldBox(80, 200, 36, 7), FieldKind.Initials, "ŁŻ-MW-KR"),
            new(0, 1, new FieldBox(200, 100, 150, 30), FieldKind.MultilineText, string.Join('\n', Enumerable.Repeat(longText, 3))),
        ];

        var (pdf, _) = SealedPdfComposer.Compose(documents, fields, SealingTestTools.Certificate(documents), SealingTestTools.Fonts);

        using var sealedPdf = PdfDocument.Open(pdf);
        var printed = sealedPdf.GetPage(1).Letters.Where(l => l.FontName?.Contains("DejaVu", StringComparison.Ordinal) == true && !string.IsNullOrWhiteSpace(l.Value)).ToList();
        Assert.True(printed.Count > 20, $"Only {printed.Count} letters were printed.");
        Assert.All(printed, letter =>
        {
            var glyph = letter.BoundingBox;
            Assert.True(
                fields.Any(f => Inside(glyph, Clip(f.Box, width, height), 0.5)),
                $"'{letter.Value}' at {glyph} is outside every box (or the page).");
        });
        Assert.Contains(printed, l => l.Value == "…");
    }

    /// <summary>The box of the first text field and of the first checkbox of <c>acroform-basic-fields.pdf</c>, as the upload's detection records them.</summary>
    private static (FieldBox Text, FieldBox Checkbox) FormBoxes(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.TryGetForm(out var form));
        var fields = form.GetFieldsForPage(1).ToList();
        var text = fields.OfType<AcroTextField>().First(f => f.Bounds is not null).Bounds!.Value;
        var checkbox = fields.OfType<AcroCheckboxField>().First(f => f.Bounds is not null).Bounds!.Value;
        return (Box(text), Box(checkbox));

        static FieldBox Box(PdfRectangle r) => new(r.Left, r.Bottom, r.Width, r.Height);
    }

    /// <summary>
    /// Asserts that each of <paramref name="words"/> is on the page, inside the box as the reader sees
    /// it (pdftotext's boxes are in points from the top-left corner of the displayed page); returns
    /// those words in order.
    /// </summary>
    internal static async Task<List<PdfWord>> AssertPrintedInside(byte[] pdf, int pageNumber, FieldBox box, params string[] words)
    {
        int rotation;
        double width, height;
        using (var document = PdfDocument.Open(pdf))
        {
            var page = document.GetPage(pageNumber);
            rotation = page.Rotation.Value;
            (width, height) = (page.CropBox.Bounds.Width, page.CropBox.Bounds.Height);
        }

        var text = await SealingTestTools.PageTextAsync(pdf, pageNumber);
        var found = await SealingTestTools.WordsAsync(pdf, pageNumber);
        var (xMin, yMin, xMax, yMax) = rotation switch
        {
            90 => (box.Bottom, box.Left, box.Bottom + box.Height, box.Left + box.Width),
            180 => (width - box.Left - box.Width, box.Bottom, width - box.Left, box.Bottom + box.Height),
            270 => (height - box.Bottom - box.Height, width - box.Left - box.Width, height - box.Bottom, width - box.Left),
            _ => (box.Left, height - box.Bottom - box.Height, box.Left + box.Width, height - box.Bottom),
        };
        var result = new List<PdfWord>();
        foreach (var expected in words)
        {
            Assert.Contains(expected, text);
            var word = found.FirstOrDefault(w => w.Text == expected);
            Assert.True(word is not null, $"pdftotext -bbox found no word '{expected}' on page {pageNumber}: {string.Join(' ', found.Select(w => w.Text))}");
            Assert.True(
                word.XMin >= xMin - Tolerance && word.XMax <= xMax + Tolerance && word.YMin >= yMin - Tolerance && word.YMax <= yMax + Tolerance,
                $"'{expected}' on page {pageNumber} is at {word}, outside the field's box ({xMin:0.#}, {yMin:0.#})-({xMax:0.#}, {yMax:0.#}).");
            result.Add(word);
        }

        return result;
    }

    private static PdfRectangle Clip(FieldBox box, double width, double height) =>
        new(Math.Max(0, box.Left), Math.Max(0, box.Bottom), Math.Min(width, box.Left + box.Width), Math.Min(height, box.Bottom + box.Height));

    private static bool Inside(PdfRectangle inner, FieldBox box) =>
        Inside(inner, new PdfRectangle(box.Left, box.Bottom, box.Left + box.Width, box.Bottom + box.Height), Tolerance);

    private static bool Inside(PdfRectangle inner, PdfRectangle outer, double tolerance) =>
        inner.Left >= outer.Left - tolerance && inner.Right <= outer.Right + tolerance
        && inner.Bottom >= outer.Bottom - tolerance && inner.Top <= outer.Top + tolerance;
}
