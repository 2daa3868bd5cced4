using Bunit;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Verification;
using Microsoft.AspNetCore.Components.Forms;

namespace LiveContract.Tests.Components;

/// <summary>The public verification page: choosing a file, and the result panel for each verdict.</summary>
public sealed class VerifyPageTests : ComponentTestContext
{
    [Fact]
    public void A_visitor_who_is_not_logged_in_chooses_a_file_and_reads_the_verdict_in_a_status_region()
    {
        var page = RenderPage<VerifyPage>();
        Assert.Equal("Verify a signed PDF", page.Find("h1").TextContent.Trim());
        Assert.Empty(page.Find("[role=status]").TextContent.Trim());

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(FixturePdfs.Read("rotated-90.pdf"), "rotated-90.pdf", contentType: "application/pdf"));

        page.WaitForAssertion(() =>
        {
            var status = page.Find("[role=status]");
            Assert.Equal("Not sealed by this system", status.QuerySelector("h2")!.TextContent.Trim());
            Assert.Contains("This PDF has no digital signature: it is not a document sealed by LiveContract.", status.TextContent);
            Assert.Contains("rotated-90.pdf", status.TextContent);
        });
    }

    [Fact]
    public void A_file_that_is_not_a_PDF_is_answered_too()
    {
        var page = RenderPage<VerifyPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(SignaturePngs.Drawn(), "photo.pdf", contentType: "application/pdf"));

        page.WaitForAssertion(() => Assert.Contains("This file is not a PDF", page.Find("[role=status]").TextContent));
    }

    [Fact]
    public void A_sealed_PDF_shows_its_contract_parties_and_times()
    {
        var result = new SealVerification(
            SealVerdict.Sealed,
            "This PDF is the unmodified sealed contract LC-2026-000042.",
            new string('a', 64),
            new SealedContract(
                "LC-2026-000042",
                "Motor insurance",
                "Łukasz Żółć",
                "Victor Advisor",
                new DateTimeOffset(2026, 11, 23, 14, 2, 3, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 23, 14, 2, 9, TimeSpan.Zero),
                7,
                "CN=LiveContract document sealing, O=LiveContract"));

        var panel = Context.Render<SealVerificationResult>(p => p.Add(c => c.Result, result).Add(c => c.FileName, "LC-2026-000042-signed.pdf"));

        var status = panel.Find("[role=status]");
        Assert.Equal("polite", status.GetAttribute("aria-live"));
        Assert.Equal("Sealed and unmodified", status.QuerySelector("h2")!.TextContent.Trim());
        var facts = panel.FindAll("dt").Zip(panel.FindAll("dd"), (term, value) => (term.TextContent.Trim(), value.TextContent.Trim())).ToList();
        Assert.Equal(
            [
                ("File", "LC-2026-000042-signed.pdf"),
                ("Contract", "LC-2026-000042 · Motor insurance"),
                ("Customer", "Łukasz Żółć"),
                ("Advisor", "Victor Advisor"),
                ("Signed by all parties", "2026-11-23 14:02:03 UTC"),
                ("Sealed", "2026-11-23 14:02:09 UTC"),
                ("Pages", "7"),
                ("Sealed with", "CN=LiveContract document sealing, O=LiveContract"),
                ("SHA-256", new string('a', 64)),
            ],
            facts);
    }

    [Fact]
    public void A_modified_PDF_is_shown_as_an_error_without_contract_details()
    {
        var result = new SealVerification(SealVerdict.Modified, "This PDF carries LiveContract's seal, but it was modified after sealing.", new string('b', 64), null);

        var panel = Context.Render<SealVerificationResult>(p => p.Add(c => c.Result, result));

        Assert.Equal("Modified after sealing", panel.Find("h2").TextContent.Trim());
        Assert.Contains("mud-alert-text-error", panel.Find(".mud-alert").ClassName);
        Assert.DoesNotContain(panel.FindAll("dt"), term => term.TextContent.Trim() == "Contract");
    }

    [Theory]
    [InlineData("fr", "Vérifier un PDF signé", "Non scellé par ce système", "Ce PDF n'a pas de signature numérique : ce n'est pas un document scellé par LiveContract.", "Fichier")]
    [InlineData("de", "Unterschriebenes PDF prüfen", "Nicht von diesem System versiegelt", "Dieses PDF hat keine digitale Signatur: Es ist kein von LiveContract versiegeltes Dokument.", "Datei")]
    public void The_page_and_its_verdict_follow_the_request_culture(string language, string title, string heading, string message, string fileTerm)
    {
        using var culture = Languages.Use(language);
        var page = RenderPage<VerifyPage>();
        Assert.Equal(title, page.Find("h1").TextContent.Trim());

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(FixturePdfs.Read("rotated-90.pdf"), "rotated-90.pdf", contentType: "application/pdf"));

        page.WaitForAssertion(() =>
        {
            var status = page.Find("[role=status]");
            Assert.Equal(heading, status.QuerySelector("h2")!.TextContent.Trim());
            Assert.Contains(message, status.TextContent);
            Assert.Equal(fileTerm, status.QuerySelector("dt")!.TextContent.Trim());
        });
    }

    [Theory]
    [InlineData("fr", "Scellé et non modifié", "Signé par toutes les parties", "Scellé avec")]
    [InlineData("de", "Versiegelt und unverändert", "Von allen Parteien unterschrieben", "Versiegelt mit")]
    public void A_sealed_PDFs_facts_are_named_in_the_request_culture(string language, string heading, string signedAt, string sealedWith)
    {
        using var culture = Languages.Use(language);
        var result = new SealVerification(
            SealVerdict.Sealed,
            "—",
            new string('a', 64),
            new SealedContract("LC-2026-000042", "Motor insurance", "Łukasz Żółć", "Victor Advisor", null, new DateTimeOffset(2026, 11, 23, 14, 2, 9, TimeSpan.Zero), 7, "CN=LiveContract"));

        var panel = Context.Render<SealVerificationResult>(p => p.Add(c => c.Result, result));

        Assert.Equal(heading, panel.Find("h2").TextContent.Trim());
        var terms = panel.FindAll("dt").Select(t => t.TextContent.Trim()).ToList();
        Assert.Contains(signedAt, terms);
        Assert.Contains(sealedWith, terms);
    }
}
