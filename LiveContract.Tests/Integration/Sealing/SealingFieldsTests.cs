using System.Text.RegularExpressions;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using UglyToad.PdfPig.AcroForms.Fields;
using UglyToad.PdfPig.Annotations;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>
/// Sealing a contract whose fields were filled in: the sealing service reads the fields, their
/// values and the signatures from the database, prints the values on the sealed pages, flattens the
/// documents' own forms and lists every field in the certificate of completion.
/// </summary>
public sealed partial class SealingFieldsTests
{
    private const string FieldValuesSha256 = "5eed5eed000000000000000000000000000000000000000000000000005eed5e";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_sealed_PDF_shows_each_value_in_its_box_has_no_form_left_stays_valid_and_its_certificate_lists_every_field(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        PlacedField[] placed =
        [
            new("acroform-basic-fields.pdf", 1, new FieldBox(150, 700, 200, 20), FieldKind.Text, FieldParty.Customer, "Full name", "Łukasz Żółć"),
            new("acroform-basic-fields.pdf", 1, new FieldBox(49.6, 441, 18, 18), FieldKind.Checkbox, FieldParty.Customer, "I accept the terms", "true"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(150, 600, 220, 22), FieldKind.Text, FieldParty.Advisor, "Policy number", "POL-2026-0042"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(150, 560, 120, 22), FieldKind.Date, FieldParty.Customer, "Date of the accident", "2026-11-02"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(320, 120, 180, 60), FieldKind.SignatureSpot, FieldParty.Customer, "Customer signature"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(60, 120, 180, 60), FieldKind.Initials, FieldParty.Advisor, "Advisor initials"),
            new("rotated-90.pdf", 1, new FieldBox(300, 200, 30, 260), FieldKind.Text, FieldParty.Customer, "City", "Αθήνα"),
        ];
        var contract = await scenario.SignedWithFieldsAsync(FieldValuesSha256, placed, "acroform-basic-fields.pdf", "motor-insurance-claim-form.pdf", "rotated-90.pdf");

        var outcome = await scenario.Sealing.SealAsync(scenario.Advisor, contract.Id);

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var pdf = await scenario.ReadStoredAsync((await scenario.SealedDocumentAsync(contract.Id))!.StorageKey);

        // Sealed pages: 1 = acroform-basic-fields, 2-4 = the motor claim form, 5 = rotated-90, then the certificate.
        await SealedFieldsTests.AssertPrintedInside(pdf, 1, placed[0].Box, "Łukasz", "Żółć");
        await SealedFieldsTests.AssertPrintedInside(pdf, 4, placed[2].Box, "POL-2026-0042");
        await SealedFieldsTests.AssertPrintedInside(pdf, 4, placed[3].Box, "2026-11-02");
        await SealedFieldsTests.AssertPrintedInside(pdf, 5, placed[6].Box, "Αθήνα");
        using (var sealedPdf = PdfDocument.Open(pdf))
        {
            var image = Assert.Single(sealedPdf.GetPage(4).GetImages());
            Assert.InRange(image.BoundingBox.Left, 320, 500);
            Assert.InRange(image.BoundingBox.Bottom, 120, 180);
            Assert.Contains(sealedPdf.GetPage(1).Paths, p => p.IsStroked && p.GetBoundingRectangle()!.Value.Left >= 49 && p.GetBoundingRectangle()!.Value.Top <= 460);
            Assert.Single(sealedPdf.GetPages().SelectMany(page => page.GetAnnotations()), a => a.Type == AnnotationType.Widget);
            Assert.True(sealedPdf.TryGetForm(out var form));
            Assert.IsType<AcroSignatureField>(Assert.Single(form.Fields));
        }

        var report = await SealingTestTools.PdfSigAsync(pdf);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("Total document signed", report);

        string advisorName;
        await using (var db = scenario.Database())
        {
            advisorName = (await db.Users.SingleAsync(u => u.Id == contract.AdvisorId)).DisplayName;
        }

        var certificate = Spaces().Replace(await SealingTestTools.PdfToTextAsync(pdf, 6), " ");
        foreach (var expected in new[]
                 {
                     "Fields", "Full name Łukasz Żółć", "I accept the terms Ticked", "Policy number POL-2026-0042",
                     "Date of the accident 2026-11-02", $"Customer signature Signed by {SealingScenario.CustomerName}",
                     "Advisor initials —", "City Αθήνα",
                     "acroform-basic-fields.pdf, page 1 · Customer's field · set by Chloé Dupont,",
                     $"motor-insurance-claim-form.pdf, page 3 · Advisor's field · set by {advisorName},",
                     "rotated-90.pdf, page 1 · Customer's field",
                     "Field values SHA-256", FieldValuesSha256,
                 })
        {
            Assert.Contains(expected, certificate);
        }

        Assert.Equal(2, Regex.Count(certificate, FieldValuesSha256));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
