using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary><c>POST /api/verify</c> and the <c>/verify</c> page, used by someone who is not logged in.</summary>
public sealed class VerificationApiTests
{
    [Fact]
    public async Task Anyone_learns_whether_a_file_is_a_sealed_pdf_modified_after_sealing_or_not_sealed_by_this_system()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf", "rotated-90.pdf");
        var sealedDocument = (await scenario.Sealing.SealAsync(contract.Id)).Value!;
        var pdf = await scenario.ReadStoredAsync((await scenario.SealedDocumentAsync(contract.Id))!.StorageKey);
        var changed = (byte[])pdf.Clone();
        changed[1000] ^= 0x01;
        var (unsigned, _) = SealedPdfComposer.Compose([FixturePdfs.Read("empty.pdf")], [], SealingTestTools.Certificate([FixturePdfs.Read("empty.pdf")]), SealingTestTools.Fonts);
        var foreign = PdfSealSignature.Sign(unsigned, SealingTestTools.EcdsaCertificate("CN=Someone Else"), new SealSignatureText("Someone Else", "r", "l", "c"), DateTimeOffset.UtcNow);
        using var http = new HttpClient { BaseAddress = scenario.App.BaseAddress };

        var sealedAnswer = await PostFileAsync(http, pdf);
        Assert.Equal("Sealed", sealedAnswer.GetProperty("verdict").GetString());
        Assert.Equal($"This PDF is the unmodified sealed contract {contract.Reference}.", sealedAnswer.GetProperty("message").GetString());
        Assert.Equal(sealedDocument.Sha256, sealedAnswer.GetProperty("sha256").GetString());
        var details = sealedAnswer.GetProperty("contract");
        Assert.Equal(contract.Reference, details.GetProperty("reference").GetString());
        Assert.Equal(contract.Title, details.GetProperty("title").GetString());
        Assert.Equal("Chloé Dupont", details.GetProperty("customerName").GetString());
        Assert.Equal("Victor Advisor", details.GetProperty("advisorName").GetString());
        Assert.Equal(sealedDocument.PageCount, details.GetProperty("pages").GetInt32());
        Assert.Equal(JsonValueKind.String, details.GetProperty("signedAt").ValueKind);

        Assert.Equal("Sealed", (await PostRawAsync(http, pdf)).GetProperty("verdict").GetString());
        Assert.Equal(
            "This PDF carries LiveContract's seal, but it was modified after sealing: its content no longer matches the seal's signature. Do not rely on it; ask for the original.",
            Message(await PostFileAsync(http, changed), "Modified"));
        Assert.Contains("content was added to it after the seal", Message(await PostRawAsync(http, [.. pdf, .. "\n%%EOF\n"u8.ToArray()]), "Modified"));

        // The signature's hex string has room to spare; a change there breaks no signature, but it is not the file that was issued.
        var contentsEnd = Array.IndexOf(pdf, (byte)'>', Encoding.Latin1.GetString(pdf).LastIndexOf("/Contents <", StringComparison.Ordinal));
        var padded = (byte[])pdf.Clone();
        padded[contentsEnd - 2] = (byte)'7';
        Assert.Contains("it is not the file LiveContract issued (its SHA-256 matches no sealed contract)", Message(await PostRawAsync(http, padded), "Modified"));
        Assert.Equal("This PDF has no digital signature: it is not a document sealed by LiveContract.", Message(await PostFileAsync(http, FixturePdfs.Read("rotated-90.pdf")), "NotSealed"));
        Assert.Equal(
            "This PDF is signed with a certificate that is not this LiveContract installation's (CN=Someone Else), so it is not a document sealed by this system.",
            Message(await PostFileAsync(http, foreign), "NotSealed"));
        Assert.Equal("This file is not a PDF, so it is not a document sealed by LiveContract.", Message(await PostFileAsync(http, SignaturePngs.Drawn()), "NotSealed"));
        Assert.Equal("The file is empty.", Message(await PostRawAsync(http, []), "NotSealed"));
    }

    [Fact]
    public async Task A_request_without_a_file_is_refused_and_too_many_requests_from_one_address_get_a_429()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        using var http = new HttpClient { BaseAddress = scenario.App.BaseAddress };

        using var text = await http.PostAsync("api/verify", new StringContent("hello", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        using var emptyForm = await http.PostAsync("api/verify", new MultipartFormDataContent { { new StringContent("x"), "note" } });
        Assert.Equal(HttpStatusCode.BadRequest, emptyForm.StatusCode);
        Assert.Contains("Send the PDF as a file field of multipart/form-data", await emptyForm.Content.ReadAsStringAsync());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 32; i++)
        {
            using var response = await http.PostAsync("api/verify", Raw("not a pdf"u8.ToArray()));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Wait a minute and try again.", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses.TakeWhile(s => s != HttpStatusCode.TooManyRequests), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task The_verification_page_opens_for_a_visitor_who_is_not_logged_in()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        using var client = scenario.App.CreateWebClient();

        using var response = await client.GetAsync("verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1", html);
        Assert.Contains("Verify a signed PDF", html);
        Assert.Contains("aria-label=\"Choose a PDF to verify\"", html);
        Assert.Contains("role=\"status\"", html);
    }

    private static string Message(JsonElement answer, string verdict)
    {
        Assert.Equal(verdict, answer.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("contract").ValueKind);
        return answer.GetProperty("message").GetString()!;
    }

    private static async Task<JsonElement> PostFileAsync(HttpClient http, byte[] file)
    {
        var file1 = new ByteArrayContent(file);
        file1.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { file1, "file", "contract.pdf" } };
        return await ReadAsync(await http.PostAsync("api/verify", form));
    }

    private static async Task<JsonElement> PostRawAsync(HttpClient http, byte[] file) => await ReadAsync(await http.PostAsync("api/verify", Raw(file)));

    private static ByteArrayContent Raw(byte[] file)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
    }
}
