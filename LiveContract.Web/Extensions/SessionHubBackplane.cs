using LiveContract.Core.LiveSessions;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Extensions;

/// <summary>
/// With the Redis live-session backend, the session hub's messages to groups and users reach the
/// connections of every server through Redis (SignalR's Redis backplane, on the same connection as
/// the live sessions, <see cref="LiveSessionRedis"/>; its channels are named after the hub's type).
/// Only <see cref="SessionHub"/> is put on Redis: Blazor's own circuit hub keeps SignalR's default,
/// in-process lifetime manager (a circuit lives on one server anyway), so a Redis outage never
/// breaks the interactive pages.
/// </summary>
internal static class SessionHubBackplane
{
    public static IServiceCollection AddSessionHubBackplane(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().Configure<LiveSessionRedis>((redis, connection) =>
            redis.ConnectionFactory = async _ => await connection.ConnectAsync());
        services.AddSingleton<HubLifetimeManager<SessionHub>>(sp =>
            sp.GetRequiredService<IOptions<LiveSessionOptions>>().Value.Backend == LiveSessionBackend.Redis
                ? ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<SessionHub>>(sp)
                : ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<SessionHub>>(sp));
        return services;
    }
}
