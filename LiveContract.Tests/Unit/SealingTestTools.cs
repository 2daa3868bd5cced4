using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit;

/// <summary>
/// What the sealing tests share: poppler-utils' <c>pdfsig</c>, <c>pdftotext</c> and <c>pdfinfo</c>
/// run on real files (installed by <c>./test.sh</c>), sealing certificates made the way
/// LiveContract makes them, and a certificate of completion full of awkward content.
/// </summary>
public static class SealingTestTools
{
    /// <summary>The fonts the app uses by default.</summary>
    public static CertificateFonts Fonts { get; } = CertificateFonts.Load(new SealingOptions());

    /// <summary>A self-signed ECDSA P-256 sealing certificate, as <see cref="SealingCertificateStore"/> makes one.</summary>
    public static SealingCertificate EcdsaCertificate(string subject = "CN=LiveContract document sealing, O=LiveContract")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return new SealingCertificate(X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null), []);
    }

    /// <summary>The text of the PDF's pages, from <paramref name="firstPage"/> on, as <c>pdftotext</c> reads it.</summary>
    public static Task<string> PdfToTextAsync(byte[] pdf, int firstPage = 1) =>
        RunAsync("pdftotext", pdf, "-f", firstPage.ToString(System.Globalization.CultureInfo.InvariantCulture), "-enc", "UTF-8", "{file}", "-");

    /// <summary>The text of one page, as <c>pdftotext</c> reads it.</summary>
    public static Task<string> PageTextAsync(byte[] pdf, int page)
    {
        var number = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RunAsync("pdftotext", pdf, "-f", number, "-l", number, "-enc", "UTF-8", "{file}", "-");
    }

    /// <summary>
    /// The words of one page with their boxes, as <c>pdftotext -bbox</c> reads them: in points, from
    /// the top-left corner of the page's unrotated box (y grows downwards).
    /// </summary>
    public static async Task<IReadOnlyList<PdfWord>> WordsAsync(byte[] pdf, int page)
    {
        var number = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var html = await RunAsync("pdftotext", pdf, "-bbox", "-f", number, "-l", number, "-enc", "UTF-8", "{file}", "-");
        return System.Text.RegularExpressions.Regex.Matches(html, "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>")
            .Select(m => new PdfWord(
                System.Net.WebUtility.HtmlDecode(m.Groups[5].Value),
                Number(m.Groups[1].Value),
                Number(m.Groups[2].Value),
                Number(m.Groups[3].Value),
                Number(m.Groups[4].Value)))
            .ToList();

        static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What <c>pdfsig</c> says about the file (it exits 0 even when a signature is invalid: read the text).</summary>
    public static Task<string> PdfSigAsync(byte[] pdf) => RunAsync("pdfsig", pdf, "{file}");

    /// <summary>What <c>pdfinfo</c> says about the file, with each page's size and rotation.</summary>
    public static Task<string> PdfInfoAsync(byte[] pdf) => RunAsync("pdfinfo", pdf, "-f", "1", "-l", "9999", "{file}");

    /// <summary>Several real fixture PDFs, one of them with a page rotated by 90°.</summary>
    public static IReadOnlyList<byte[]> FixtureDocuments(params string[] names) =>
        (names.Length == 0 ? ["motor-insurance-claim-form.pdf", "rotated-90.pdf", "acroform-basic-fields.pdf", "non-latin-acrobat-distiller.pdf"] : names)
            .Select(FixturePdfs.Read)
            .ToList();

    /// <summary>A certificate of completion with non-ASCII names, long values and <paramref name="events"/> timeline entries.</summary>
    public static CertificateOfCompletion Certificate(IReadOnlyList<byte[]> documents, int events = 12)
    {
        var signedAt = new DateTimeOffset(2026, 11, 23, 14, 2, 3, TimeSpan.Zero);
        return new CertificateOfCompletion(
            Guid.Parse("0b6f6a7e-2c4d-4d1e-9a51-2f0e3c4b5a69"),
            "LC-2026-000042",
            "Motor insurance for Łukasz Żółć",
            new CertificateParty("Łukasz Żółć", "lukasz@example.com"),
            new CertificateParty("Jürgen Weiß", "juergen@example.com"),
            signedAt.AddSeconds(30),
            signedAt.AddMinutes(1),
            [
                new CertificateSignature(
                    "Customer",
                    "Łukasz Żółć",
                    "lukasz@example.com",
                    signedAt,
                    "192.0.2.44",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
                    "c0ffee0000000000000000000000000000000000000000000000000000c0ffee",
                    SignaturePngs.Drawn()),
                new CertificateSignature(
                    "Advisor",
                    "Jürgen Weiß",
                    "juergen@example.com",
                    signedAt.AddSeconds(30),
                    "2001:db8::7",
                    null,
                    "c0ffee0000000000000000000000000000000000000000000000000000c0ffee",
                    SignaturePngs.Drawn()),
            ],
            documents.Select((d, i) => new CertificateDocument($"document-{i + 1}.pdf", PageCount(d), Convert.ToHexStringLower(SHA256.HashData(d)))).ToList(),
            [],
            Enumerable.Range(1, events)
                .Select(i => new CertificateEvent(signedAt.AddMinutes(-events + i), $"Timeline event number {i} · Łukasz Żółć (Customer, 192.0.2.44)"))
                .ToList(),
            new CertificateAuditChain(events, "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", null),
            "https://contracts.example.com/verify",
            "CN=LiveContract document sealing, O=LiveContract",
            "feedface00000000000000000000000000000000000000000000000000feedface");
    }

    private static int PageCount(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return document.NumberOfPages;
    }

    private static async Task<string> RunAsync(string tool, byte[] pdf, params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"livecontract-sealing-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool, arguments.Select(a => a == "{file}" ? path : a))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"{tool} (Debian package poppler-utils) is not installed; run the tests with ./test.sh, which installs it.", e);
            }

            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                return await output + await error;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>A word <c>pdftotext -bbox</c> found: its text and box (points from the page's top-left corner, y downwards).</summary>
public sealed record PdfWord(string Text, double XMin, double YMin, double XMax, double YMax);
