using LiveContract.Core.Signing.Sealing;

namespace LiveContract.Tests.Unit;

/// <summary>The certificate of completion in the contract's language: its labels translated, accented letters drawn, its times still UTC (evidence).</summary>
public sealed class CertificateLanguageTests
{
    [Theory]
    [InlineData("de", "Abschlusszertifikat", new[] { "Versiegelt", "Parteien", "Kunde: Łukasz Żółć", "Berater: Jürgen Weiß", "Unterschrieben (UTC)", "Zeitverlauf", "Überprüfungsseite", "Prüfpfad", "Seite 1 von" })]
    [InlineData("fr", "Certificat d'achèvement", new[] { "Signé par toutes les parties", "Client: Łukasz Żółć", "Conseiller: Jürgen Weiß", "Signé (UTC)", "Chronologie", "Page de vérification", "Piste d'audit", "page 1 sur" })]
    public async Task The_labels_are_in_the_contracts_language_and_the_times_stay_utc(string language, string title, string[] expected)
    {
        var documents = SealingTestTools.FixtureDocuments();
        var certificate = SealingTestTools.Certificate(documents) with { Language = language };
        var documentPages = certificate.Documents.Sum(d => d.Pages);

        var (pdf, _) = SealedPdfComposer.Compose(documents, [], certificate, SealingTestTools.Fonts);

        var text = await SealingTestTools.PdfToTextAsync(pdf, documentPages + 1);
        Assert.StartsWith(title, text.TrimStart(), StringComparison.Ordinal);
        Assert.All(expected, e => Assert.Contains(e, text, StringComparison.Ordinal));
        Assert.Contains("2026-11-23 14:02:03 UTC", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Certificate of completion", text, StringComparison.Ordinal);
    }
}
