using System.Text;
using LiveContract.Core.Common;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace LiveContract.Core.Pdf;

public sealed record PdfInspection(int PageCount);

/// <summary>
/// Decides whether bytes are a PDF LiveContract can show and seal: a real PDF (not a renamed
/// image), within the expansion limits (checked on the raw bytes before PdfPig decodes anything,
/// then page by page before any page is read), not encrypted, every page readable by PdfPig, within
/// the page limit. Each refusal names the problem in a sentence for the person who uploaded the file.
/// </summary>
public static class PdfInspector
{
    private const int HeaderWindow = 1024;

    public static Outcome<PdfInspection> Inspect(Stream pdf, int maxPages, PdfExpansionLimits limits)
    {
        if (pdf.Length == 0)
        {
            return Invalid("The file is empty.");
        }

        var header = new byte[Math.Min(HeaderWindow, pdf.Length)];
        pdf.Position = 0;
        pdf.ReadExactly(header);
        pdf.Position = 0;
        if (!Encoding.ASCII.GetString(header).Contains("%PDF-", StringComparison.Ordinal))
        {
            return Invalid($"This file is not a PDF{Describe(header)}. Upload the contract as a PDF.");
        }

        if (PdfStreamScan.Check(pdf, limits) is { } expands)
        {
            pdf.Position = 0;
            return expands;
        }

        try
        {
            pdf.Position = 0;

            // Strict parsing: what PdfPig only "recovers" leniently (a malformed page tree, say) is
            // often what pdf.js cannot draw, and a customer must be able to see every page.
            using var document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = false });
            if (document.IsEncrypted)
            {
                return Encrypted();
            }

            var pages = document.NumberOfPages;
            if (pages == 0)
            {
                return Invalid("This PDF has no pages.");
            }

            if (pages > maxPages)
            {
                return Invalid($"This PDF has {pages} pages; at most {maxPages} are allowed.");
            }

            if (PdfPageExpansion.Check(document, limits) is { } pageExpands)
            {
                return pageExpands;
            }

            for (var number = 1; number <= pages; number++)
            {
                document.GetPage(number);
            }

            return new PdfInspection(pages);
        }
        catch (PdfDocumentEncryptedException)
        {
            return Encrypted();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Invalid("This PDF is damaged and cannot be read. Export or print it to PDF again and upload the new file.");
        }
        finally
        {
            pdf.Position = 0;
        }
    }

    /// <summary>
    /// Null when <paramref name="pdf"/> stays within <paramref name="limits"/> (every stream, the
    /// document, each page), otherwise the refusal: the check of <see cref="Inspect"/> alone, for a
    /// document that is already stored (sealing reads nothing beyond these limits). A file PdfPig
    /// cannot open passes here: reading it fails on its own.
    /// </summary>
    public static OperationError? CheckExpansion(Stream pdf, PdfExpansionLimits limits)
    {
        try
        {
            if (PdfStreamScan.Check(pdf, limits) is { } expands)
            {
                return expands;
            }

            pdf.Position = 0;
            using var document = PdfDocument.Open(pdf);
            return PdfPageExpansion.Check(document, limits);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
        finally
        {
            pdf.Position = 0;
        }
    }

    private static OperationError Encrypted() =>
        Invalid("This PDF is protected by a password or encryption. Save a copy without protection and upload that.");

    private static string Describe(byte[] header) => header switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => " (it is a PNG image)",
        [0xFF, 0xD8, 0xFF, ..] => " (it is a JPEG image)",
        [0x47, 0x49, 0x46, 0x38, ..] => " (it is a GIF image)",
        [0x50, 0x4B, 0x03, 0x04, ..] => " (it is a ZIP archive, perhaps a Word or Excel file)",
        [0xD0, 0xCF, 0x11, 0xE0, ..] => " (it is an old Microsoft Office file)",
        _ when header.All(b => b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t') => " (it is a text file)",
        _ => "",
    };

    private static OperationError Invalid(string message) => new(ErrorKind.Invalid, message);
}
