using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class AdminSystemPageTests : ComponentTestContext
{
    private const string SmtpPassword = "SmtpPassword4Kd";
    private const string S3Secret = "S3Secret9Wz";
    private const string MasterKey = "q83vEjRWeJBCNFZ4kKvN7xI0VniQq83vEjRWeJBCNFY=";

    public AdminSystemPageTests()
    {
        Context.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LiveContract:DataDirectory"] = Path.GetDirectoryName(PickupDirectory),
                ["Email:Mode"] = "Smtp",
                ["Email:Smtp:Host"] = "smtp.example.org",
                ["Email:Smtp:Port"] = "2525",
                ["Email:Smtp:Security"] = "SslOnConnect",
                ["Email:Smtp:UserName"] = "mailer",
                ["Email:Smtp:Password"] = SmtpPassword,
                ["Storage:MasterKey"] = MasterKey,
                ["Storage:Provider"] = "S3",
                ["Storage:S3:Bucket"] = "lc-system-page",
                ["Storage:S3:ServiceUrl"] = TestServers.S3,
                ["Storage:S3:ForcePathStyle"] = "true",
                ["Storage:S3:AccessKey"] = "S3RVER",
                ["Storage:S3:SecretKey"] = S3Secret,
            })
            .Build());
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        var admin = (await accounts.ListAsync()).Single();
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    [Fact]
    public void It_shows_the_settings_in_force_the_contents_and_each_health_check_and_nothing_secret()
    {
        var page = RenderPage<AdminSystem>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[aria-label='Health checks'] tbody tr")), TimeSpan.FromSeconds(30));
        var facts = page.FindAll("th[scope=row]").ToDictionary(th => th.TextContent.Trim(), th => th.NextElementSibling!.TextContent.Trim());
        Assert.Equal("SMTP via smtp.example.org:2525, TLS: SslOnConnect, with authentication", facts["Email"]);
        Assert.StartsWith($"S3, bucket lc-system-page at {TestServers.S3}", facts["Document store"]);
        Assert.StartsWith("Sqlite at ", facts["Database"]);
        Assert.Contains("None pending", facts["Migrations"]);
        Assert.Equal("In memory (this server): 0 open sessions, 0 connections", facts["Live sessions"]);
        Assert.Equal(("0", "0", "1", "0 bytes"), (facts["Contracts in Draft"], facts["Documents"], facts["Users"], facts["Storage used"]));
        var checks = page.FindAll("[aria-label='Health checks'] tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(["dataDirectory", "database", "documentStore", "liveSessions"], checks);
        foreach (var secret in new[] { SmtpPassword, S3Secret, MasterKey.TrimEnd('='), "S3RVER" })
        {
            Assert.DoesNotContain(secret, page.Markup, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_again_runs_the_checks_anew()
    {
        var page = RenderPage<AdminSystem>();
        page.WaitForAssertion(() => ButtonNamed(page, "Check again"), TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Contains("Checked at", page.Markup), TimeSpan.FromSeconds(30));
        var before = page.FindAll("th[scope=row]").Single(th => th.TextContent.Trim() == "Users").NextElementSibling!.TextContent.Trim();

        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        await ClickAsync(page, "Check again");

        page.WaitForAssertion(() => Assert.Equal("2", page.FindAll("th[scope=row]").Single(th => th.TextContent.Trim() == "Users").NextElementSibling!.TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal("1", before);
    }
}
