using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using LiveContract.Core.Administration;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Email;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Tests.Integration;

/// <summary>The administration's system overview, from a real installation.</summary>
public sealed class SystemOverviewTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task It_reports_the_installation_its_migrations_its_contents_and_its_health(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var withDocuments = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages, LiveSessionScenario.FivePages]);
        await scenario.CreateContractAsync();
        var inReview = await scenario.CreateContractWithDocumentAsync();
        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, inReview.Id, new ContractChanges(Status: ContractStatus.Review)));
        var session = await scenario.StartAsync(withDocuments.Id);
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, session.Session.Id));
        var joined = LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(session.Session.Id, access.Participant, "advisor", _ => ValueTask.CompletedTask));
        await using var leave = joined.Subscription;

        var overview = await scenario.App.Services.GetRequiredService<SystemOverviewService>().GetAsync();

        string[] migrations;
        await using (var db = scenario.Database())
        {
            migrations = db.Database.GetMigrations().ToArray();
        }

        Assert.Equal(
            typeof(SystemOverviewService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion,
            overview.Version);
        Assert.Equal(provider, overview.Database.Provider);
        Assert.Equal((migrations.Length, migrations[^1]), (overview.Database.AppliedMigrations, overview.Database.LatestMigration));
        Assert.Empty(overview.Database.PendingMigrations!);
        Assert.Equal(
            new DocumentStoreOverview(StorageProvider.FileSystem, Path.Combine(scenario.Installation.DataDirectory, "documents"), Reachable: true),
            overview.DocumentStore);
        Assert.Equal((EmailMode.Pickup, scenario.Installation.PickupDirectory, null), (overview.Email.Mode, overview.Email.PickupFolder, overview.Email.SmtpServer));
        Assert.Equal(new LiveSessionServerLoad("In memory (this server)", 1, 1), overview.LiveSessions);

        var counts = overview.Counts!;
        Assert.Equal([(ContractStatus.Draft, 2), (ContractStatus.Review, 1), (ContractStatus.Signed, 0)], counts.ContractsByStatus.Select(c => (c.Status, c.Count)));
        Assert.Equal(3, counts.Documents);
        Assert.Equal(withDocuments.Documents.Concat(inReview.Documents).Sum(d => d.Size), counts.StorageBytes);
        Assert.Equal((3, 1), (counts.Users, counts.ActiveLiveSessions));

        Assert.Equal(["dataDirectory", "database", "documentStore", "liveSessions"], overview.Health.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.All(overview.Health, h => Assert.Equal(HealthStatus.Healthy, h.Status));
        Assert.Contains(overview.Health, h => h.Description == "The database answers.");
    }

    [Fact]
    public async Task No_password_key_or_secret_reaches_the_api_or_the_page()
    {
        const string databasePassword = "DbPassword7Xq";
        const string smtpPassword = "SmtpPassword4Kd";
        const string s3Secret = "S3Secret9Wz";
        var masterKey = LettersAndDigitsKey();
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"{installation.Postgres.ConnectionString};Password={databasePassword}",
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = "smtp.example.org",
            ["Email:Smtp:Port"] = "2525",
            ["Email:Smtp:Security"] = "StartTls",
            ["Email:Smtp:UserName"] = "mailer",
            ["Email:Smtp:Password"] = smtpPassword,
            ["Storage:MasterKey"] = masterKey,
            ["Storage:Provider"] = "S3",
            ["Storage:S3:Bucket"] = "lc-system-page",
            ["Storage:S3:ServiceUrl"] = TestServers.S3,
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:AccessKey"] = "S3RVER",
            ["Storage:S3:SecretKey"] = s3Secret,
        });
        var (admin, _) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, admin.Id);
        using var browser = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var answer = await api.GetAsync("api/admin/system");
        using var page = await browser.GetAsync("admin/system");
        var json = await answer.Content.ReadAsStringAsync();
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var overview = JsonSerializer.Deserialize<SystemOverview>(json, ApiClient.Json)!;
        Assert.Equal((EmailMode.Smtp, "smtp.example.org:2525", SmtpSecurity.StartTls, true), (overview.Email.Mode, overview.Email.SmtpServer, overview.Email.SmtpSecurity, overview.Email.SmtpAuthentication));
        Assert.Equal((StorageProvider.S3, $"bucket lc-system-page at {TestServers.S3}"), (overview.DocumentStore.Provider, overview.DocumentStore.Location));
        Assert.Equal(DatabaseProvider.Postgres, overview.Database.Provider);
        Assert.Contains("smtp.example.org:2525", html, StringComparison.Ordinal);
        Assert.Contains("lc-system-page", html, StringComparison.Ordinal);
        foreach (var secret in new[] { databasePassword, smtpPassword, s3Secret, masterKey.TrimEnd('=') })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }
    }

    /// <summary>A master key whose base64 is letters and digits (but its padding), so neither JSON nor HTML escaping could hide it from the search.</summary>
    private static string LettersAndDigitsKey()
    {
        while (true)
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            if (key.TrimEnd('=').All(char.IsAsciiLetterOrDigit))
            {
                return key;
            }
        }
    }
}
