using LiveContract.Core.Audit;
using LiveContract.Core.Fields;
using LiveContract.Core.Localization;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>
/// A French contract's sealed PDF: the certificate of completion, its timeline included, reads in French, and the date
/// and number values printed on the pages are written the French way, while the certificate keeps each stored value
/// (what the signatures' field values hash covers) beside it and the staff's timeline stays English.
/// </summary>
public sealed class SealingLanguageTests
{
    private const string FieldValuesSha256 = "f7e7c0de000000000000000000000000000000000000000000000000f7e7c0de";

    [Fact]
    public async Task A_french_contracts_certificate_timeline_and_printed_values_are_in_french()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        PlacedField[] placed =
        [
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(150, 600, 220, 22), FieldKind.Number, FieldParty.Advisor, "Damage amount", "1234.5"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(150, 560, 120, 22), FieldKind.Date, FieldParty.Customer, "Date of the accident", "2026-12-31"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(49.6, 441, 18, 18), FieldKind.Checkbox, FieldParty.Customer, "I accept the terms", "true"),
            new("motor-insurance-claim-form.pdf", 3, new FieldBox(320, 120, 180, 60), FieldKind.SignatureSpot, FieldParty.Customer, "Customer signature"),
        ];
        var contract = await scenario.SignedWithFieldsAsync(FieldValuesSha256, placed, "motor-insurance-claim-form.pdf");
        await using (var db = scenario.Database())
        {
            // The scenario makes English contracts; this one is the customer's in French.
            await db.Contracts.Where(c => c.Id == contract.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Language, "fr"));
        }

        var outcome = await scenario.Sealing.SealAsync(scenario.Advisor, contract.Id);

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var pdf = await scenario.ReadStoredAsync((await scenario.SealedDocumentAsync(contract.Id))!.StorageKey);
        await SealedFieldsTests.AssertPrintedInside(pdf, 3, placed[0].Box, "1234,5");
        await SealedFieldsTests.AssertPrintedInside(pdf, 3, placed[1].Box, "31/12/2026");

        string certificate;
        using (var sealedPdf = PdfDocument.Open(pdf))
        {
            Assert.DoesNotContain("2026-12-31", string.Join(" ", sealedPdf.GetPage(3).GetWords().Select(w => w.Text)));
            certificate = string.Join(" ", sealedPdf.GetPages().Skip(3).SelectMany(page => page.GetWords()).Select(w => w.Text));
        }

        foreach (var expected in new[]
                 {
                     "Certificat d'achèvement",
                     "Contrat créé : « Motor insurance » pour Chloé Dupont · ",
                     "Document motor-insurance-claim-form.pdf téléversé (3 pages,",
                     "Statut passé de Brouillon à En relecture (1 document figé) · ",
                     "(Conseiller",
                     "Damage amount 1234.5 (1234,5)",
                     "Date of the accident 2026-12-31 (31/12/2026)",
                     "I accept the terms Coché",
                     $"Customer signature Signé par {SealingScenario.CustomerName}",
                     FieldValuesSha256,
                 })
        {
            Assert.Contains(expected, certificate, StringComparison.Ordinal);
        }

        foreach (var english in new[] { "Contract created", "Status changed", "(Advisor", "Ticked", "Signed by" })
        {
            Assert.DoesNotContain(english, certificate, StringComparison.Ordinal);
        }

        // The staff's timeline of the same contract stays English, whatever the caller's culture.
        using (Languages.Use("fr"))
        {
            var trail = LiveSessionScenario.Accepted(
                await scenario.App.Services.GetRequiredService<AuditService>().GetTimelineAsync(scenario.Advisor, contract.Id));
            Assert.Contains(trail.Events, e => e.Description == "Status changed from Draft to Review (1 document pinned)");
        }
    }
}
