using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveContract.LoadTest;

/// <summary>
/// The baseline: the least a SignalR server can do for a live session. Two clients join a pair
/// (a SignalR group); a page change from one is forwarded to the other, with a version and a
/// timestamp like the app's event. No authentication, no state beyond a counter per pair.
/// </summary>
public static class RelayServer
{
    public const string HubPath = "/hubs/relay";

    public static async Task<int> RunAsync(string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<RelayVersions>();
        var app = builder.Build();
        app.MapGet("/health", () => TypedResults.Ok("ok"));
        app.MapHub<RelayHub>(HubPath);
        await app.RunAsync();
        return 0;
    }
}

/// <summary>The version counter of each pair, so the relay's event carries what the app's does.</summary>
public sealed class RelayVersions
{
    private readonly ConcurrentDictionary<Guid, StrongBox> versions = new();

    public long Next(Guid pairId) => Interlocked.Increment(ref versions.GetOrAdd(pairId, _ => new StrongBox()).Value);

    public void Forget(Guid pairId) => versions.TryRemove(pairId, out _);

    private sealed class StrongBox
    {
        public long Value;
    }
}

/// <summary>The relay hub: <c>Join(pairId)</c>, then <c>PageChange(documentId, page)</c> reaches the partner as <c>pageChange</c>.</summary>
public sealed class RelayHub(RelayVersions versions) : Hub
{
    private const string PairKey = "pair";

    public async Task<RelaySnapshot> Join(Guid pairId)
    {
        Context.Items[PairKey] = pairId;
        await Groups.AddToGroupAsync(Context.ConnectionId, pairId.ToString());
        return new RelaySnapshot(pairId, Guid.Empty, 1, 0);
    }

    public async Task<long> PageChange(Guid documentId, int page)
    {
        if (Context.Items[PairKey] is not Guid pairId)
        {
            throw new HubException("Join a pair before changing pages.");
        }

        var version = versions.Next(pairId);
        var message = new RelayPageChange(pairId, version, new RelayActor(Context.ConnectionId, "Advisor"), DateTimeOffset.UtcNow, documentId, page);
        await Clients.OthersInGroup(pairId.ToString()).SendAsync("pageChange", message);
        return version;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[PairKey] is Guid pairId)
        {
            versions.Forget(pairId);
        }

        return base.OnDisconnectedAsync(exception);
    }
}

public sealed record RelaySnapshot(Guid SessionId, Guid DocumentId, int Page, long Version);

public sealed record RelayActor(string ParticipantId, string Role);

public sealed record RelayPageChange(Guid SessionId, long Version, RelayActor Actor, DateTimeOffset Timestamp, Guid DocumentId, int Page);
