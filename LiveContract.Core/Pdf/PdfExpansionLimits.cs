using System.Globalization;
using LiveContract.Core.Common;

namespace LiveContract.Core.Pdf;

/// <summary>
/// How much a PDF may expand to when read: its streams decompressed and its images decoded. A
/// one-megabyte file can inflate to gigabytes (a "decompression bomb"); these caps bound what the
/// server, and a customer's browser, ever decode for one document.
/// </summary>
/// <param name="MaxStreamBytes">The most one stream may decode to: decompressed bytes, or for an image its pixels (width × height × components × bits per component).</param>
/// <param name="MaxPageBytes">The most one page may decode to: its content streams and every image and form it draws.</param>
/// <param name="MaxDocumentBytes">The most all the document's streams together may decompress to (what the server inflates to read or seal it).</param>
/// <param name="MaxPageContentTokens">
/// The most tokens (numbers, names, operators) one page's content and forms may hold: reading a
/// page, PdfPig makes objects of every one (about 70 bytes each), so a few megabytes of dense
/// drawing instructions cost it gigabytes.
/// </param>
public sealed record PdfExpansionLimits(long MaxStreamBytes, long MaxPageBytes, long MaxDocumentBytes, long MaxPageContentTokens)
{
    private const string Advice = "Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.";

    internal OperationError StreamTooLarge() =>
        Refused($"This PDF has a part that expands to more than {Megabytes(MaxStreamBytes)} when decompressed, the most one part may have. {Advice}");

    internal OperationError ImageTooLarge(long width, long height) =>
        Refused(string.Create(CultureInfo.InvariantCulture, $"This PDF has an image of {width:N0} × {height:N0} pixels, more than {Megabytes(MaxStreamBytes)} when decoded, the most one image may have. {Advice}"));

    internal OperationError PageTooLarge(int page) =>
        Refused($"Page {page} of this PDF expands to more than {Megabytes(MaxPageBytes)} when decompressed, the most one page may have. {Advice}");

    internal OperationError PageTooComplex(int page) =>
        Refused(string.Create(CultureInfo.InvariantCulture, $"Page {page} of this PDF has more than {MaxPageContentTokens:N0} drawing instructions, more than one page may have. {Advice}"));

    internal OperationError DocumentTooLarge() =>
        Refused($"This PDF expands to more than {Megabytes(MaxDocumentBytes)} when decompressed, the most a document may have. Split it into smaller documents or {char.ToLowerInvariant(Advice[0])}{Advice[1..]}");

    internal static OperationError Uncheckable() =>
        Refused("This PDF names its compression in an unusual indirect way, so its size when decompressed cannot be checked safely. Export or print it to PDF again and upload the new file.");

    internal static OperationError TooComplex() =>
        Refused("This PDF is built in a way that makes its size when decompressed too costly to check. Export or print it to PDF again and upload the new file.");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):N0} MB");

    private static OperationError Refused(string message) => new(ErrorKind.Invalid, message);
}
