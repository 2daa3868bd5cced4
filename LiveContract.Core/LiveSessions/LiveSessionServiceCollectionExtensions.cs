using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveContract.Core.LiveSessions;

public static class LiveSessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers live sessions: <see cref="LiveSessionOptions"/> (section <c>LiveSessions</c>), the
    /// <see cref="ILiveSessionCoordinator"/> (<see cref="InMemoryLiveSessionCoordinator"/>, one per
    /// process), stopped with the host so that unsaved positions are saved, and, unless one is
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
        services.AddSingleton<ILiveSessionCoordinator, InMemoryLiveSessionCoordinator>();
        services.TryAddSingleton<ILiveSessionCluster, InMemoryLiveSessionCluster>();
        services.AddHostedService<LiveSessionShutdown>();
        return services;
    }
}
