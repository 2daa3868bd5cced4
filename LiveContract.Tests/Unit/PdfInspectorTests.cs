using LiveContract.Core.Common;
using LiveContract.Core.Documents;
using LiveContract.Core.Pdf;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit;

/// <summary>Every fixture PDF through the inspector, and the usual impostors.</summary>
public sealed class PdfInspectorTests
{
    private static readonly PdfExpansionLimits Limits = new DocumentOptions().ExpansionLimits;

    [Theory]
    [InlineData("motor-insurance-claim-form.pdf", 3)]
    [InlineData("acroform-basic-fields.pdf", 1)]
    [InlineData("single-page-google-drive.pdf", 1)]
    [InlineData("non-latin-acrobat-distiller.pdf", 1)]
    [InlineData("rotated-90.pdf", 1)]
    [InlineData("cjk-type0-font.pdf", 95)]
    [InlineData("arxiv-2108.11480.pdf", 5)]
    [InlineData("icml03-081.pdf", 8)]
    [InlineData("pig-production-handbook.pdf", 86)]
    [InlineData("broken-offsets-google-drive.pdf", 1)]
    [InlineData("invalid-xref-loop.pdf", 1)]
    [InlineData("empty.pdf", 1)]
    public void Readable_fixtures_are_accepted_with_their_page_count(string fixture, int pages)
    {
        using var pdf = File.OpenRead(FixturePdfs.PathOf(fixture));

        var result = PdfInspector.Inspect(pdf, maxPages: 500, Limits);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(pages, result.Value!.PageCount);
    }

    [Theory]
    [InlineData("encrypted-user-password.pdf")]
    [InlineData("encrypted-empty-user-password.pdf")]
    public void Encrypted_pdfs_are_refused(string fixture)
    {
        using var pdf = File.OpenRead(FixturePdfs.PathOf(fixture));

        var result = PdfInspector.Inspect(pdf, maxPages: 500, Limits);

        Assert.Equal("This PDF is protected by a password or encryption. Save a copy without protection and upload that.", result.Error!.Message);
    }

    [Fact]
    public void Too_many_pages_are_refused()
    {
        using var pdf = File.OpenRead(FixturePdfs.PathOf("pig-production-handbook.pdf"));

        var result = PdfInspector.Inspect(pdf, maxPages: 50, Limits);

        Assert.Equal("This PDF has 86 pages; at most 50 are allowed.", result.Error!.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 }, "This file is not a PDF (it is a PNG image). Upload the contract as a PDF.")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "This file is not a PDF (it is a JPEG image). Upload the contract as a PDF.")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0 }, "This file is not a PDF (it is a ZIP archive, perhaps a Word or Excel file). Upload the contract as a PDF.")]
    [InlineData(new byte[] { (byte)'H', (byte)'e', (byte)'l', (byte)'l', (byte)'o', (byte)'\n' }, "This file is not a PDF (it is a text file). Upload the contract as a PDF.")]
    [InlineData(new byte[] { }, "The file is empty.")]
    public void Impostors_are_named(byte[] bytes, string message)
    {
        using var stream = new MemoryStream(bytes);

        Assert.Equal(message, PdfInspector.Inspect(stream, 500, Limits).Error!.Message);
    }

    [Fact]
    public void A_malformed_page_tree_is_refused_as_damaged_rather_than_half_recovered()
    {
        using var pdf = File.OpenRead(FixturePdfs.PathOf("pages-kids-not-page.pdf"));

        var result = PdfInspector.Inspect(pdf, 500, Limits);

        Assert.StartsWith("This PDF is damaged and cannot be read.", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pdf_is_refused_as_damaged()
    {
        var bytes = FixturePdfs.Read("motor-insurance-claim-form.pdf");
        using var truncated = new MemoryStream(bytes[..(bytes.Length / 3)]);

        var result = PdfInspector.Inspect(truncated, 500, Limits);

        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        Assert.StartsWith("This PDF is damaged and cannot be read.", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pdf_header_with_garbage_behind_it_is_refused_as_damaged()
    {
        using var garbage = new MemoryStream("%PDF-1.7\nthis is not really a pdf at all\n%%EOF"u8.ToArray());

        var result = PdfInspector.Inspect(garbage, 500, Limits);

        Assert.StartsWith("This PDF is damaged", result.Error!.Message, StringComparison.Ordinal);
    }
}
