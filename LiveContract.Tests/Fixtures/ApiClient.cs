using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using LiveContract.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Fixtures;

/// <summary>A REST client that authenticates with a personal API token, as an integration would.</summary>
public static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<HttpClient> ForAsync(LiveContractApp app, string userId)
    {
        var created = await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(new Core.Common.Actor(userId, IsAdmin: false), "tests");
        return WithToken(app, created.Value.Secret);
    }

    public static HttpClient WithToken(LiveContractApp app, string secret)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<string> ProblemDetailAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("detail").GetString()!;
    }
}
