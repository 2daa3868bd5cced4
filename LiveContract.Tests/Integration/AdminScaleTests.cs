using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

/// <summary>
/// The administration with 100,000 contracts: every admin table pages on the server and answers
/// with the right totals. Times are written to the test output; the targets live in the admin
/// benchmark (docs/performance.md), not here.
/// </summary>
public sealed class AdminScaleTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_admin_tables_answer_with_100000_contracts(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, _) = await app.CreateStaffAsync();
        var seed = new ScaleSeed();
        var clock = Stopwatch.StartNew();
        await seed.SeedAsync(app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(), DateTimeOffset.UtcNow);
        output.WriteLine($"{provider}: seeded {seed.Contracts:N0} contracts in {clock.Elapsed.TotalSeconds:0.0} s");
        using var api = await ApiClient.ForAsync(app, admin.Id);

        var all = await TimedGetAsync<PagedResult<ContractSummary>>(api, "api/contracts?page=1&pageSize=20");
        var last = await TimedGetAsync<PagedResult<ContractSummary>>(api, $"api/contracts?page={seed.Contracts / 20}&pageSize=20&sort=Reference&descending=false");
        var signed = await TimedGetAsync<PagedResult<ContractSummary>>(api, "api/contracts?status=Signed&pageSize=5");
        var found = await TimedGetAsync<PagedResult<ContractSummary>>(api, $"api/contracts?search={ScaleSeed.Reference(41_999)}");

        Assert.Equal(seed.Contracts, all.Total);
        Assert.Equal(20, all.Items.Count);
        Assert.Equal(ScaleSeed.Reference(seed.Contracts - 1), last.Items[^1].Reference);
        Assert.Equal(seed.ByStatus[ContractStatus.Signed], signed.Total);
        Assert.Equal(ScaleSeed.Reference(41_999), Assert.Single(found.Items).Reference);
    }

    private async Task<T> TimedGetAsync<T>(HttpClient api, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await api.GetAsync(path);
        output.WriteLine($"GET {path}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<T>();
    }
}
