using System.Net;
using LiveContract.Core.Hosting;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace LiveContract.Tests.Unit;

public sealed class ReverseProxyOptionsTests
{
    [Fact]
    public void Only_the_configured_proxies_and_networks_are_trusted_for_one_hop_of_for_and_proto()
    {
        var forwarded = new ForwardedHeadersOptions();

        new ReverseProxyOptions { KnownProxies = ["10.0.0.5", " ::1 "], KnownNetworks = ["192.168.10.0/24"] }.ApplyTo(forwarded);

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, forwarded.ForwardedHeaders);
        Assert.Equal(1, forwarded.ForwardLimit);
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.IPv6Loopback], forwarded.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("192.168.10.0/24")], forwarded.KnownIPNetworks);
    }

    [Theory]
    [InlineData("proxy.example.org", null, "ReverseProxy:KnownProxies:0 is 'proxy.example.org', which is not an IP address.")]
    [InlineData(null, "10.0.0.0/33", "ReverseProxy:KnownNetworks:0 is '10.0.0.0/33', which is not a network in CIDR notation.")]
    public void An_entry_that_is_no_address_or_network_is_named(string? proxy, string? network, string message)
    {
        var options = new ReverseProxyOptions { KnownProxies = proxy is null ? [] : [proxy], KnownNetworks = network is null ? [] : [network] };

        var error = Assert.Throws<ConfigurationErrorException>(() => options.ApplyTo(new ForwardedHeadersOptions()));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_proxies_nothing_is_trusted_and_https_is_detected_from_kestrel_endpoints_or_urls()
    {
        Assert.False(new ReverseProxyOptions().Any);
        Assert.False(TransportSecurity.HasHttpsEndpoint(Configuration(("urls", "http://localhost:5080"))));
        Assert.True(TransportSecurity.HasHttpsEndpoint(Configuration(("urls", "http://localhost:5080;https://localhost:5443"))));
        Assert.True(TransportSecurity.HasHttpsEndpoint(Configuration(("Kestrel:Endpoints:Https:Url", "https://0.0.0.0:443"))));
        Assert.False(TransportSecurity.HasHttpsEndpoint(Configuration(("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:80"))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
