using System.Globalization;
using UglyToad.PdfPig.Actions;
using UglyToad.PdfPig.Annotations;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Writes a <see cref="CertificateOfCompletion"/> as A4 pages at the end of a PDF being built. The
/// content is laid out first (long text wraps, long lists flow onto further pages, a signature's
/// image and name stay together), then drawn, so every page's footer can say "page i of n".
/// Times are UTC. Text in any script is drawn in runs, each with a font that has its glyphs.
/// </summary>
internal sealed class CertificateOfCompletionWriter
{
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double Margin = 56;
    private const double Top = PageHeight - 60;
    private const double Bottom = 64;
    private const double LabelWidth = 128;
    private const double ValueX = Margin + LabelWidth;
    private const double ValueWidth = PageWidth - Margin - ValueX;
    private const double ContentWidth = PageWidth - (2 * Margin);
    private const double BodySize = 9.5;
    private const double SmallSize = 8;
    private const double LineGap = 1.35;
    private const double ImageMaxWidth = 200;
    private const double ImageMaxHeight = 72;

    private static readonly (byte R, byte G, byte B) Ink = (0x1A, 0x1A, 0x1A);
    private static readonly (byte R, byte G, byte B) Muted = (0x5F, 0x63, 0x68);
    private static readonly (byte R, byte G, byte B) Accent = (0x0B, 0x4F, 0x8C);

    private readonly CertificateFonts fonts;
    private readonly CertificateFonts.DocumentFonts documentFonts;
    private readonly List<List<Operation>> pages = [];
    private double y;

    private CertificateOfCompletionWriter(CertificateFonts fonts, CertificateFonts.DocumentFonts documentFonts)
    {
        this.fonts = fonts;
        this.documentFonts = documentFonts;
    }

    private List<Operation> Page => pages[^1];

    /// <summary>
    /// Adds the certificate's pages to <paramref name="builder"/>, drawing with the fonts already
    /// added to it (<paramref name="documentFonts"/>); returns how many.
    /// </summary>
    public static int AddPages(PdfDocumentBuilder builder, CertificateOfCompletion certificate, CertificateFonts fonts, CertificateFonts.DocumentFonts documentFonts)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(fonts);
        ArgumentNullException.ThrowIfNull(documentFonts);
        var writer = new CertificateOfCompletionWriter(fonts, documentFonts);
        writer.Lay(certificate);
        writer.Draw(builder, certificate);
        return writer.pages.Count;
    }

    /// <summary>A UTC time as the certificate writes it: <c>2026-11-23 14:02:03 UTC</c>.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private void Lay(CertificateOfCompletion c)
    {
        NewPage();
        Line(Margin, 20, "Certificate of completion", Accent);
        Space(4);
        Wrapped(Margin, ContentWidth, 12, $"{c.Reference} · {c.Title}", Ink);
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            "This certificate is part of the sealed PDF of the contract. The documents before it are the documents as the parties reviewed "
            + "and signed them. The whole file carries the digital seal of LiveContract: any change to it after sealing breaks the seal.",
            Muted);

        Section("Contract");
        Field("Reference", c.Reference);
        Field("Title", c.Title);
        Field("Contract id", c.ContractId.ToString("D"));
        Field("Signed by all parties", c.SignedAt is { } signed ? Time(signed) : "—");
        Field("Sealed", Time(c.SealedAt));

        Section("Parties");
        Field("Customer", $"{c.Customer.Name} <{c.Customer.Email}>");
        Field("Advisor", $"{c.Advisor.Name} <{c.Advisor.Email}>");

        Section("Signatures");
        foreach (var signature in c.Signatures)
        {
            SignatureBlock(signature);
        }

        Section("Documents");
        Wrapped(Margin, ContentWidth, BodySize, "Each document as it was reviewed and signed, in this order before this certificate:", Muted);
        Space(2);
        for (var i = 0; i < c.Documents.Count; i++)
        {
            var document = c.Documents[i];
            var pagesText = document.Pages == 1 ? "1 page" : string.Create(CultureInfo.InvariantCulture, $"{document.Pages} pages");
            Field(string.Create(CultureInfo.InvariantCulture, $"Document {i + 1}"), $"{document.FileName} ({pagesText})");
            Field("SHA-256", document.Sha256, SmallSize);
            Space(3);
        }

        if (c.Fields.Count > 0)
        {
            FieldsSection(c.Fields);
        }

        Section("Timeline");
        if (c.Timeline.Count == 0)
        {
            Wrapped(Margin, ContentWidth, BodySize, "No events were recorded.", Muted);
        }

        foreach (var entry in c.Timeline)
        {
            Field(Time(entry.At), entry.Summary, SmallSize);
        }

        Section("Audit trail");
        Field("Events", c.AuditChain.Events.ToString(CultureInfo.InvariantCulture));
        Field("Head hash (SHA-256)", c.AuditChain.HeadHash.Length == 0 ? "—" : c.AuditChain.HeadHash, SmallSize);
        Field("Chain", c.AuditChain.Problem is { } problem ? $"Does not verify: {problem}" : "Verified: every event is linked to the one before it.");

        Section("Verification");
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            "Upload this PDF on the verification page to check that it is an unmodified document sealed by LiveContract, "
            + "or check its digital signature with any PDF reader (for example: pdfsig file.pdf).",
            Ink);
        Space(2);
        Need(2 * BodySize * LineGap);
        var linkTop = y;
        Field("Verification page", c.VerificationUrl);
        Page.Add(new Link(c.VerificationUrl, new PdfRectangle(ValueX, y - 3, PageWidth - Margin, linkTop)));
        Field("Seal certificate", c.SealCertificateSubject);
        Field("Fingerprint (SHA-256)", c.SealCertificateThumbprint, SmallSize);
    }

    private void SignatureBlock(CertificateSignature signature)
    {
        var (width, height) = PngImages.Fit(signature.Image, ImageMaxWidth, ImageMaxHeight);
        var header = 14 * LineGap;

        // The role, name and drawn image start on one page together.
        Need(header + height + 8 + (3 * BodySize * LineGap));
        Line(Margin, 11, $"{signature.Role}: {signature.FullName}", Ink);
        Space(2);
        if (width > 0)
        {
            Page.Add(new Image(signature.Image, new PdfRectangle(ValueX, y - height, ValueX + width, y)));
            y -= height;
        }
        else
        {
            Wrapped(ValueX, ValueWidth, BodySize, "(the drawn signature could not be read)", Muted);
        }

        Page.Add(new Rule(new PdfPoint(ValueX, y - 2), new PdfPoint(ValueX + ImageMaxWidth, y - 2), 0.5, Muted));
        Space(8);
        Field("Typed name", signature.FullName);
        Field("Email", signature.Email);
        Field("Signed (UTC)", Time(signature.SignedAt));
        Field("IP address", signature.IpAddress ?? "—");
        Field("Browser", signature.UserAgent ?? "—");
        if (signature.IdentityCheck is { } identityCheck)
        {
            Field("Identity check", identityCheck);
        }

        Field("Consent text SHA-256", signature.ConsentSha256, SmallSize);
        if (signature.FieldValuesSha256 is { } fieldValues)
        {
            Field("Field values SHA-256", fieldValues, SmallSize);
        }

        Space(8);
    }

    /// <summary>Each field: its label and value, then where it is, whose it is and who set it when.</summary>
    private void FieldsSection(IReadOnlyList<CertificateField> fields)
    {
        Section("Fields");
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            "Every field of the documents with its value as it is printed on its page (— when left empty), the party who fills it in, "
            + "and who set the value and when. Each signature's field values SHA-256 above covers these values as they were when it was given.",
            Muted);
        Space(2);
        foreach (var field in fields)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{field.Document}, page {field.Page} · {field.Party}'s field");
            var who = field switch
            {
                { SetBy: { } name, SetAt: { } at } => $" · set by {name}, {Time(at)}",
                { SetBy: { } name } => $" · set by {name}",
                _ => "",
            };
            Need((BodySize + SmallSize) * LineGap);
            Field(field.Label, field.Value);
            Field("", where + who, SmallSize);
            Space(3);
        }
    }

    private void Section(string title)
    {
        Need((13 * LineGap) + 10 + (2 * BodySize * LineGap));
        Space(10);
        Line(Margin, 13, title, Accent);
        Page.Add(new Rule(new PdfPoint(Margin, y - 4), new PdfPoint(PageWidth - Margin, y - 4), 0.6, Accent));
        Space(7);
    }

    /// <summary>A label and its value, the value wrapped in its column; the label muted.</summary>
    private void Field(string label, string value, double size = BodySize)
    {
        var labelLines = fonts.Wrap(label, LabelWidth - 8, SmallSize);
        var valueLines = fonts.Wrap(value, ValueWidth, size);
        var lineHeight = size * LineGap;
        for (var i = 0; i < Math.Max(labelLines.Count, valueLines.Count); i++)
        {
            Need(lineHeight);
            y -= lineHeight;
            if (i < labelLines.Count)
            {
                Page.Add(new Text(Margin, y, SmallSize, labelLines[i], Muted));
            }

            if (i < valueLines.Count)
            {
                Page.Add(new Text(ValueX, y, size, valueLines[i], Ink));
            }
        }
    }

    private void Wrapped(double x, double width, double size, string text, (byte, byte, byte) color)
    {
        foreach (var line in fonts.Wrap(text, width, size))
        {
            Line(x, size, line, color);
        }
    }

    private void Line(double x, double size, string text, (byte, byte, byte) color)
    {
        Need(size * LineGap);
        y -= size * LineGap;
        Page.Add(new Text(x, y, size, fonts.Drawable(text), color));
    }

    private void Space(double points) => y -= points;

    /// <summary>Starts a new page unless <paramref name="height"/> more points fit above the bottom margin.</summary>
    private void Need(double height)
    {
        if (y - height < Bottom)
        {
            NewPage();
        }
    }

    private void NewPage()
    {
        pages.Add([]);
        y = Top;
    }

    private void Draw(PdfDocumentBuilder builder, CertificateOfCompletion certificate)
    {
        for (var index = 0; index < pages.Count; index++)
        {
            var page = builder.AddPage(PageSize.A4);
            foreach (var operation in pages[index])
            {
                DrawOperation(page, operation);
            }

            var footer = string.Create(CultureInfo.InvariantCulture, $"Certificate of completion · {certificate.Reference} · page {index + 1} of {pages.Count}");
            DrawOperation(page, new Rule(new PdfPoint(Margin, 44), new PdfPoint(PageWidth - Margin, 44), 0.4, Muted));
            DrawOperation(page, new Text(Margin, 32, SmallSize, fonts.Drawable(footer), Muted));
        }
    }

    private void DrawOperation(PdfPageBuilder page, Operation operation)
    {
        switch (operation)
        {
            case Text text:
                page.SetTextAndFillColor(text.Color.R, text.Color.G, text.Color.B);
                documentFonts.Draw(page, text.Value, text.Size, new PdfPoint(text.X, text.Y));
                page.ResetColor();
                break;
            case Image image:
                try
                {
                    page.AddPng(image.Png, image.Area);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A PNG header over data PdfPig cannot decode: say so where the image would be.
                    DrawOperation(page, new Text(image.Area.Left, image.Area.Bottom + 4, BodySize, "(the drawn signature could not be read)", Muted));
                }

                break;
            case Rule rule:
                page.SetStrokeColor(rule.Color.R, rule.Color.G, rule.Color.B);
                page.DrawLine(rule.From, rule.To, rule.Width);
                page.ResetColor();
                break;
            case Link link:
                page.AddLink(new LinkAnnotation(new UriAction(link.Url), link.Area, new AnnotationBorder(0, 0, 0, null)));
                break;
        }
    }

    private abstract record Operation;

    private sealed record Text(double X, double Y, double Size, string Value, (byte R, byte G, byte B) Color) : Operation;

    private sealed record Image(byte[] Png, PdfRectangle Area) : Operation;

    private sealed record Rule(PdfPoint From, PdfPoint To, double Width, (byte R, byte G, byte B) Color) : Operation;

    private sealed record Link(string Url, PdfRectangle Area) : Operation;
}
