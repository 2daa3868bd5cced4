using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The system page's live-session section, from a cluster report of two servers with Redis unreachable.</summary>
public sealed class AdminSystemLiveSessionsTests : ComponentTestContext
{
    private static readonly DateTimeOffset Reported = new(2026, 11, 23, 21, 30, 5, TimeSpan.Zero);

    public AdminSystemLiveSessionsTests()
    {
        Context.Services.AddSingleton<ILiveSessionCluster>(new FixedCluster(new LiveSessionClusterReport(
            "Redis",
            LiveSessionBackendState.Degraded,
            "Redis cannot be reached; sessions go on on each server alone.",
            [
                new LiveSessionInstanceLoad("a1", "web-a", IsThisServer: true, OpenSessions: 3, Connections: 7, Reported),
                new LiveSessionInstanceLoad("b2", "web-b", IsThisServer: false, OpenSessions: 1, Connections: 2, Reported.AddSeconds(-4)),
            ])));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        var admin = (await accounts.ListAsync()).Single();
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    [Fact]
    public void It_shows_the_backend_its_state_and_a_row_per_server()
    {
        var page = RenderPage<AdminSystem>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[aria-label='Live session servers'] tbody tr")), TimeSpan.FromSeconds(30));
        Assert.Contains("Backend: Redis", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Degraded", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Redis cannot be reached; sessions go on on each server alone.", page.Markup, StringComparison.Ordinal);
        var rows = page.FindAll("[aria-label='Live session servers'] tbody tr")
            .Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim())))
            .ToList();
        Assert.Equal(
            [
                "web-a (this server) | 3 | 7 | 2026-11-23 21:30:05 UTC",
                "web-b | 1 | 2 | 2026-11-23 21:30:01 UTC",
            ],
            rows);
        var headers = page.FindAll("[aria-label='Live session servers'] thead th").Select(th => th.TextContent.Trim());
        Assert.Equal(["Server", "Open sessions", "Connections", "Last report"], headers);
    }

    private sealed class FixedCluster(LiveSessionClusterReport report) : ILiveSessionCluster
    {
        public Task<LiveSessionClusterReport> GetReportAsync(CancellationToken cancellationToken = default) => Task.FromResult(report);
    }
}
