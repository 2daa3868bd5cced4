using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Fixtures;

/// <summary>A live session started through the REST API, with the contract's two documents (3 pages, then 1 page).</summary>
public sealed record StartedSession(ContractDetails Contract, IReadOnlyList<DocumentSummary> Documents, StartSessionResponse Response)
{
    public Guid SessionId => Response.SessionId;

    /// <summary>The secret of the customer link (<c>lcs_…</c>), the last segment of its URL.</summary>
    public string Token => TokenOf(Response.CustomerLink);

    public DocumentSummary ThreePages => Documents[0];

    public DocumentSummary OnePage => Documents[1];

    public static string TokenOf(string customerLink) => customerLink[(customerLink.LastIndexOf('/') + 1)..];
}

/// <summary>Starts live sessions the way an integration would: create a contract, upload, start.</summary>
public static class LiveSessionApiHarness
{
    public static async Task<StartedSession> StartAsync(
        HttpClient advisorApi, string title = "Motor policy", string customerEmail = "chloe@example.com", string? language = null, string? customerTimeZone = null)
    {
        using var created = await advisorApi.PostAsJsonAsync("api/contracts", new CreateContractRequest(title, "Chloé Dupont", customerEmail, null, language, customerTimeZone));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var contract = await created.ReadAsync<ContractDetails>();
        var documents = new List<DocumentSummary>();
        foreach (var fixture in new[] { "motor-insurance-claim-form.pdf", "empty.pdf" })
        {
            using var content = new MultipartFormDataContent();
            var file = new ByteArrayContent(FixturePdfs.Read(fixture));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "files", fixture);
            using var uploaded = await advisorApi.PostAsync($"api/contracts/{contract.Id}/documents", content);
            documents.Add(Assert.Single(await uploaded.ReadAsync<List<DocumentSummary>>()));
        }

        using var started = await advisorApi.PostAsync($"api/contracts/{contract.Id}/session", null);
        Assert.True(started.StatusCode == System.Net.HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        return new StartedSession(contract, documents, await started.ReadAsync<StartSessionResponse>());
    }

    /// <summary>A new personal API token (<c>lc_…</c>) of the user, for hub clients.</summary>
    public static async Task<string> ApiTokenAsync(LiveContractApp app, string userId) =>
        (await app.Services.GetRequiredService<Core.Accounts.ApiTokenService>().CreateAsync(new Core.Common.Actor(userId, IsAdmin: false), "hub")).Value.Secret;

    /// <summary>The link's id, as a signed-in customer's principal carries it.</summary>
    public static async Task<Guid> LinkIdAsync(LiveContractApp app, string token) =>
        (await app.Services.GetRequiredService<LiveSessionService>().CheckLinkAsync(token)).Grant!.LinkId;

    /// <summary>A web client that opened the customer link and pressed "Join the session".</summary>
    public static async Task<WebClient> JoinAsCustomerAsync(LiveContractApp app, string token)
    {
        var client = app.CreateWebClient();
        using var response = await client.SubmitFormAsync($"join/{token}", new Dictionary<string, string>());
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Found, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }
}
