using System.Net;
using System.Text.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Administration;

/// <summary>Deactivating an advisor who left, on both databases: contracts, sessions, sign-in, tokens and the audit trail.</summary>
public sealed class UserDeactivationTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Deactivating_an_advisor_moves_their_open_contracts_ends_their_sessions_and_keeps_the_signed_ones(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var live = scenario.Live;
        var signed = await scenario.StartInReviewAsync(advisorMustSign: false);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(signed));
        Assert.Equal(ContractStatus.Signed, (await scenario.ContractAsync(signed.ContractId)).Status);
        var draft = await live.CreateContractAsync();
        var inSession = await scenario.StartInReviewAsync(customerEmail: "hugo@example.com");
        var olgaBefore = (await Accounts(live).GetAsync(live.OtherAdvisor.UserId)).Value!;
        var token = (await live.App.Services.GetRequiredService<ApiTokenService>().CreateAsync(new Actor(live.Advisor.UserId, IsAdmin: false), "integration")).Value.Secret;

        int tokensBefore;
        await using (var db = live.Database())
        {
            tokensBefore = await db.ApiTokens.CountAsync(t => t.UserId == live.Advisor.UserId && t.RevokedAt == null);
        }

        Assert.True(tokensBefore >= 1);
        var impact = LiveSessionScenario.Accepted(await Deactivations(live).GetImpactAsync(live.Advisor.UserId));
        Assert.Equal(2, impact.OpenContracts);
        // The signed contract's session completed with its signature: only the one in review is open.
        Assert.Equal(1, impact.ActiveSessions);
        Assert.Equal([live.OtherAdvisor.UserId], impact.Advisors.Select(a => a.Id));

        var done = LiveSessionScenario.Accepted(await Deactivations(live).DeactivateAsync(live.Admin, live.Advisor.UserId, live.OtherAdvisor.UserId));

        Assert.Equal(new Deactivation(live.Advisor.UserId, true, live.OtherAdvisor.UserId, 2, 1), done);
        Assert.Equal(live.OtherAdvisor.UserId, (await scenario.ContractAsync(draft.Id)).AdvisorId);
        Assert.Equal(live.OtherAdvisor.UserId, (await scenario.ContractAsync(inSession.ContractId)).AdvisorId);
        Assert.Equal(live.Advisor.UserId, (await scenario.ContractAsync(signed.ContractId)).AdvisorId);
        await using (var db = live.Database())
        {
            Assert.False(await db.LiveSessions.AnyAsync(s => s.Status == LiveSessionStatus.Active));
            Assert.Equal(live.Admin.UserId, (await db.LiveSessions.SingleAsync(s => s.Id == inSession.SessionId)).EndedById);
            Assert.Equal(LiveSessionStatus.Completed, (await db.LiveSessions.SingleAsync(s => s.Id == signed.SessionId)).Status);
        }

        // The new advisor works on them: they see and change them.
        var page = await live.Contracts.ListAsync(live.OtherAdvisor, new ContractQuery());
        Assert.Equal(new[] { draft.Id, inSession.ContractId }.Order(), page.Items.Select(c => c.Id).Order());
        LiveSessionScenario.Accepted(await live.Contracts.UpdateAsync(live.OtherAdvisor, draft.Id, new ContractChanges(Title: "Taken over")));

        var row = (await Accounts(live).GetAsync(live.Advisor.UserId)).Value!;
        Assert.Equal(UserStatus.Deactivated, row.Status);
        Assert.Equal((0, 1), (row.OpenContracts, row.SignedContracts));
        var olga = (await Accounts(live).GetAsync(live.OtherAdvisor.UserId)).Value!;
        Assert.Equal(olgaBefore.OpenContracts + 2, olga.OpenContracts);

        // No sign-in, no API token.
        using var client = live.App.CreateWebClient();
        using var login = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Null(client.RedirectPath(login));
        Assert.Contains("The email or password is wrong.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var api = ApiClient.WithToken(live.App, token);
        using var refused = await api.GetAsync("api/contracts");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The audit trail: one system event with the numbers, one event on each moved contract.
        var deactivated = await SystemEventAsync(live, AuditEventTypes.UserDeactivated);
        Assert.Equal(live.Admin.UserId, deactivated.ActorId);
        using (var data = JsonDocument.Parse(deactivated.Data))
        {
            Assert.Equal(live.Advisor.UserId, data.RootElement.GetProperty("userId").GetString());
            Assert.Equal("advisor@example.com", data.RootElement.GetProperty("email").GetString());
            Assert.Equal(live.OtherAdvisor.UserId, data.RootElement.GetProperty("reassignedToId").GetString());
            Assert.Equal("Olga Other", data.RootElement.GetProperty("reassignedToName").GetString());
            Assert.Equal(2, data.RootElement.GetProperty("contractsReassigned").GetInt32());
            Assert.Equal(1, data.RootElement.GetProperty("sessionsEnded").GetInt32());
            Assert.Equal(tokensBefore, data.RootElement.GetProperty("tokensRevoked").GetInt32());
        }

        // Revoked, not only refused while locked: reactivating the account does not revive them.
        var revoked = (await EventsAsync(live, AuditStreams.System, AuditEventTypes.TokenRevoked)).Where(e => e.Data.Contains(live.Advisor.UserId, StringComparison.Ordinal)).ToList();
        Assert.Equal(tokensBefore, revoked.Count);
        LiveSessionScenario.Accepted(await Deactivations(live).ReactivateAsync(live.Admin, live.Advisor.UserId));
        using (var afterReactivation = await api.GetAsync("api/contracts"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterReactivation.StatusCode);
        }

        foreach (var id in new[] { draft.Id, inSession.ContractId })
        {
            var moved = Assert.Single(await EventsAsync(live, AuditStreams.Contract(id), AuditEventTypes.ContractReassigned));
            using var data = JsonDocument.Parse(moved.Data);
            Assert.Equal("Victor Advisor", data.RootElement.GetProperty("fromAdvisorName").GetString());
            Assert.Equal("Olga Other", data.RootElement.GetProperty("toAdvisorName").GetString());
        }

        Assert.Empty(await EventsAsync(live, AuditStreams.Contract(signed.ContractId), AuditEventTypes.ContractReassigned));
        Assert.Single(await EventsAsync(live, AuditStreams.Contract(inSession.ContractId), AuditEventTypes.SessionEnded));
        await using (var db = live.Database())
        {
            Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.System)).IsOk);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Refusals_say_why_and_change_nothing(DatabaseProvider provider)
    {
        await using var live = await LiveSessionScenario.CreateAsync(provider);
        await live.CreateContractAsync();
        var deactivations = Deactivations(live);
        var locked = await live.App.CreateUserAsync("Lena Locked", "lena@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        Assert.True((await Accounts(live).LockAsync(live.Admin, locked.Id)).Succeeded);
        var secondAdmin = await live.App.CreateUserAsync("Bea Admin", "bea@example.com", Roles.Admin, LiveContractApp.AdminPassword);

        var self = await deactivations.DeactivateAsync(live.Admin, live.Admin.UserId, null);
        var noTarget = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, null);
        var unknownTarget = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, "no-such-id");
        var lockedTarget = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, locked.Id);
        var adminTarget = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, secondAdmin.Id);
        var themselves = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, live.Advisor.UserId);
        var unknown = await deactivations.DeactivateAsync(live.Admin, "no-such-id", null);

        Assert.Equal("You cannot deactivate your own account; another admin can.", self.Error!.Message);
        Assert.Equal("Victor Advisor has 1 open contract: choose the advisor who takes them over.", noTarget.Error!.Message);
        Assert.All([unknownTarget, lockedTarget, adminTarget, themselves], o => Assert.Equal(ContractReassignment.NotAnAdvisor, o.Error));
        Assert.Equal(ErrorKind.NotFound, unknown.Error!.Kind);
        Assert.Equal(UserStatus.Active, (await Accounts(live).GetAsync(live.Advisor.UserId)).Value!.Status);
        await using var db = live.Database();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Type == AuditEventTypes.UserDeactivated));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_admins_deactivating_each_other_at_once_leave_one_active_admin(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var ada = new Actor((await app.CreateAdminAsync()).Id, IsAdmin: true);
        var bea = new Actor((await app.CreateUserAsync("Bea Admin", "bea@example.com", Roles.Admin, LiveContractApp.AdminPassword)).Id, IsAdmin: true);
        var deactivations = app.Services.GetRequiredService<UserDeactivation>();

        var outcomes = await Task.WhenAll(
            Task.Run(() => deactivations.DeactivateAsync(ada, bea.UserId, null)),
            Task.Run(() => deactivations.DeactivateAsync(bea, ada.UserId, null)));

        // The system stream's sequence serialises the two: the second sees that its own admin was just deactivated.
        Assert.Single(outcomes, o => o.Succeeded);
        Assert.Contains("may no longer administer accounts", Assert.Single(outcomes, o => !o.Succeeded).Error!.Message);
        var users = await app.Services.GetRequiredService<UserAdministration>().ListAsync();
        Assert.Single(users, u => u.Status == UserStatus.Active);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_admin_deactivated_or_demoted_a_moment_ago_changes_no_account_from_a_page_still_open(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var ada = new Actor((await app.CreateAdminAsync()).Id, IsAdmin: true);
        var bea = new Actor((await app.CreateUserAsync("Bea Admin", "bea@example.com", Roles.Admin, LiveContractApp.AdminPassword)).Id, IsAdmin: true);
        var cid = new Actor((await app.CreateUserAsync("Cid Admin", "cid@example.com", Roles.Admin, LiveContractApp.AdminPassword)).Id, IsAdmin: true);
        var advisor = await app.CreateAdvisorAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        var deactivations = app.Services.GetRequiredService<UserDeactivation>();
        Assert.True((await deactivations.DeactivateAsync(ada, bea.UserId, null)).Succeeded);
        Assert.True((await accounts.ChangeRolesAsync(ada, cid.UserId, [Roles.Advisor])).Succeeded);

        // Their pages still hold an admin's claims (revalidated within a minute): the server decides on the database.
        var locked = await accounts.LockAsync(bea, ada.UserId);
        var demoted = await accounts.ChangeRolesAsync(cid, ada.UserId, [Roles.Advisor]);
        var deactivated = await deactivations.DeactivateAsync(bea, advisor.Id, null);
        var created = await accounts.CreateAsync("Eve", "eve@example.com", Roles.Admin, "a password for eve 123", bea);

        Assert.Contains("may no longer administer accounts", Assert.Single(locked.Errors).Description);
        Assert.Equal(ErrorKind.Forbidden, demoted.Error?.Kind);
        Assert.Equal(ErrorKind.Forbidden, deactivated.Error?.Kind);
        Assert.False(created.Succeeded);
        var users = await accounts.ListAsync();
        Assert.Equal(UserStatus.Active, users.Single(u => u.Id == ada.UserId).Status);
        Assert.Contains(Roles.Admin, users.Single(u => u.Id == ada.UserId).Roles);
        Assert.Equal(UserStatus.Active, users.Single(u => u.Id == advisor.Id).Status);
        Assert.DoesNotContain(users, u => u.Email == "eve@example.com");
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_repeated_deactivation_does_nothing_more_and_reactivation_gives_the_sign_in_back(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var acting = new Actor(admin.Id, IsAdmin: true);
        var deactivations = app.Services.GetRequiredService<UserDeactivation>();
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        var both = await Task.WhenAll(
            Task.Run(() => deactivations.DeactivateAsync(acting, advisor.Id, null)),
            Task.Run(() => deactivations.DeactivateAsync(acting, advisor.Id, null)));
        Assert.All(both, o => Assert.True(o.Succeeded));
        Assert.Single(both, o => o.Value!.DeactivatedNow);

        var unlock = await accounts.UnlockAsync(acting, advisor.Id);
        Assert.Equal("Victor Advisor is deactivated, not just locked. Reactivate instead.", Assert.Single(unlock.Errors).Description);

        var reactivated = LiveSessionScenario.Accepted(await deactivations.ReactivateAsync(acting, advisor.Id));
        var again = LiveSessionScenario.Accepted(await deactivations.ReactivateAsync(acting, advisor.Id));
        Assert.Equal(UserStatus.Active, reactivated.Status);
        Assert.Null(reactivated.DeactivatedAt);
        Assert.Equal(UserStatus.Active, again.Status);

        using var client = app.CreateWebClient();
        using var login = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", client.RedirectPath(login));
        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        var types = await db.AuditEvents.Where(e => e.Stream == AuditStreams.System).OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync();
        Assert.Equal(1, types.Count(t => t == AuditEventTypes.UserDeactivated));
        Assert.Equal(1, types.Count(t => t == AuditEventTypes.UserReactivated));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_contract_that_reached_a_deactivated_advisor_afterwards_moves_with_a_repeated_deactivation(DatabaseProvider provider)
    {
        await using var live = await LiveSessionScenario.CreateAsync(provider);
        var deactivations = Deactivations(live);
        LiveSessionScenario.Accepted(await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, null));

        // Created from a page that had not noticed the deactivation yet (its claims live up to a minute).
        var late = await live.CreateContractAsync();
        var nothing = LiveSessionScenario.Accepted(await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, null));
        var moved = LiveSessionScenario.Accepted(await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, live.OtherAdvisor.UserId));
        var noneLeft = await deactivations.DeactivateAsync(live.Admin, live.Advisor.UserId, live.Advisor.UserId);

        Assert.Equal((false, 0), (nothing.DeactivatedNow, nothing.ContractsReassigned));
        Assert.Equal((false, 1, live.OtherAdvisor.UserId), (moved.DeactivatedNow, moved.ContractsReassigned, moved.ReassignedToId));
        Assert.Equal(0, LiveSessionScenario.Accepted(noneLeft).ContractsReassigned);
        await using var db = live.Database();
        Assert.Equal(live.OtherAdvisor.UserId, (await db.Contracts.SingleAsync(c => c.Id == late.Id)).AdvisorId);
        Assert.Single(await db.AuditEvents.Where(e => e.Stream == AuditStreams.Contract(late.Id) && e.Type == AuditEventTypes.ContractReassigned).ToListAsync());
        Assert.Single(await db.AuditEvents.Where(e => e.Stream == AuditStreams.System && e.Type == AuditEventTypes.UserDeactivated).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Every_admin_change_of_a_user_is_on_the_system_stream_with_its_data(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, _) = await app.CreateStaffAsync();
        var acting = new Actor(admin.Id, IsAdmin: true) { IpAddress = "198.51.100.9" };
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        Assert.True((await accounts.CreateAsync("Nora New", "nora@example.com", Roles.Advisor, null, acting)).Succeeded);
        var nora = (await accounts.ListAsync()).Single(u => u.Email == "nora@example.com");
        Assert.True((await accounts.LockAsync(acting, nora.Id)).Succeeded);
        Assert.True((await accounts.UnlockAsync(acting, nora.Id)).Succeeded);
        Assert.True((await accounts.SetPasswordAsync(acting, nora.Id, "a long enough password")).Succeeded);
        Assert.True((await accounts.SendPasswordResetLinkAsync(acting, nora.Id)).Succeeded);
        LiveSessionScenario.Accepted(await accounts.ChangeRolesAsync(acting, nora.Id, [Roles.Advisor, Roles.Admin]));
        LiveSessionScenario.Accepted(await accounts.ChangeRolesAsync(acting, nora.Id, [Roles.Advisor, Roles.Admin]));

        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == AuditStreams.System && e.Data.Contains(nora.Id))
            .OrderBy(e => e.Sequence)
            .ToListAsync();
        Assert.Equal(
            [
                AuditEventTypes.UserCreated, AuditEventTypes.UserPasswordLinkSent, AuditEventTypes.UserLocked, AuditEventTypes.UserUnlocked,
                AuditEventTypes.UserPasswordSet, AuditEventTypes.UserPasswordLinkSent, AuditEventTypes.UserRolesChanged,
            ],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal((admin.Id, AuditActor.AdminRole, "198.51.100.9"), (e.ActorId, e.ActorRole, e.IpAddress)));
        Assert.All(events, e => Assert.Contains("\"email\":\"nora@example.com\"", e.Data));
        Assert.Contains("\"from\":[\"Advisor\"],\"to\":[\"Admin\",\"Advisor\"]", events.Single(e => e.Type == AuditEventTypes.UserRolesChanged).Data);
        Assert.Contains("\"displayName\":\"Nora New\",\"role\":\"Advisor\"", events[0].Data);
        Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.System)).IsOk);
    }

    [Fact]
    public async Task The_first_administrator_is_recorded_as_creating_their_own_account()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();

        Assert.True((await app.Services.GetRequiredService<FirstRunSetup>().CreateAdministratorAsync("Ada Admin", "ada@example.com", LiveContractApp.AdminPassword)).Succeeded);

        var ada = (await app.Services.GetRequiredService<UserAdministration>().ListAsync()).Single();
        await using var db = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContext();
        var created = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Stream == AuditStreams.System && e.Type == AuditEventTypes.UserCreated);
        Assert.Equal((ada.Id, AuditActor.AdminRole), (created.ActorId, created.ActorRole));
        Assert.Equal($$"""{"userId":"{{ada.Id}}","email":"ada@example.com","displayName":"Ada Admin","role":"Admin"}""", created.Data);
    }

    [Fact]
    public async Task Roles_change_within_the_rules()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var acting = new Actor(admin.Id, IsAdmin: true);
        var accounts = app.Services.GetRequiredService<UserAdministration>();

        Assert.Equal("You cannot take away your own Admin role; another admin can.", (await accounts.ChangeRolesAsync(acting, admin.Id, [Roles.Advisor])).Error!.Message);
        Assert.Equal(ErrorKind.Invalid, (await accounts.ChangeRolesAsync(acting, advisor.Id, [])).Error!.Kind);
        Assert.Equal("'Root' is not a role. Use Admin or Advisor.", (await accounts.ChangeRolesAsync(acting, advisor.Id, ["Root"])).Error!.Message);
        Assert.Equal(ErrorKind.NotFound, (await accounts.ChangeRolesAsync(acting, "no-such-id", [Roles.Advisor])).Error!.Kind);

        var promoted = LiveSessionScenario.Accepted(await accounts.ChangeRolesAsync(acting, advisor.Id, ["admin"]));
        Assert.Equal([Roles.Admin], promoted.Roles);

        // Ada deactivated, Victor (now admin) is the last active one: Ada's page, still open, takes nothing from him.
        var victor = new Actor(advisor.Id, IsAdmin: true);
        LiveSessionScenario.Accepted(await app.Services.GetRequiredService<UserDeactivation>().DeactivateAsync(victor, admin.Id, null));
        var last = await accounts.ChangeRolesAsync(acting, advisor.Id, [Roles.Advisor]);
        Assert.Equal(ErrorKind.Forbidden, last.Error!.Kind);
        Assert.Contains(Roles.Admin, (await accounts.GetAsync(advisor.Id)).Value!.Roles);
    }

    private static UserAdministration Accounts(LiveSessionScenario live) => live.App.Services.GetRequiredService<UserAdministration>();

    private static UserDeactivation Deactivations(LiveSessionScenario live) => live.App.Services.GetRequiredService<UserDeactivation>();

    private static async Task<AuditEvent> SystemEventAsync(LiveSessionScenario live, string type) =>
        Assert.Single(await EventsAsync(live, AuditStreams.System, type));

    private static async Task<List<AuditEvent>> EventsAsync(LiveSessionScenario live, string stream, string type)
    {
        await using var db = live.Database();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream && e.Type == type).OrderBy(e => e.Sequence).ToListAsync();
    }
}
