using System.Net;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace LiveContract.Web.Extensions;

/// <summary>
/// The reverse proxies (such as HAProxy terminating TLS in front of several servers) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers LiveContract believes: the client
/// address the audit trail records, the per-address limits count and the scheme that makes
/// cookies <c>Secure</c>. Only a request that comes straight from one of them is believed, and only
/// its last hop (a client can put anything in these headers); with none configured, the headers
/// are ignored.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>The IP addresses of the proxies, such as <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation, such as <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Whether any proxy is configured: without one, forwarded headers are not read at all.</summary>
    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>
    /// The forwarded-headers settings of these proxies alone (the framework's default, loopback, is
    /// cleared); throws <see cref="ConfigurationErrorException"/> naming the first entry that is no
    /// IP address or network.
    /// </summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        for (var i = 0; i < KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i]?.Trim(), out var address))
            {
                throw new ConfigurationErrorException(
                    $"{Section}:{nameof(KnownProxies)}:{i} is '{KnownProxies[i]}', which is not an IP address. Set it to the address your reverse proxy connects from, such as 10.0.0.5.");
            }

            options.KnownProxies.Add(address);
        }

        for (var i = 0; i < KnownNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(KnownNetworks[i]?.Trim(), out var network))
            {
                throw new ConfigurationErrorException(
                    $"{Section}:{nameof(KnownNetworks)}:{i} is '{KnownNetworks[i]}', which is not a network in CIDR notation. Set it like 10.0.0.0/24.");
            }

            options.KnownIPNetworks.Add(network);
        }
    }
}
