using LiveContract.Core.Hosting;
using LiveContract.Core.Signing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Unit;

public sealed class SignedPdfLinksTests
{
    private static readonly ConfiguredPublicUrl PublicUrl = new(
        Options.Create(new LiveContractOptions { PublicUrl = "https://contracts.example.com/app" }),
        new HostingEnvironment { EnvironmentName = Environments.Production },
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 14, 2, 0, TimeSpan.Zero));

    private readonly EphemeralDataProtectionProvider keys = new();

    [Fact]
    public void A_link_names_its_contract_and_recipient_until_it_expires()
    {
        var links = Links(TimeSpan.FromDays(30));
        var contractId = Guid.NewGuid();

        var (url, expiresAt) = links.Create(contractId, SignerRole.Customer, "customer-7");
        var token = url[(url.LastIndexOf('/') + 1)..];
        var valid = links.Check(token);
        clock.Advance(TimeSpan.FromDays(30));
        var expired = links.Check(token);

        Assert.StartsWith("https://contracts.example.com/app/signed/", url, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow(), expiresAt);
        Assert.Equal(new SignedPdfLinkGrant(contractId, SignerRole.Customer, "customer-7", expiresAt), valid.Grant);
        Assert.Null(valid.Problem);
        Assert.Equal(new SignedPdfLinkCheck(null, SignedPdfLinkProblem.Expired), expired);
    }

    [Fact]
    public void An_altered_made_up_or_foreign_token_opens_nothing()
    {
        var links = Links(TimeSpan.FromDays(30));
        var (url, _) = links.Create(Guid.NewGuid(), SignerRole.Advisor, "advisor-1");
        var token = url[(url.LastIndexOf('/') + 1)..];
        var altered = token[..^2] + (token[^2] == 'x' ? 'y' : 'x') + token[^1];
        var otherInstallation = new SignedPdfLinks(new EphemeralDataProtectionProvider(), Options.Create(new SignedPdfLinkOptions()), PublicUrl, clock);

        Assert.Equal(SignedPdfLinkProblem.Unknown, links.Check(altered).Problem);
        Assert.Equal(SignedPdfLinkProblem.Unknown, links.Check("not-a-token").Problem);
        Assert.Equal(SignedPdfLinkProblem.Unknown, links.Check("").Problem);
        Assert.Equal(SignedPdfLinkProblem.Unknown, links.Check(null).Problem);
        Assert.Equal(SignedPdfLinkProblem.Unknown, otherInstallation.Check(token).Problem);
        Assert.NotNull(links.Check(token).Grant);
    }

    [Fact]
    public void The_lifetime_must_be_positive()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new SignedPdfLinkOptions { DownloadLinkLifetime = TimeSpan.Zero }.Validate());

        Assert.Equal("Signing:DownloadLinkLifetime must be a positive time, such as 30.00:00:00 (30 days).", error.Message);
        Assert.Equal(TimeSpan.FromDays(30), new SignedPdfLinkOptions().DownloadLinkLifetime);
    }

    private SignedPdfLinks Links(TimeSpan lifetime) =>
        new(keys, Options.Create(new SignedPdfLinkOptions { DownloadLinkLifetime = lifetime }), PublicUrl, clock);
}
