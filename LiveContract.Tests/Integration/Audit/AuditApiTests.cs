using System.Net;
using System.Text.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Audit;

/// <summary><c>GET /api/contracts/{id}/audit</c> (the JSON download) and <c>POST …/audit/verify</c>, over real Kestrel on both databases.</summary>
public sealed class AuditApiTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_download_holds_every_event_with_every_field_so_anyone_can_recompute_the_chain(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);

        using var response = await api.GetAsync($"api/contracts/{session.Contract.Id}/audit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"audit-{session.Contract.Reference}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(session.Contract.Reference, root.GetProperty("reference").GetString());
        Assert.Equal(AuditStreams.Contract(session.Contract.Id), root.GetProperty("stream").GetString());
        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(
            [
                AuditEventTypes.ContractCreated, AuditEventTypes.DocumentUploaded, AuditEventTypes.DocumentUploaded,
                AuditEventTypes.SessionStarted, AuditEventTypes.LinkSent,
            ],
            events.Select(e => e.GetProperty("type").GetString()));
        var previous = "";
        foreach (var e in events)
        {
            var stored = new AuditEvent
            {
                Stream = e.GetProperty("stream").GetString()!,
                Sequence = e.GetProperty("sequence").GetInt64(),
                Type = e.GetProperty("type").GetString()!,
                At = e.GetProperty("at").GetDateTimeOffset(),
                ActorId = e.GetProperty("actorId").GetString(),
                ActorRole = e.GetProperty("actorRole").GetString(),
                IpAddress = e.GetProperty("ipAddress").GetString(),
                Data = e.GetProperty("data").GetString()!,
                PreviousHash = e.GetProperty("previousHash").GetString()!,
            };
            Assert.Equal(previous, stored.PreviousHash);
            Assert.Equal(AuditTrail.ComputeHash(stored), e.GetProperty("hash").GetString());
            Assert.Equal(TimeSpan.Zero, stored.At.Offset);
            Assert.Equal("Victor Advisor", e.GetProperty("actorName").GetString());
            Assert.Equal("127.0.0.1", stored.IpAddress);
            previous = e.GetProperty("hash").GetString()!;
        }

        var chain = root.GetProperty("chain");
        Assert.True(chain.GetProperty("isOk").GetBoolean());
        Assert.Equal((5L, previous), (chain.GetProperty("events").GetInt64(), chain.GetProperty("headHash").GetString()));
        Assert.StartsWith("SHA-256", root.GetProperty("hashAlgorithm").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(session.Token[4..], json.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Only_the_contracts_advisor_and_admins_read_or_verify_its_trail(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var other = await app.CreateUserAsync("Olga Other", "olga@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        using var mine = await ApiClient.ForAsync(app, advisor.Id);
        using var theirs = await ApiClient.ForAsync(app, other.Id);
        using var admins = await ApiClient.ForAsync(app, admin.Id);
        var session = await LiveSessionApiHarness.StartAsync(mine);
        using var customer = await LiveSessionApiHarness.JoinAsCustomerAsync(app, session.Token);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var download = $"api/contracts/{session.Contract.Id}/audit";
        var verify = $"api/contracts/{session.Contract.Id}/audit/verify";

        using var byAdmin = await admins.GetAsync(download);
        using var byOther = await theirs.GetAsync(download);
        using var byCustomer = await customer.GetAsync(download);
        using var byNobody = await anonymous.GetAsync(download);
        using var unknown = await mine.GetAsync($"api/contracts/{Guid.NewGuid()}/audit");
        using var verifiedByAdmin = await admins.PostAsync(verify, null);
        using var verifiedByOther = await theirs.PostAsync(verify, null);
        using var verifiedByCustomer = await customer.PostFormAsync(verify, new Dictionary<string, string>());
        using var verifiedByNobody = await anonymous.PostAsync(verify, null);

        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(6, JsonDocument.Parse(await byAdmin.Content.ReadAsStringAsync()).RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal("That contract does not exist or is not yours.", await byOther.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verifiedByAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, verifiedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, verifiedByCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, verifiedByNobody.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Verify_reports_an_intact_chain_and_then_the_first_broken_event(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);
        var verify = $"api/contracts/{session.Contract.Id}/audit/verify";

        using var intact = await api.PostAsync(verify, null);
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext())
        {
            await AuditTamperingTests.ForgeNextEventAsync(db, session.Contract.Id);
        }

        using var broken = await api.PostAsync(verify, null);

        Assert.Equal(HttpStatusCode.OK, intact.StatusCode);
        var ok = await intact.ReadAsync<ChainCheck>();
        Assert.Equal((true, 5L, (long?)null), (ok.IsOk, ok.Events, ok.BrokenSequence));
        Assert.Matches("^[0-9a-f]{64}$", ok.HeadHash);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        var bad = await broken.ReadAsync<ChainCheck>();
        Assert.Equal((false, 6L, ok.HeadHash), (bad.IsOk, bad.BrokenSequence, bad.HeadHash));
        Assert.Equal($"Event 6 of {AuditStreams.Contract(session.Contract.Id)} was changed after it was written.", bad.Problem);
    }
}
