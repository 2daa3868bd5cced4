using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.HostFiltering;

namespace LiveContract.Web.Extensions;

/// <summary>
/// The hosts a request may name (ASP.NET Core's host filtering, which answers any other
/// <c>Host</c> with 400): the host of <c>LiveContract:PublicUrl</c>, plus <c>localhost</c>,
/// <c>127.0.0.1</c> and <c>[::1]</c> in Development. An <c>AllowedHosts</c> setting
/// (semicolon-separated, <c>*</c> for any) replaces this list.
/// </summary>
internal static class PublicHostFiltering
{
    /// <summary>The hosts a developer's own machine answers to.</summary>
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddPublicHostFiltering(this IServiceCollection services)
    {
        // The framework fills AllowedHosts from the AllowedHosts setting only when nothing set them before.
        services.AddOptions<HostFilteringOptions>()
            .Configure<IConfiguration, IPublicUrl, IHostEnvironment>((options, configuration, publicUrl, environment) =>
            {
                if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
                {
                    options.AllowedHosts = AllowedHosts(publicUrl.BaseAddress, environment.IsDevelopment());
                }
            });
        return services;
    }

    /// <summary>The public address's host, and in Development the loopback names too.</summary>
    public static List<string> AllowedHosts(Uri publicUrl, bool development)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        var host = publicUrl.HostNameType == UriHostNameType.Dns ? publicUrl.IdnHost : publicUrl.Host;
        return (development ? LoopbackHosts.Prepend(host) : [host]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
