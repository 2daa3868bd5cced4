using System.Net;
using System.Text.Json;
using LiveContract.Core.Administration;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>The live-session backend in <c>/api/admin/system</c> and on the System page, never with the Redis connection string.</summary>
public sealed class AdminSystemLiveSessionsTests
{
    private const string RedisPassword = "hunter2-secret";

    [Fact]
    public async Task The_in_memory_backend_is_reported_connected_with_this_server_alone()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, _) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, admin.Id);

        using var answer = await api.GetAsync("api/admin/system");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var overview = JsonSerializer.Deserialize<SystemOverview>(await answer.Content.ReadAsStringAsync(), ApiClient.Json)!;
        var cluster = overview.LiveSessionCluster;
        Assert.Equal((InMemoryLiveSessionCoordinator.Backend, LiveSessionBackendState.Connected), (cluster.Backend, cluster.State));
        var server = Assert.Single(cluster.Instances);
        Assert.True(server.IsThisServer);
        Assert.Equal((0, 0), (server.OpenSessions, server.Connections));
    }

    [Fact]
    public async Task An_unreachable_redis_is_reported_degraded_and_its_password_appears_nowhere()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["LiveSessions:Backend"] = nameof(LiveSessionBackend.Redis),
            ["LiveSessions:Redis"] = $"127.0.0.1:1,password={RedisPassword}",
        });
        var (admin, _) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, admin.Id);
        using var browser = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var answer = await api.GetAsync("api/admin/system");
        using var page = await browser.GetAsync("admin/system");
        using var health = await browser.GetAsync("health");
        var json = await answer.Content.ReadAsStringAsync();
        var html = await page.Content.ReadAsStringAsync();
        var healthJson = await health.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var overview = JsonSerializer.Deserialize<SystemOverview>(json, ApiClient.Json)!;
        Assert.Equal(LiveSessionBackendState.Degraded, overview.LiveSessionCluster.State);
        Assert.False(string.IsNullOrWhiteSpace(overview.LiveSessionCluster.Detail));
        foreach (var text in new[] { json, html, healthJson })
        {
            Assert.DoesNotContain(RedisPassword, text, StringComparison.Ordinal);
        }
    }
}
