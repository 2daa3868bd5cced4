namespace LiveContract.Web.Features.LiveSessions;

public static class LiveSessionUiServices
{
    /// <summary>Registers what the live-session pages use: one <see cref="LiveSessionClient"/> per circuit.</summary>
    public static IServiceCollection AddLiveSessionUi(this IServiceCollection services)
    {
        services.AddScoped<LiveSessionClient>();
        return services;
    }
}
