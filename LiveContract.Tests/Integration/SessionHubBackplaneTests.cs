using System.Net;
using System.Text.Json;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LiveContract.Tests.Integration;

/// <summary>
/// With the Redis live-session backend, the session hub (and only it) uses SignalR's Redis
/// backplane on the test Redis; Blazor's circuit hub stays in process, so pages work with Redis gone.
/// </summary>
public sealed class SessionHubBackplaneTests
{
    [Fact]
    public async Task The_session_hub_uses_the_redis_backplane_and_a_live_session_works_through_it()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(RedisSettings(TestServers.Redis));
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var session = await LiveSessionApiHarness.StartAsync(api);

        await using var advisorHub = await SessionHubClient.ConnectAsync(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        await using var customerHub = await SessionHubClient.ConnectAsync(app, session.Token);
        await advisorHub.JoinAsync(session.SessionId);
        var joined = await customerHub.JoinAsync(session.SessionId);

        Assert.Equal(HubConnectionState.Connected, advisorHub.Connection.State);
        Assert.Equal(2, joined.Participants.Count);
        Assert.IsType<RedisHubLifetimeManager<SessionHub>>(app.Services.GetRequiredService<HubLifetimeManager<SessionHub>>());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var channels = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS", $"{typeof(SessionHub).FullName}:*"))!;
        Assert.Contains(channels, c => c.ToString() == $"{typeof(SessionHub).FullName}:all");
        AssertCircuitHubIsInProcess(app);
        using var client = app.CreateWebClient();
        using var page = await client.GetAsync("Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task With_redis_unreachable_the_app_starts_and_serves_pages_and_health_says_degraded()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(RedisSettings("127.0.0.1:1,password=hunter2-secret"));
        await app.CreateStaffAsync();
        using var client = await app.LogInAsAdvisorAsync();

        using var home = await client.GetAsync("");
        using var health = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Victor Advisor", await home.Content.ReadAsStringAsync());
        var body = await health.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2-secret", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Degraded", json.RootElement.GetProperty("checks").GetProperty("liveSessions").GetProperty("status").GetString());
        AssertCircuitHubIsInProcess(app);
    }

    [Fact]
    public async Task With_the_in_memory_backend_the_session_hub_stays_in_process()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();

        Assert.IsType<DefaultHubLifetimeManager<SessionHub>>(app.Services.GetRequiredService<HubLifetimeManager<SessionHub>>());
        AssertCircuitHubIsInProcess(app);
    }

    private static Dictionary<string, string?> RedisSettings(string redis) => new()
    {
        ["LiveSessions:Backend"] = nameof(LiveSessionBackend.Redis),
        ["LiveSessions:Redis"] = redis,
    };

    /// <summary>Blazor's circuit hub (an internal type of the framework) keeps SignalR's default, in-process lifetime manager.</summary>
    private static void AssertCircuitHubIsInProcess(LiveContractApp app)
    {
        var componentHub = typeof(Microsoft.AspNetCore.Components.Server.CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var manager = app.Services.GetRequiredService(typeof(HubLifetimeManager<>).MakeGenericType(componentHub));
        Assert.Equal(typeof(DefaultHubLifetimeManager<>).MakeGenericType(componentHub), manager.GetType());
    }
}
