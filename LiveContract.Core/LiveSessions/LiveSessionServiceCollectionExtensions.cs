using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.LiveSessions;

public static class LiveSessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers live sessions: <see cref="LiveSessionOptions"/> (section <c>LiveSessions</c>), the
    /// <see cref="ILiveSessionCoordinator"/> (one per process) chosen by <see cref="LiveSessionOptions.Backend"/>
    /// when first resolved (<see cref="InMemoryLiveSessionCoordinator"/> by default,
    /// <see cref="RedisLiveSessionCoordinator"/> for Redis), stopped with the host so that unsaved
    /// positions are saved, its <see cref="ILiveSessionCluster"/> report, the <see cref="LiveSessionRedis"/>
    /// connection (opened only when resolved, which only the Redis backend does; other parts
    /// needing the same Redis, such as SignalR's backplane, use it too) and, unless one is
    /// registered already, the <see cref="InMemoryLiveSessionStateStore"/> and <see cref="InMemoryFieldValueStore"/>.
    /// Resolving the coordinator checks the options and throws
    /// <see cref="Hosting.ConfigurationErrorException"/> on the first wrong one.
    /// </summary>
    public static IServiceCollection AddLiveContractLiveSessions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LiveSessionOptions>().BindConfiguration(LiveSessionOptions.Section);
        services.TryAddSingleton<ILiveSessionStateStore, InMemoryLiveSessionStateStore>();
        services.TryAddSingleton<IFieldValueStore, InMemoryFieldValueStore>();
        services.TryAddSingleton<LiveSessionRedis>();
        services.AddSingleton<ILiveSessionCoordinator>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LiveSessionOptions>>().Value;
            options.Validate();
            return options.Backend == LiveSessionBackend.Redis
                ? ActivatorUtilities.CreateInstance<RedisLiveSessionCoordinator>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryLiveSessionCoordinator>(sp);
        });
        services.TryAddSingleton<ILiveSessionCluster>(sp => sp.GetRequiredService<ILiveSessionCoordinator>() is RedisLiveSessionCoordinator redis
            ? new RedisLiveSessionCluster(redis)
            : ActivatorUtilities.CreateInstance<InMemoryLiveSessionCluster>(sp));
        services.AddHostedService<LiveSessionShutdown>();
        return services;
    }
}
