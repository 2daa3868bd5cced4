using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveContract.LoadTest;

/// <summary>
/// What the load test needs of the app's REST API, as the advisor with a personal API token;
/// <paramref name="anyCertificate"/> accepts a self-signed certificate (the local cluster's).
/// </summary>
public sealed class LiveContractApi(Uri baseAddress, string apiToken, bool anyCertificate = false) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 16,
        SslOptions = anyCertificate ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true } : new(),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiToken) },
    };

    /// <summary>
    /// Creates a Draft contract with one PDF and starts its live session. With
    /// <paramref name="customerFields"/> above 0 it first places that many single-line text fields
    /// for the customer on the first page and sends the contract for review, so the customer can
    /// fill them in the session. With <paramref name="inReview"/> it sends the contract for review
    /// in any case, so the customer (its only signer) can sign in the session.
    /// </summary>
    public async Task<StartedSession> CreateSessionAsync(int number, byte[] pdf, int customerFields, CancellationToken cancellationToken, bool inReview = false)
    {
        var contract = await SendAsync(
            HttpMethod.Post,
            "api/contracts",
            JsonContent.Create(new { title = $"Load test contract {number}", customerName = $"Customer {number}", customerEmail = $"customer{number}@loadtest.example", advisorMustSign = false }),
            cancellationToken);
        var contractId = contract.GetProperty("id").GetGuid();

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "files", "load-test.pdf");
        var uploaded = await SendAsync(HttpMethod.Post, $"api/contracts/{contractId}/documents", form, cancellationToken);
        var fieldIds = new List<Guid>();
        if (customerFields > 0)
        {
            var documentId = uploaded[0].GetProperty("id").GetGuid();
            for (var i = 0; i < customerFields; i++)
            {
                var field = await SendAsync(
                    HttpMethod.Post,
                    $"api/contracts/{contractId}/fields",
                    JsonContent.Create(new
                    {
                        documentId,
                        page = 1,
                        box = new { left = 72, bottom = 600 - (i * 40), width = 360, height = 24 },
                        kind = "Text",
                        label = $"Customer line {i + 1}",
                        party = "Customer",
                        required = true,
                    }),
                    cancellationToken);
                fieldIds.Add(field.GetProperty("id").GetGuid());
            }
        }

        if (customerFields > 0 || inReview)
        {
            await SendAsync(HttpMethod.Patch, $"api/contracts/{contractId}", JsonContent.Create(new { status = "Review" }), cancellationToken);
        }

        var session = await SendAsync(HttpMethod.Post, $"api/contracts/{contractId}/session", null, cancellationToken);
        var customerLink = session.GetProperty("customerLink").GetString()!;
        var marker = customerLink.LastIndexOf("/join/", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new InvalidOperationException($"The customer link '{customerLink}' has no /join/ part, so the customer's token cannot be taken from it.");
        }

        return new StartedSession(
            contractId,
            session.GetProperty("sessionId").GetGuid(),
            new Uri(baseAddress, session.GetProperty("hubUrl").GetString()!),
            customerLink,
            customerLink[(marker + "/join/".Length)..],
            fieldIds);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} /{path} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A live session as the REST API started it, with the customer's token taken from the link and the customer's fields.</summary>
public sealed record StartedSession(Guid ContractId, Guid SessionId, Uri HubUrl, string CustomerLink, string CustomerToken, IReadOnlyList<Guid> CustomerFieldIds);
