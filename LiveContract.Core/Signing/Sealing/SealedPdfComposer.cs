using UglyToad.PdfPig;
using UglyToad.PdfPig.Actions;
using UglyToad.PdfPig.Annotations;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Puts a sealed PDF together, before its signature: every page of the contract's documents in
/// order with the fields' values printed on them (see <see cref="SealedFieldPrinter"/>), then the
/// certificate of completion, with the contract's reference and id in the document information.
/// The documents' own forms are flattened: a page with form fields is copied without its widget
/// annotations (PdfPig copies a page's annotations all or none, so such a page keeps only its web
/// links), and the sealed PDF's catalog has no form of its own, so nothing in it can be filled in.
/// </summary>
internal static class SealedPdfComposer
{
    /// <summary>
    /// The PDF (unsigned) and its page count. Each of <paramref name="fields"/> is printed on the
    /// page of the document it names (an index into <paramref name="documents"/>); a field on a page
    /// the document does not have is not printed.
    /// </summary>
    public static (byte[] Pdf, int Pages) Compose(
        IReadOnlyList<byte[]> documents,
        IReadOnlyList<BurnedField> fields,
        CertificateOfCompletion certificate,
        CertificateFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(fonts);
        var onPage = fields.ToLookup(field => (field.Document, field.Page));
        var opened = new List<PdfDocument>();
        try
        {
            using var builder = new PdfDocumentBuilder();
            var documentFonts = fonts.For(builder);
            var pages = 0;
            for (var index = 0; index < documents.Count; index++)
            {
                var document = PdfDocument.Open(documents[index]);
                opened.Add(document);
                for (var number = 1; number <= document.NumberOfPages; number++)
                {
                    var source = document.GetPage(number);
                    var page = CopyPage(builder, document, source);
                    SealedFieldPrinter.Print(page, source, [.. onPage[(index, number)]], fonts, documentFonts);
                    pages++;
                }
            }

            pages += CertificateOfCompletionWriter.AddPages(builder, certificate, fonts, documentFonts);
            var information = builder.DocumentInformation;
            information.Title = $"{certificate.Reference} {certificate.Title}";
            information.Subject = $"Contract {certificate.Reference}, signed by all parties and sealed by LiveContract";
            information.Keywords = $"LiveContract; {certificate.Reference}; contract {certificate.ContractId:D}";
            information.Creator = "LiveContract";
            information.Producer = "LiveContract (PdfPig)";
            information.CreationDate = PdfSealSignature.PdfDate(certificate.SealedAt);
            information.CustomMetadata[SealedPdfInformation.ContractId] = certificate.ContractId.ToString("D");
            information.CustomMetadata[SealedPdfInformation.Reference] = certificate.Reference;
            return (builder.Build(), pages);
        }
        finally
        {
            foreach (var document in opened)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Copies the page; one with form fields loses its annotations but for its web links, which are added again.</summary>
    private static PdfPageBuilder CopyPage(PdfDocumentBuilder builder, PdfDocument document, Page source)
    {
        var annotations = source.GetAnnotations().ToList();
        if (annotations.All(a => a.Type != AnnotationType.Widget))
        {
            return builder.AddPage(document, source.Number);
        }

        var page = builder.AddPage(document, source.Number, new PdfDocumentBuilder.AddPageOptions { KeepAnnotations = false });
        foreach (var link in annotations.Where(a => a.Type == AnnotationType.Link))
        {
            if (link.Action is UriAction uri)
            {
                page.AddLink(new LinkAnnotation(uri, link.Rectangle, link.Border));
            }
        }

        return page;
    }
}

/// <summary>The custom entries of a sealed PDF's document information dictionary.</summary>
public static class SealedPdfInformation
{
    public const string ContractId = "LiveContractContractId";
    public const string Reference = "LiveContractReference";
}
