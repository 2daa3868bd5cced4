using UglyToad.PdfPig;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Puts a sealed PDF together, before its signature: every page of the contract's documents in
/// order, copied as they are (nothing is drawn on them), then the certificate of completion, with
/// the contract's reference and id in the document information.
/// </summary>
internal static class SealedPdfComposer
{
    /// <summary>The PDF (unsigned) and its page count.</summary>
    public static (byte[] Pdf, int Pages) Compose(IReadOnlyList<byte[]> documents, CertificateOfCompletion certificate, CertificateFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(certificate);
        var opened = new List<PdfDocument>();
        try
        {
            using var builder = new PdfDocumentBuilder();
            var pages = 0;
            foreach (var bytes in documents)
            {
                var document = PdfDocument.Open(bytes);
                opened.Add(document);
                for (var number = 1; number <= document.NumberOfPages; number++)
                {
                    builder.AddPage(document, number);
                    pages++;
                }
            }

            pages += CertificateOfCompletionWriter.AddPages(builder, certificate, fonts);
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
}

/// <summary>The custom entries of a sealed PDF's document information dictionary.</summary>
public static class SealedPdfInformation
{
    public const string ContractId = "LiveContractContractId";
    public const string Reference = "LiveContractReference";
}
