using LiveContract.Core.Pdf;

namespace LiveContract.Core.Documents;

/// <summary>Limits and lifetimes for documents.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>Largest upload in bytes (default 50 MB), enforced while the file streams in.</summary>
    public long MaxUploadBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Most pages a document may have.</summary>
    public int MaxPages { get; set; } = 500;

    /// <summary>
    /// The most one stream of a PDF may decompress to, or one image decode to (default 64 MB: a
    /// colour A4 page scanned at 300 dpi is about 26 MB, an A3 one about 52 MB).
    /// </summary>
    public long MaxDecodedStreamBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most one page may decode to: its content and every image and form it draws (default 128 MB).</summary>
    public long MaxDecodedPageBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// The most all of a PDF's streams may decompress to together (default 256 MB): what the server
    /// inflates to read or seal it. JPEG and other image codecs count by their pixels per image and
    /// per page (a viewer decodes them page by page), not here: the server never decodes them.
    /// </summary>
    public long MaxDecodedDocumentBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// The most tokens (numbers, names, operators) one page's content may hold (default 1,000,000):
    /// PdfPig makes objects of every one when it reads the page, about 70 bytes each, so this keeps
    /// reading one page under about 100 MB. A page of text holds some thousands.
    /// </summary>
    public long MaxPageContentTokens { get; set; } = 1_000_000;

    /// <summary>The expansion caps as the PDF checks take them.</summary>
    public PdfExpansionLimits ExpansionLimits => new(MaxDecodedStreamBytes, MaxDecodedPageBytes, MaxDecodedDocumentBytes, MaxPageContentTokens);

    /// <summary>What a person is told when a file is over <see cref="MaxUploadBytes"/>.</summary>
    public string TooLargeMessage => $"The file is larger than {MaxUploadBytes / (1024 * 1024)} MB, the most a document may have.";

    /// <summary>How long a signed link to a document's bytes stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
