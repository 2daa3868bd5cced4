using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Extensions;

/// <summary>
/// HTTPS and what depends on it: forwarded headers from the configured reverse proxies only
/// (<see cref="ReverseProxyOptions"/>), HSTS outside Development (section <c>Hsts</c>, one year
/// by default), and the redirection to HTTPS when this server itself listens on HTTPS (Kestrel's
/// <c>Kestrel:Endpoints:…:Url</c> with a certificate, or an <c>https://</c> URL in <c>urls</c>).
/// A plain <c>http://localhost</c> server, as in development, is left as it is.
/// </summary>
internal static class TransportSecurity
{
    public const string HstsSection = "Hsts";

    /// <summary>The HSTS max-age unless <c>Hsts:MaxAge</c> says otherwise: one year, as browsers' preload lists expect.</summary>
    public static readonly TimeSpan DefaultHstsMaxAge = TimeSpan.FromDays(365);

    public static IServiceCollection AddTransportSecurity(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ReverseProxyOptions>>((forwarded, proxies) => proxies.Value.ApplyTo(forwarded));
        services.AddOptions<HstsOptions>()
            .Configure(o => o.MaxAge = DefaultHstsMaxAge)
            .BindConfiguration(HstsSection);
        return services;
    }

    /// <summary>
    /// The first middleware of the pipeline: forwarded headers (when proxies are configured), HSTS
    /// (outside Development) and the HTTPS redirection (when this server has an HTTPS endpoint).
    /// Checks the settings and throws <see cref="ConfigurationErrorException"/> on a wrong one.
    /// </summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        // The framework trusts every sender when no proxy is listed; so, with none listed, the
        // middleware is left out and the headers are never read.
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.Any)
        {
            _ = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
            app.UseForwardedHeaders();
        }

        var hsts = app.Services.GetRequiredService<IOptions<HstsOptions>>().Value;
        if (hsts.MaxAge <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{HstsSection}:MaxAge is {hsts.MaxAge}; set it to how long browsers must keep to HTTPS, such as 365.00:00:00.");
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        if (HasHttpsEndpoint(app.Configuration))
        {
            app.UseHttpsRedirection();
        }

        return app;
    }

    /// <summary>Whether this server listens on HTTPS itself, by Kestrel's endpoints, <c>urls</c> or <c>https_ports</c>.</summary>
    public static bool HasHttpsEndpoint(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(e => e["Url"]?.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true);
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        return endpoints || urls || !string.IsNullOrWhiteSpace(configuration["https_ports"]);
    }
}
