using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveContract.Tests.Integration;

/// <summary>
/// The administration of an installation with 100,000 contracts (with documents, audit events,
/// live sessions and API tokens): every admin table pages on the server and answers with the
/// right totals, the system counts add up, every chain verifies, and the admin pages render.
/// Times go to the test output; the targets live in the admin benchmark (docs/performance.md).
/// </summary>
public sealed class AdminScaleTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_administration_answers_with_100000_contracts(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, _) = await app.CreateStaffAsync();
        var seed = new ScaleSeed();
        var clock = Stopwatch.StartNew();
        await seed.SeedAsync(app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(), DateTimeOffset.UtcNow);
        output.WriteLine($"{provider}: seeded {seed.Contracts:N0} contracts in {clock.Elapsed.TotalSeconds:0.0} s");
        using var api = await ApiClient.ForAsync(app, admin.Id);
        var advisor = seed.AdvisorIds[7];

        var first = await GetAsync(api, "api/admin/contracts?page=1&pageSize=20");
        var last = await GetAsync(api, $"api/admin/contracts?page={seed.Contracts / 20}&pageSize=20&sort=Reference&descending=false");
        var ofAdvisor = await GetAsync(api, $"api/admin/contracts?advisorId={advisor}&status=Review&pageSize=5");
        var found = await GetAsync(api, $"api/admin/contracts?search={ScaleSeed.Reference(41_999)}");
        var users = await GetAsync(api, "api/admin/users?page=1&pageSize=100");
        var active = await GetAsync(api, "api/admin/sessions?state=active&page=1&pageSize=20");
        var ended = await GetAsync(api, "api/admin/sessions?state=ended&page=5&pageSize=20");
        var tokens = await GetAsync(api, "api/admin/tokens?page=3&pageSize=20");
        var system = await GetAsync(api, "api/admin/system");
        var verified = await GetAsync(api, "api/admin/audit/verify", HttpMethod.Post);

        Assert.Equal(seed.Contracts, Total(first));
        Assert.Equal(20, first.GetProperty("items").GetArrayLength());
        Assert.Equal(ScaleSeed.Reference(seed.Contracts - 1), first.GetProperty("items")[0].GetProperty("reference").GetString());
        Assert.Equal(ScaleSeed.Reference(seed.Contracts - 1), last.GetProperty("items")[19].GetProperty("reference").GetString());
        Assert.Equal(Enumerable.Range(0, seed.Contracts).Count(i => i % seed.Advisors == 7 && ScaleSeed.StatusOf(i) == ContractStatus.Review), Total(ofAdvisor));
        Assert.Equal(ScaleSeed.Reference(41_999), Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("reference").GetString());

        var people = users.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(seed.Advisors + 2, Total(users));
        Assert.Equal(
            seed.Contracts,
            people.Sum(u => u.GetProperty("openContracts").GetInt32() + u.GetProperty("signedContracts").GetInt32()));
        Assert.Equal(seed.ByStatus[ContractStatus.Signed], people.Sum(u => u.GetProperty("signedContracts").GetInt32()));

        Assert.Equal(seed.ActiveSessions, Total(active));
        Assert.Equal(seed.EndedSessions, Total(ended));
        Assert.Equal(20, ended.GetProperty("items").GetArrayLength());
        Assert.Equal(seed.ApiTokens + 1, Total(tokens));

        var counts = system.GetProperty("counts");
        Assert.Equal(
            seed.ByStatus.OrderBy(s => s.Key).Select(s => (s.Key.ToString(), s.Value)),
            counts.GetProperty("contractsByStatus").EnumerateArray().Select(c => (c.GetProperty("status").GetString()!, c.GetProperty("count").GetInt32())).OrderBy(c => c.Item1));
        Assert.Equal(seed.Documents.Count, counts.GetProperty("documents").GetInt32());
        Assert.Equal(seed.Documents.Bytes, counts.GetProperty("storageBytes").GetInt64());
        Assert.Equal(seed.ActiveSessions, counts.GetProperty("activeLiveSessions").GetInt32());

        Assert.Equal(seed.Contracts + 1, verified.GetProperty("streams").GetInt32());
        Assert.Equal(0, verified.GetProperty("broken").GetInt32());
        Assert.Equal(0, verified.GetProperty("brokenStreams").GetArrayLength());

        using var browser = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        foreach (var page in new[] { "admin/users", "admin/contracts", "admin/sessions", "admin/audit", "admin/system", "admin/tokens" })
        {
            clock.Restart();
            using var response = await browser.GetAsync(page);
            output.WriteLine($"GET {page}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static int Total(JsonElement page) => page.GetProperty("total").GetInt32();

    private async Task<JsonElement> GetAsync(HttpClient api, string path, HttpMethod? method = null)
    {
        var clock = Stopwatch.StartNew();
        using var response = await api.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{method ?? HttpMethod.Get} {path}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
