using LiveContract.Core.Hosting;
using LiveContract.Web.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace LiveContract.Tests.Unit;

/// <summary>The one public address every link is built from, and the hosts derived from it.</summary>
public sealed class PublicUrlTests
{
    private static readonly HostingEnvironment Production = new() { EnvironmentName = Environments.Production };
    private static readonly HostingEnvironment Development = new() { EnvironmentName = Environments.Development };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Outside_development_a_missing_public_url_is_refused_with_a_sentence_naming_the_key(string? value)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new LiveContractOptions { PublicUrl = value }.PublicBaseAddress(Production));

        Assert.Equal(
            "LiveContract:PublicUrl is required outside Development: set it to the absolute http or https URL people reach this installation at, such as https://contracts.example.com, because every link LiveContract emails is built from it.",
            error.Message);
    }

    [Theory]
    [InlineData("contracts.example.com")]
    [InlineData("ftp://contracts.example.com")]
    [InlineData("https://contracts.example.com/?next=evil")]
    [InlineData("https://user@contracts.example.com/")]
    public void An_address_people_cannot_open_is_refused_in_every_environment(string value)
    {
        foreach (var environment in new[] { Production, Development })
        {
            var error = Assert.Throws<ConfigurationErrorException>(() => new LiveContractOptions { PublicUrl = value }.PublicBaseAddress(environment));
            Assert.StartsWith($"LiveContract:PublicUrl is '{value}', which is not an address people can open.", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void In_development_the_launch_profile_address_is_the_default_and_a_configured_one_wins()
    {
        Assert.Equal(new Uri("http://localhost:5080/"), new LiveContractOptions().PublicBaseAddress(Development));
        Assert.Equal(new Uri("https://contracts.example.com/lc/"), new LiveContractOptions { PublicUrl = "https://contracts.example.com/lc" }.PublicBaseAddress(Development));
        Assert.Equal(new Uri("https://contracts.example.com/lc/"), new LiveContractOptions { PublicUrl = " https://contracts.example.com/lc/ " }.PublicBaseAddress(Production));
    }

    [Theory]
    [InlineData("http://localhost:6000", "http://localhost:6000/")]
    [InlineData("http://*:6000;https://*:6001", "http://localhost:6000/")]
    [InlineData("http://+:6000", "http://localhost:6000/")]
    [InlineData("http://0.0.0.0:6000", "http://localhost:6000/")]
    [InlineData("https://[::]:6001", "https://localhost:6001/")]
    [InlineData("http://127.0.0.1:6000/", "http://127.0.0.1:6000/")]
    [InlineData("unix:/tmp/app.sock;http://localhost:6000", "http://localhost:6000/")]
    [InlineData("", "http://localhost:5080/")]
    public void In_development_links_follow_the_address_the_app_listens_on_when_none_is_set(string urls, string expected)
    {
        Assert.Equal(new Uri(expected), new LiveContractOptions().PublicBaseAddress(Development, urls));
        Assert.Equal(new Uri("https://contracts.example.com/"), new LiveContractOptions { PublicUrl = "https://contracts.example.com" }.PublicBaseAddress(Development, urls));
        Assert.Throws<ConfigurationErrorException>(() => new LiveContractOptions().PublicBaseAddress(Production, urls));
    }

    [Fact]
    public void Links_are_resolved_under_the_public_address_and_its_path()
    {
        IPublicUrl publicUrl = new ConfiguredPublicUrl(Microsoft.Extensions.Options.Options.Create(new LiveContractOptions { PublicUrl = "https://contracts.example.com/lc" }), Production, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.Equal("https://contracts.example.com/lc/join/lcs_abc", publicUrl.Resolve("join/lcs_abc").AbsoluteUri);
        Assert.Equal("https://contracts.example.com/lc/hubs/sessions", publicUrl.Resolve("/hubs/sessions").AbsoluteUri);
    }

    [Fact]
    public void Allowed_hosts_are_the_public_host_and_in_development_the_loopback_names()
    {
        Assert.Equal(["contracts.example.com"], PublicHostFiltering.AllowedHosts(new Uri("https://contracts.example.com:8443/lc/"), development: false));
        Assert.Equal(["contracts.example.com", "localhost", "127.0.0.1", "[::1]"], PublicHostFiltering.AllowedHosts(new Uri("https://contracts.example.com/"), development: true));
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], PublicHostFiltering.AllowedHosts(new Uri("http://localhost:5080/"), development: true));
        Assert.Equal(["xn--vertrge-9wa.example"], PublicHostFiltering.AllowedHosts(new Uri("https://verträge.example/"), development: false));
        Assert.Equal(["[2001:db8::1]"], PublicHostFiltering.AllowedHosts(new Uri("https://[2001:db8::1]/"), development: false));
    }
}
