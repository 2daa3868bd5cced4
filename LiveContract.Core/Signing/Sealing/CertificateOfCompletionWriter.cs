using System.Globalization;
using LiveContract.Core.Localization;
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
        using (Languages.Use(certificate.Language))
        {
            writer.Lay(certificate);
            writer.Draw(builder, certificate);
        }

        return writer.pages.Count;
    }

    /// <summary>A UTC time as the certificate writes it: <c>2026-11-23 14:02:03 UTC</c>.</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private void Lay(CertificateOfCompletion c)
    {
        NewPage();
        Line(Margin, 20, L("Certificate.Title"), Accent);
        Space(4);
        Wrapped(Margin, ContentWidth, 12, $"{c.Reference} · {c.Title}", Ink);
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            L("Certificate.Intro"),
            Muted);

        Section(L("Certificate.Contract"));
        Field(L("Certificate.Reference"), c.Reference);
        Field(L("Certificate.ContractTitle"), c.Title);
        Field(L("Certificate.ContractId"), c.ContractId.ToString("D"));
        Field(L("Certificate.SignedByAll"), c.SignedAt is { } signed ? Time(signed) : "—");
        Field(L("Certificate.Sealed"), Time(c.SealedAt));

        Section(L("Certificate.Parties"));
        Field(L("Certificate.Customer"), $"{c.Customer.Name} <{c.Customer.Email}>");
        Field(L("Certificate.Advisor"), $"{c.Advisor.Name} <{c.Advisor.Email}>");

        Section(L("Certificate.Signatures"));
        foreach (var signature in c.Signatures)
        {
            SignatureBlock(signature);
        }

        Section(L("Certificate.Documents"));
        Wrapped(Margin, ContentWidth, BodySize, L("Certificate.DocumentsIntro"), Muted);
        Space(2);
        for (var i = 0; i < c.Documents.Count; i++)
        {
            var document = c.Documents[i];
            var pagesText = document.Pages == 1 ? L("Certificate.OnePage") : L("Certificate.Pages", document.Pages);
            Field(L("Certificate.Document", i + 1), $"{document.FileName} ({pagesText})");
            Field("SHA-256", document.Sha256, SmallSize);
            Space(3);
        }

        if (c.Fields.Count > 0)
        {
            FieldsSection(c.Fields);
        }

        Section(L("Certificate.Timeline"));
        if (c.Timeline.Count == 0)
        {
            Wrapped(Margin, ContentWidth, BodySize, L("Certificate.NoEvents"), Muted);
        }

        foreach (var entry in c.Timeline)
        {
            Field(Time(entry.At), entry.Summary, SmallSize);
        }

        Section(L("Certificate.AuditTrail"));
        Field(L("Certificate.Events"), c.AuditChain.Events.ToString(CultureInfo.InvariantCulture));
        Field(L("Certificate.HeadHash"), c.AuditChain.HeadHash.Length == 0 ? "—" : c.AuditChain.HeadHash, SmallSize);
        Field(L("Certificate.Chain"), c.AuditChain.Problem is { } problem ? L("Certificate.ChainBroken", problem) : L("Certificate.ChainVerified"));

        Section(L("Certificate.Verification"));
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            L("Certificate.VerificationIntro"),
            Ink);
        Space(2);
        Need(2 * BodySize * LineGap);
        var linkTop = y;
        Field(L("Certificate.VerificationPage"), c.VerificationUrl);
        Page.Add(new Link(c.VerificationUrl, new PdfRectangle(ValueX, y - 3, PageWidth - Margin, linkTop)));
        Field(L("Certificate.SealCertificate"), c.SealCertificateSubject);
        Field(L("Certificate.Fingerprint"), c.SealCertificateThumbprint, SmallSize);
    }

    private void SignatureBlock(CertificateSignature signature)
    {
        var (width, height) = PngImages.Fit(signature.Image, ImageMaxWidth, ImageMaxHeight);
        var header = 14 * LineGap;

        // The role, name and drawn image start on one page together.
        Need(header + height + 8 + (3 * BodySize * LineGap));
        Line(Margin, 11, $"{Party(signature.Role)}: {signature.FullName}", Ink);
        Space(2);
        if (width > 0)
        {
            Page.Add(new Image(signature.Image, new PdfRectangle(ValueX, y - height, ValueX + width, y)));
            y -= height;
        }
        else
        {
            Wrapped(ValueX, ValueWidth, BodySize, L("Certificate.Unreadable"), Muted);
        }

        Page.Add(new Rule(new PdfPoint(ValueX, y - 2), new PdfPoint(ValueX + ImageMaxWidth, y - 2), 0.5, Muted));
        Space(8);
        Field(L("Certificate.TypedName"), signature.FullName);
        Field(L("Certificate.Email"), signature.Email);
        Field(L("Certificate.SignedUtc"), Time(signature.SignedAt));
        Field(L("Certificate.IpAddress"), signature.IpAddress ?? "—");
        Field(L("Certificate.Browser"), signature.UserAgent ?? "—");
        if (signature.IdentityCheck is { } identityCheck)
        {
            Field(L("Certificate.IdentityCheck"), identityCheck);
        }

        Field(L("Certificate.ConsentHash"), signature.ConsentSha256, SmallSize);
        if (signature.FieldValuesSha256 is { } fieldValues)
        {
            Field(L("Certificate.FieldValuesHash"), fieldValues, SmallSize);
        }

        Space(8);
    }

    /// <summary>Each field: its label and value, then where it is, whose it is and who set it when.</summary>
    private void FieldsSection(IReadOnlyList<CertificateField> fields)
    {
        Section(L("Certificate.Fields"));
        Wrapped(
            Margin,
            ContentWidth,
            BodySize,
            L("Certificate.FieldsIntro"),
            Muted);
        Space(2);
        foreach (var field in fields)
        {
            var where = L("Certificate.FieldWhere", field.Document, field.Page, Party(field.Party));
            var who = field switch
            {
                { SetBy: { } name, SetAt: { } at } => L("Certificate.SetByAt", name, Time(at)),
                { SetBy: { } name } => L("Certificate.SetBy", name),
                _ => "",
            };
            Need((BodySize + SmallSize) * LineGap);
            Field(field.Label, field.Value);
            Field("", where + who, SmallSize);
            Space(3);
        }
    }

    /// <summary>A label in the certificate's language (the current culture while the certificate is laid out and drawn).</summary>
    private static string L(string key, params object[] arguments) => CustomerText.Standalone[key, arguments].Value;

    /// <summary>A party's name ("Customer", "Advisor" as stored) in the certificate's language.</summary>
    private static string Party(string role) => role switch
    {
        "Customer" => L("Certificate.Customer"),
        "Advisor" => L("Certificate.Advisor"),
        _ => role,
    };

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

            var footer = L("Certificate.Footer", certificate.Reference, index + 1, pages.Count);
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
                    DrawOperation(page, new Text(image.Area.Left, image.Area.Bottom + 4, BodySize, L("Certificate.Unreadable"), Muted));
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
