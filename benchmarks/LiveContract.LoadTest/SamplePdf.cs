using System.Globalization;
using System.Text;

namespace LiveContract.LoadTest;

/// <summary>A small valid PDF with numbered pages (Helvetica text, correct cross-reference table), made in memory.</summary>
public static class SamplePdf
{
    public static byte[] Create(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);

        // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Count {pages} /Kids [{string.Join(' ', Enumerable.Range(0, pages).Select(p => $"{4 + (2 * p)} 0 R"))}] >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        for (var p = 1; p <= pages; p++)
        {
            var text = $"BT /F1 48 Tf 72 700 Td (Load test page {p}) Tj ET";
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + (2 * (p - 1))} 0 R >>");
            objects.Add($"<< /Length {text.Length} >>\nstream\n{text}\nendstream");
        }

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
