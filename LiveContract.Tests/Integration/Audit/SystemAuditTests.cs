using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Audit;

/// <summary>The system stream: sign-ins, tokens and settings are recorded; every chain is checked in one scan; the admin endpoints are for admins only.</summary>
public sealed class SystemAuditTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Sign_ins_are_recorded_with_the_reason_of_each_refusal(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var client = app.CreateWebClient();

        using (await client.LoginAsync("nobody@example.com", "whatever password"))
        {
        }

        using (await client.LoginAsync("my secret@password", "whatever password"))
        {
        }

        using (await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword))
        {
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var failure = await client.LoginAsync("ADVISOR@example.com", "not-the-password");
        }

        // The back-off refuses this one before any check: it is no sign-in, and locks nothing.
        using (var backedOff = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword))
        {
            Assert.Contains("Too many failed sign-ins with this email from your address.", await backedOff.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var events = await SystemEventsAsync(app);
        string[] signInTypes = [AuditEventTypes.UserSignedIn, AuditEventTypes.UserSignInFailed, AuditEventTypes.UserLockedOut];
        var signIns = events.Where(e => signInTypes.Contains(e.Type)).ToList();
        Assert.Equal(
            [
                (AuditEventTypes.UserSignInFailed, AccountAudit.UnknownAccount),
                (AuditEventTypes.UserSignInFailed, AccountAudit.UnknownAccount),
                (AuditEventTypes.UserSignedIn, null),
                (AuditEventTypes.UserSignInFailed, AccountAudit.WrongPassword),
                (AuditEventTypes.UserSignInFailed, AccountAudit.WrongPassword),
                (AuditEventTypes.UserSignInFailed, AccountAudit.WrongPassword),
                (AuditEventTypes.UserSignInFailed, AccountAudit.WrongPassword),
                (AuditEventTypes.UserSignInFailed, AccountAudit.WrongPassword),
            ],
            signIns.Select(e => (e.Type, Text(e, "reason"))).ToList());
        Assert.Equal(("n***@example.com", AccountAudit.NotAnEmailAddress), (Text(signIns[0], "email"), Text(signIns[1], "email")));
        Assert.Null(signIns[0].ActorId);
        Assert.All(signIns, e => Assert.DoesNotContain("nobody", e.Data, StringComparison.Ordinal));
        Assert.All(signIns, e => Assert.DoesNotContain("secret", e.Data, StringComparison.Ordinal));
        Assert.Equal((advisor.Id, AuditActor.AdvisorRole), (signIns[2].ActorId, signIns[2].ActorRole));
        Assert.Equal("advisor@example.com", Text(signIns[3], "email"));
        Assert.Equal(advisor.Id, Text(signIns[7], "userId"));
        Assert.All(signIns, e => Assert.False(string.IsNullOrEmpty(e.IpAddress)));
        Assert.All(signIns, e => Assert.DoesNotContain("not-the-password", e.Data, StringComparison.Ordinal));
        Assert.DoesNotContain(signIns, e => e.Data.Contains(LiveContractApp.AdvisorPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_accounts_typed_email_is_kept_masked_and_a_password_change_is_recorded()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        var audit = app.Services.GetRequiredService<AccountAudit>();
        await audit.RecordSignInAsync(new SignInAttempt(new string('x', 1000) + "@example.com", null, false, false, "198.51.100.4"));
        using var client = await app.LogInAsAdvisorAsync();
        using (await client.SubmitFormAsync("Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = LiveContractApp.AdvisorPassword,
            ["Input.NewPassword"] = "my brand new password",
            ["Input.ConfirmPassword"] = "my brand new password",
        }))
        {
        }

        var events = await SystemEventsAsync(app);
        var refused = events.Single(e => e.Type == AuditEventTypes.UserSignInFailed);
        Assert.Equal("x***@example.com", Text(refused, "email"));
        Assert.Equal("198.51.100.4", refused.IpAddress);
        var changed = events.Single(e => e.Type == AuditEventTypes.UserPasswordChanged);
        Assert.Equal(("advisor@example.com", AccountAudit.OwnChange), (Text(changed, "email"), Text(changed, "how")));
        Assert.Equal("advisor@example.com changed their password", AuditDescriptions.Describe(changed.Type, changed.Data));
    }

    [Fact]
    public async Task Sign_ins_refused_by_an_admins_lock_and_by_a_deactivation_say_so_and_a_reset_through_the_emailed_link_is_recorded()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var adminActor = new Actor(admin.Id, IsAdmin: true);
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        Assert.True((await accounts.LockAsync(adminActor, advisor.Id)).Succeeded);
        using var client = app.CreateWebClient();
        using (await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword))
        {
        }

        Assert.True((await accounts.UnlockAsync(adminActor, advisor.Id)).Succeeded);
        Assert.True((await accounts.SendPasswordResetLinkAsync(adminActor, advisor.Id)).Succeeded);
        var link = new Uri(Mailbox.PasswordLink(await Mailbox.WaitForMessageAsync(installation.PickupDirectory, "advisor@example.com")));
        using (var reset = await client.SubmitFormAsync(link.PathAndQuery.TrimStart('/'), new Dictionary<string, string>
        {
            ["Input.Email"] = "advisor@example.com",
            ["Input.Password"] = "a password from the link",
            ["Input.ConfirmPassword"] = "a password from the link",
        }))
        {
            Assert.Equal("/Account/ResetPasswordConfirmation", client.RedirectPath(reset));
        }

        Assert.True((await app.Services.GetRequiredService<UserDeactivation>().DeactivateAsync(adminActor, advisor.Id, reassignTo: null)).Succeeded);
        using (await client.LoginAsync("advisor@example.com", "a password from the link"))
        {
        }

        var events = await SystemEventsAsync(app);
        var refused = events.Where(e => e.Type == AuditEventTypes.UserSignInFailed).OrderBy(e => e.Sequence).ToList();
        Assert.Equal([AccountAudit.LockedByAdministrator, AccountAudit.Deactivated], refused.Select(e => Text(e, "reason")));
        Assert.DoesNotContain(events, e => e.Type == AuditEventTypes.UserLockedOut);
        var changed = events.Single(e => e.Type == AuditEventTypes.UserPasswordChanged);
        Assert.Equal((advisor.Id, AccountAudit.EmailedLink), (changed.ActorId, Text(changed, "how")));
        Assert.Equal("advisor@example.com chose a new password through an emailed link", AuditDescriptions.Describe(changed.Type, changed.Data));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_system_stream_pages_newest_first_filters_by_type_or_family_and_finds_an_email(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var accounts = app.Services.GetRequiredService<AccountAudit>();
        for (var i = 0; i < 3; i++)
        {
            await accounts.RecordSignInAsync(new SignInAttempt("advisor@example.com", advisor.Id, false, true, "192.0.2.1"));
            await accounts.RecordSignInAsync(new SignInAttempt($"Stranger{i}@Example{i}.com", null, false, false, "192.0.2.2"));
        }

        await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(new Actor(admin.Id, IsAdmin: true), "Backup");
        var audit = app.Services.GetRequiredService<AuditService>();
        var adminActor = new Actor(admin.Id, IsAdmin: true);

        var firstPage = (await audit.ListSystemAsync(adminActor, new SystemAuditQuery(1, 4))).Value!;
        var family = (await audit.ListSystemAsync(adminActor, new SystemAuditQuery(2, 4, "user."))).Value!;
        var exact = (await audit.ListSystemAsync(adminActor, new SystemAuditQuery(1, 50, AuditEventTypes.UserSignInFailed))).Value!;
        var found = (await audit.ListSystemAsync(adminActor, new SystemAuditQuery(1, 50, Search: "@EXAMPLE1.com"))).Value!;
        var refused = await audit.ListSystemAsync(new Actor(advisor.Id, IsAdmin: false), new SystemAuditQuery());

        var all = await SystemEventsAsync(app);
        Assert.Equal(all.Count, firstPage.Total);
        Assert.Equal(all.AsEnumerable().Reverse().Take(4).Select(e => e.Sequence), firstPage.Items.Select(e => e.Sequence));
        Assert.Equal(AuditEventTypes.TokenCreated, firstPage.Items[0].Type);
        Assert.Equal("Ada Admin", firstPage.Items[0].ActorName);
        var userEvents = all.Count(e => e.Type.StartsWith("user.", StringComparison.Ordinal));
        Assert.Equal(8, userEvents);
        Assert.Equal((userEvents, 4), (family.Total, family.Items.Count));
        Assert.Equal(3, exact.Total);
        Assert.All(exact.Items, e => Assert.Equal("Not signed in", e.ActorName));
        Assert.Equal("Sign-in refused for S***@Example1.com: unknown account", Assert.Single(found.Items).Description);
        Assert.Empty((await audit.ListSystemAsync(adminActor, new SystemAuditQuery(1, 50, Search: "stranger"))).Value!.Items);
        Assert.Equal(0, (await audit.ListSystemAsync(adminActor, new SystemAuditQuery(1, 50, "nothing."))).Value!.Total);
        Assert.Equal(ErrorKind.Forbidden, refused.Error?.Kind);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Token_creation_and_revocation_are_recorded_and_an_admin_revokes_anyones_token(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var tokens = app.Services.GetRequiredService<ApiTokenService>();
        var owner = new Actor(advisor.Id, IsAdmin: false) { IpAddress = "198.51.100.9" };
        var created = await tokens.CreateAsync(owner, "CRM");
        using var api = ApiClient.WithToken(app, created.Value.Secret);
        using (var before = await api.GetAsync("api/contracts"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var refused = await tokens.RevokeAsAdminAsync(owner, created.Value.Token.Id);
        var unknown = await tokens.RevokeAsAdminAsync(new Actor(admin.Id, IsAdmin: true), Guid.NewGuid());
        var revoked = await tokens.RevokeAsAdminAsync(new Actor(admin.Id, IsAdmin: true), created.Value.Token.Id);
        var again = await tokens.RevokeAsAdminAsync(new Actor(admin.Id, IsAdmin: true), created.Value.Token.Id);
        using var after = await api.GetAsync("api/contracts");

        Assert.Equal(ErrorKind.Forbidden, refused.Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, unknown.Error?.Kind);
        Assert.True(revoked.Succeeded);
        Assert.True(again.Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var events = (await SystemEventsAsync(app)).Where(e => e.Type.StartsWith("token.", StringComparison.Ordinal)).ToList();
        Assert.Equal([AuditEventTypes.TokenCreated, AuditEventTypes.TokenRevoked], events.Select(e => e.Type));
        Assert.Equal((advisor.Id, "198.51.100.9"), (events[0].ActorId, events[0].IpAddress));
        Assert.Equal((admin.Id, AuditActor.AdminRole), (events[1].ActorId, events[1].ActorRole));
        Assert.All(events, e => Assert.Equal((created.Value.Token.Id.ToString(), "CRM", created.Value.Token.Prefix, advisor.Id), (Text(e, "tokenId"), Text(e, "name"), Text(e, "prefix"), Text(e, "ownerId"))));
        Assert.DoesNotContain(events, e => e.Data.Contains(created.Value.Secret, StringComparison.Ordinal));
        var listed = await tokens.ListAllAsync(new ApiTokenQuery());
        var row = Assert.Single(listed.Items);
        Assert.Equal((1, "Victor Advisor", "advisor@example.com", false), (listed.Total, row.OwnerName, row.OwnerEmail, row.IsActive));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Settings_are_recorded_at_the_first_start_and_again_only_when_they_change(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        // Each start listens on a new port; one public address keeps the settings the same.
        var publicUrl = new Dictionary<string, string?> { ["LiveContract:PublicUrl"] = "https://contracts.example.com/" };
        await using (var first = installation.Start(publicUrl))
        {
            var recorded = Assert.Single(await SettingsEventsAsync(first));
            var changes = JsonDocument.Parse(recorded.Data).RootElement.GetProperty("changes");
            Assert.Equal(JsonValueKind.Null, changes.GetProperty("database.provider").GetProperty("from").ValueKind);
            Assert.Equal(provider.ToString(), changes.GetProperty("database.provider").GetProperty("to").GetString());
            Assert.Equal("500", changes.GetProperty("documents.maxPages").GetProperty("to").GetString());
            Assert.Null(recorded.ActorId);
            if (provider == DatabaseProvider.Postgres)
            {
                Assert.DoesNotContain("Password", recorded.Data, StringComparison.OrdinalIgnoreCase);
            }
        }

        await using (var unchanged = installation.Start(publicUrl))
        {
            Assert.Single(await SettingsEventsAsync(unchanged));
        }

        await using var changed = installation.Start(new Dictionary<string, string?>(publicUrl) { ["Documents:MaxPages"] = "300" });
        var events = await SettingsEventsAsync(changed);
        Assert.Equal(2, events.Count);
        var change = JsonDocument.Parse(events[1].Data).RootElement.GetProperty("changes");
        Assert.Equal(["documents.maxPages"], change.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("500", "300"), (change.GetProperty("documents.maxPages").GetProperty("from").GetString(), change.GetProperty("documents.maxPages").GetProperty("to").GetString()));
        Assert.Equal("Settings changed: documents.maxPages from 500 to 300", AuditDescriptions.Describe(events[1].Type, events[1].Data));
    }

    [Fact]
    public async Task Several_servers_recording_the_same_settings_at_once_write_them_once()
    {
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var app = installation.Start(new Dictionary<string, string?> { ["Documents:MaxPages"] = "42" });
        var settings = app.Services.GetRequiredService<SettingsAudit>();
        var before = (await SettingsEventsAsync(app)).Count;

        await using var other = installation.Start(new Dictionary<string, string?> { ["Documents:MaxPages"] = "43" });
        var written = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => settings.RecordAsync()));

        var events = await SettingsEventsAsync(app);
        Assert.Equal(before + 2, events.Count);
        Assert.Equal(1, written.Count(w => w));
        Assert.Contains("\"to\":\"42\"", events[^1].Data, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Verifying_every_chain_counts_every_stream_and_lists_only_the_tampered_one(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var contracts = app.Services.GetRequiredService<ContractService>();
        var advisorActor = new Actor(advisor.Id, IsAdmin: false);
        var created = new List<ContractDetails>();
        for (var i = 0; i < 6; i++)
        {
            var outcome = await contracts.CreateAsync(advisorActor, new NewContract($"Contract {i}", "Carla Customer", "carla@example.com"));
            created.Add(outcome.Value!);
            await contracts.UpdateAsync(advisorActor, outcome.Value!.Id, new ContractChanges(Title: $"Contract {i} renamed"));
        }

        var tampered = created[3];
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await AuditTamperingTests.ForgeNextEventAsync(db, tampered.Id);
        }

        var audit = app.Services.GetRequiredService<AuditService>();
        var reports = new List<ChainsProgress>();
        var refused = await audit.VerifyAllAsync(advisorActor);
        var outcome2 = await audit.VerifyAllAsync(new Actor(admin.Id, IsAdmin: true), new SynchronousProgress(reports));

        Assert.Equal(ErrorKind.Forbidden, refused.Error?.Kind);
        var report = outcome2.Value!;
        Assert.Equal(7, report.Streams);
        Assert.Equal(1, report.Broken);
        var broken = Assert.Single(report.BrokenStreams);
        Assert.Equal((tampered.Id, tampered.Reference, 3L, 2L), (broken.ContractId, broken.ContractReference, broken.BrokenSequence, broken.Events));
        Assert.False(report.AllIntact);
        var stored = await SystemEventsAsync(app);
        Assert.Equal(stored.Count(e => e.Type != AuditEventTypes.ChainsVerified) + 6 * 2 + 1, report.Events);
        Assert.Equal((report.Events, report.Events), (reports[^1].EventsChecked, reports[^1].EventsTotal));
        var recorded = stored.Last();
        Assert.Equal(AuditEventTypes.ChainsVerified, recorded.Type);
        Assert.Equal($"Every audit chain verified: 7 streams, {report.Events} events, 1 broken: {AuditStreams.Contract(tampered.Id)}", AuditDescriptions.Describe(recorded.Type, recorded.Data));
    }

    [Fact]
    public async Task The_admin_endpoints_answer_401_to_the_anonymous_403_to_an_advisor_and_serve_an_admin()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var advisorToken = await app.Services.GetRequiredService<ApiTokenService>().CreateAsync(new Actor(advisor.Id, IsAdmin: false), "script");
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        using var asAdvisor = ApiClient.WithToken(app, advisorToken.Value.Secret);
        using var asAdmin = await ApiClient.ForAsync(app, admin.Id);
        var revokePath = $"api/admin/tokens/{advisorToken.Value.Token.Id}/revoke";

        foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.Unauthorized), (asAdvisor, HttpStatusCode.Forbidden) })
        {
            using var system = await client.GetAsync("api/admin/audit/system");
            using var verify = await client.PostAsync("api/admin/audit/verify", null);
            using var list = await client.GetAsync("api/admin/tokens");
            using var revoke = await client.PostAsync(revokePath, null);
            Assert.Equal([expected, expected, expected, expected], new[] { system.StatusCode, verify.StatusCode, list.StatusCode, revoke.StatusCode });
        }

        var page = await asAdmin.GetFromJsonAsync<JsonElement>("api/admin/audit/system?page=1&pageSize=2&type=token.");
        var verified = await (await asAdmin.PostAsync("api/admin/audit/verify", null)).Content.ReadFromJsonAsync<JsonElement>();
        var tokens = await asAdmin.GetFromJsonAsync<JsonElement>("api/admin/tokens?page=1&pageSize=10");
        using var revoked = await asAdmin.PostAsync(revokePath, null);
        using var unknown = await asAdmin.PostAsync($"api/admin/tokens/{Guid.NewGuid()}/revoke", null);
        using var advisorAfter = await asAdvisor.GetAsync("api/contracts");

        Assert.Equal((2, 2), (page.GetProperty("total").GetInt32(), page.GetProperty("items").GetArrayLength()));
        Assert.Equal(AuditEventTypes.TokenCreated, page.GetProperty("items")[0].GetProperty("type").GetString());
        Assert.True(verified.GetProperty("allIntact").GetBoolean());
        Assert.Equal((0, 0), (verified.GetProperty("broken").GetInt32(), verified.GetProperty("brokenStreams").GetArrayLength()));
        Assert.Equal(["checkedAt", "streams", "events", "broken", "brokenStreams", "allIntact"], verified.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, tokens.GetProperty("total").GetInt32());
        Assert.DoesNotContain(advisorToken.Value.Secret, tokens.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, advisorAfter.StatusCode);
    }

    [Theory]
    [InlineData("admin/audit")]
    [InlineData("admin/tokens")]
    public async Task The_admin_pages_send_the_anonymous_to_login_an_advisor_to_access_denied_and_serve_an_admin(string path)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var anonymous = app.CreateWebClient();
        using var advisor = await app.LogInAsAdvisorAsync();
        using var admin = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var toLogin = await anonymous.GetAsync(path);
        using var denied = await advisor.GetAsync(path);
        using var served = await admin.GetAsync(path);

        Assert.Equal("/Account/Login", anonymous.RedirectPath(toLogin));
        Assert.Equal("/Account/AccessDenied", advisor.RedirectPath(denied));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("Administration", await served.Content.ReadAsStringAsync());
    }

    private static async Task<List<AuditEvent>> SystemEventsAsync(LiveContractApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStreams.System).OrderBy(e => e.Sequence).ToListAsync();
    }

    private static async Task<List<AuditEvent>> SettingsEventsAsync(LiveContractApp app) =>
        (await SystemEventsAsync(app)).Where(e => e.Type == AuditEventTypes.SettingsChanged).ToList();

    private static string? Text(AuditEvent audit, string name) =>
        JsonDocument.Parse(audit.Data).RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Collects reports on the caller's thread, so the last one is there when the call returns.</summary>
    private sealed class SynchronousProgress(List<ChainsProgress> reports) : IProgress<ChainsProgress>
    {
        public void Report(ChainsProgress value) => reports.Add(value);
    }
}
