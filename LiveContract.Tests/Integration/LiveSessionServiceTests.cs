using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Email;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Unit.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Integration;

public sealed class LiveSessionServiceTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_session_starts_on_a_draft_or_review_contract_and_never_on_a_signed_one(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var draft = await scenario.CreateContractWithDocumentAsync();
        var review = await scenario.CreateContractWithDocumentAsync();
        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, review.Id, new ContractChanges(Status: ContractStatus.Review)));
        var signed = await scenario.CreateContractWithDocumentAsync();
        await using (var db = scenario.Database())
        {
            await db.Contracts.Where(c => c.Id == signed.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ContractStatus.Signed));
        }

        var started = await scenario.StartAsync(draft.Id);
        await scenario.StartAsync(review.Id);
        var refused = await scenario.Sessions.StartAsync(scenario.Advisor, signed.Id);

        Assert.Equal(new OperationError(ErrorKind.Conflict, "This contract is signed and final: a live session can no longer be started."), refused.Error);
        Assert.Equal((draft.Id, draft.Reference, LiveSessionStatus.Active, "Victor Advisor", "Chloé Dupont", LiveSessionScenario.CustomerEmail), (started.Session.ContractId, started.Session.ContractReference, started.Session.Status, started.Session.AdvisorName, started.Session.CustomerName, started.Session.CustomerEmail));
        Assert.True(started.EmailSent);
        Assert.StartsWith($"{scenario.App.BaseAddress}join/lcs_", started.CustomerLink, StringComparison.Ordinal);
        Assert.Equal(scenario.App.BaseAddress.AbsoluteUri.Length + "join/".Length + 47, started.CustomerLink.Length);
        var link = started.Session.Link!;
        Assert.True(link.IsActive);
        Assert.Equal(TimeSpan.FromHours(24), link.ExpiresAt - link.CreatedAt);
    }

    [Fact]
    public async Task A_contract_without_documents_cannot_start_a_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var empty = await scenario.CreateContractAsync();

        var refused = await scenario.Sessions.StartAsync(scenario.Advisor, empty.Id);

        Assert.Equal(new OperationError(ErrorKind.Conflict, "Add a document before starting a live session."), refused.Error);
        await using var db = scenario.Database();
        Assert.Empty(await db.LiveSessions.ToListAsync());
    }

    [Fact]
    public async Task Another_advisor_does_not_find_the_contract_and_an_admin_may_not_start_a_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();

        var other = await scenario.Sessions.StartAsync(scenario.OtherAdvisor, contract.Id);
        var admin = await scenario.Sessions.StartAsync(scenario.Admin, contract.Id);
        var unknown = await scenario.Sessions.StartAsync(scenario.Advisor, Guid.NewGuid());

        Assert.Equal(OperationError.NotFound("That contract"), other.Error);
        Assert.Equal(OperationError.NotFound("That contract"), unknown.Error);
        Assert.Equal(ErrorKind.Forbidden, admin.Error!.Kind);
        Assert.Equal("Only the contract's advisor can change it; administrators see it read-only.", admin.Error.Message);
    }

    [Fact]
    public async Task A_second_session_waits_until_the_first_has_ended()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var first = await scenario.StartAsync(contract.Id);

        var second = await scenario.Sessions.StartAsync(scenario.Advisor, contract.Id);
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, first.Session.Id));
        var third = await scenario.StartAsync(contract.Id);

        Assert.Equal(new OperationError(ErrorKind.Conflict, "This contract already has a live session; end it before starting another."), second.Error);
        Assert.NotEqual(first.Session.Id, third.Session.Id);
        Assert.Equal(third.Session.Id, (await scenario.Sessions.GetActiveAsync(scenario.Advisor, contract.Id))!.Id);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Simultaneous_starts_leave_exactly_one_active_session(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => scenario.Sessions.StartAsync(scenario.Advisor, contract.Id))));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal("This contract already has a live session; end it before starting another.", o.Error!.Message));
        await using var db = scenario.Database();
        Assert.Single(await db.LiveSessions.Where(s => s.ContractId == contract.Id).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_database_itself_refuses_a_second_active_session(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        await using var db = scenario.Database();
        var row = await db.LiveSessions.AsNoTracking().SingleAsync(s => s.Id == started.Session.Id);

        db.LiveSessions.Add(new LiveSession { Id = Guid.NewGuid(), ContractId = contract.Id, AdvisorId = row.AdvisorId, CustomerId = row.CustomerId, Status = LiveSessionStatus.Active, StartedAt = row.StartedAt });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        db.LiveSessions.Add(new LiveSession { Id = Guid.NewGuid(), ContractId = contract.Id, AdvisorId = row.AdvisorId, CustomerId = row.CustomerId, Status = LiveSessionStatus.Ended, StartedAt = row.StartedAt });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_customer_receives_the_link_by_email_and_it_opens_the_session()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);

        var message = Assert.Single(await scenario.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 1));
        var link = LiveSessionScenario.SessionLink(message);
        var check = await scenario.Sessions.RedeemLinkAsync(LiveSessionScenario.TokenOf(link), "203.0.113.7");
        var opened = await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(check.Grant!.LinkId), check.Grant.SessionId);

        Assert.Equal($"Your live session for {contract.Reference}", message.Subject);
        Assert.Equal("Chloé Dupont", message.To.Mailboxes.Single().Name);
        Assert.Contains("Victor Advisor invites you", message.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(started.CustomerLink, link);
        Assert.Equal((started.Session.Id, contract.Id, contract.Reference, "Motor insurance", "Chloé Dupont", "Victor Advisor"), (check.Grant.SessionId, check.Grant.ContractId, check.Grant.ContractReference, check.Grant.ContractTitle, check.Grant.CustomerName, check.Grant.AdvisorName));
        var access = LiveSessionScenario.Accepted(opened);
        Assert.Equal(new LiveParticipant(started.Session.CustomerId.ToString(), ParticipantRole.Customer, "Chloé Dupont"), access.Participant);
        Assert.Equal([(LiveSessionScenario.ThreePages, 3)], access.Documents.Select(d => (d.FileName, d.PageCount)));
    }

    [Fact]
    public async Task The_link_goes_out_through_a_real_smtp_server()
    {
        var (host, port) = TestServers.Smtp;
        var customer = $"smtp-{Guid.NewGuid():N}@example.com";
        await using var scenario = await LiveSessionScenario.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Email:Mode"] = "Smtp",
            ["Email:Smtp:Host"] = host,
            ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
        });
        var contract = await scenario.CreateContractAsync(customerEmail: customer, fixtures: LiveSessionScenario.ThreePages);

        var started = await scenario.StartAsync(contract.Id);

        var received = await Mailbox.WaitForMessageAsync(TestServers.Maildir, customer);
        Assert.True(started.EmailSent);
        Assert.Equal(started.CustomerLink, LiveSessionScenario.SessionLink(received));
        Assert.True((await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(LiveSessionScenario.SessionLink(received)))).IsValid);
    }

    [Fact]
    public async Task A_failing_email_leaves_the_session_started_and_logs_no_link()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var recording = new RecordingLogger();
        var loggers = new LoggerFactory([recording]);
        var unreachable = new SmtpEmailSender(
            Options.Create(new EmailOptions { Mode = EmailMode.Smtp, Smtp = { Host = "127.0.0.1", Port = 1, Security = SmtpSecurity.None, TimeoutSeconds = 5 } }),
            TimeProvider.System,
            loggers.CreateLogger<SmtpEmailSender>());
        var sessions = ActivatorUtilities.CreateInstance<LiveSessionService>(scenario.App.Services, unreachable, loggers.CreateLogger<LiveSessionService>());

        var started = LiveSessionScenario.Accepted(await sessions.StartAsync(scenario.Advisor, contract.Id));

        Assert.False(started.EmailSent);
        Assert.True((await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).IsValid);
        Assert.Contains(recording.Messages(LogLevel.Warning), m => m.Contains("Emailing the link of live session", StringComparison.Ordinal));
        Assert.DoesNotContain(recording.Entries, e => e.Message.Contains(LiveSessionScenario.TokenOf(started.CustomerLink), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Only_the_hash_of_a_link_token_is_stored(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        await scenario.Sessions.RedeemLinkAsync(token, "203.0.113.7");

        await using var db = scenario.Database();
        var link = await db.SessionLinks.SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), link.TokenHash);
        var stored = string.Join(
            "\n",
            (await db.SessionLinks.AsNoTracking().ToListAsync()).Select(l => $"{l.Id} {l.TokenHash}")
                .Concat((await db.AuditEvents.AsNoTracking().ToListAsync()).Select(a => $"{a.ActorId} {a.Data} {a.IpAddress}")));
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(token[4..], stored, StringComparison.Ordinal);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Every byte the database keeps on disk, journal included.
            await scenario.App.DisposeAsync();
            foreach (var file in Directory.GetFiles(scenario.Installation.DataDirectory, "livecontract.db*"))
            {
                Assert.DoesNotContain(token[4..], Encoding.ASCII.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Forged_and_malformed_tokens_open_nothing()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var token = LiveSessionScenario.TokenOf((await scenario.StartAsync(contract.Id)).CustomerLink);
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        string[] tokens = [forged, "", "lcs_", "lc_" + token[4..], token + "A", token[..^1], token.ToUpperInvariant(), "lcs_" + new string('%', 43), new string('x', 100_000), "lcs_+" + token[5..]];

        foreach (var presented in tokens)
        {
            Assert.Equal(new LinkCheck(null, LinkProblem.Unknown), await scenario.Sessions.CheckLinkAsync(presented));
            Assert.Equal(new LinkCheck(null, LinkProblem.Unknown), await scenario.Sessions.RedeemLinkAsync(presented, null));
        }

        Assert.Equal(new LinkCheck(null, LinkProblem.Unknown), await scenario.Sessions.CheckLinkAsync(null!));
        Assert.Equal(new LinkCheck(null, LinkProblem.Unknown), await scenario.Sessions.CheckLinkAsync(Guid.NewGuid()));
        Assert.True((await scenario.Sessions.CheckLinkAsync(token)).IsValid);
    }

    [Fact]
    public async Task A_link_expires_after_its_lifetime()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var clock = new FakeTimeProvider(started.Session.Link!.CreatedAt);
        var later = ActivatorUtilities.CreateInstance<LiveSessionService>(scenario.App.Services, clock);

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var justBefore = await later.CheckLinkAsync(token);
        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await later.RedeemLinkAsync(token, null);
        var info = LiveSessionScenario.Accepted(await later.GetAsync(scenario.Advisor, started.Session.Id));
        var opened = await later.OpenForAsync(new SessionCaller.Customer(justBefore.Grant!.LinkId), started.Session.Id);

        Assert.True(justBefore.IsValid);
        Assert.Equal(new LinkCheck(null, LinkProblem.Expired, "Victor Advisor"), expired);
        Assert.False(info.Link!.IsActive);
        Assert.Null(info.Link.LastUsedAt);
        Assert.Equal(new OperationError(ErrorKind.Forbidden, "Your link to this live session has expired; ask your advisor for a new one."), opened.Error);
    }

    [Fact]
    public async Task The_link_lifetime_is_a_setting()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(settings: new Dictionary<string, string?> { ["LiveSessions:LinkLifetime"] = "02:00:00" });
        var contract = await scenario.CreateContractWithDocumentAsync();

        var link = (await scenario.StartAsync(contract.Id)).Session.Link!;

        Assert.Equal(TimeSpan.FromHours(2), link.ExpiresAt - link.CreatedAt);
    }

    [Fact]
    public async Task A_revoked_link_opens_nothing_and_revoking_again_changes_nothing()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var linkId = (await scenario.Sessions.CheckLinkAsync(token)).Grant!.LinkId;

        var revoked = LiveSessionScenario.Accepted(await scenario.Sessions.RevokeLinkAsync(scenario.Advisor, started.Session.Id));
        var again = LiveSessionScenario.Accepted(await scenario.Sessions.RevokeLinkAsync(scenario.Advisor, started.Session.Id));
        var byOther = await scenario.Sessions.RevokeLinkAsync(scenario.OtherAdvisor, started.Session.Id);
        var byAdmin = await scenario.Sessions.RevokeLinkAsync(scenario.Admin, started.Session.Id);

        Assert.Equal(new LinkCheck(null, LinkProblem.Revoked, "Victor Advisor"), await scenario.Sessions.CheckLinkAsync(token));
        Assert.Equal(new LinkCheck(null, LinkProblem.Revoked, "Victor Advisor"), await scenario.Sessions.CheckLinkAsync(linkId));
        Assert.Equal(new LinkCheck(null, LinkProblem.Revoked, "Victor Advisor"), await scenario.Sessions.RedeemLinkAsync(token, null));
        Assert.Equal(
            new OperationError(ErrorKind.Forbidden, "Your link to this live session was revoked; ask your advisor for a new one."),
            (await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(linkId), started.Session.Id)).Error);
        Assert.False(revoked.Link!.IsActive);
        Assert.Equal(revoked.Link.RevokedAt, again.Link!.RevokedAt);
        Assert.Equal(OperationError.NotFound("That live session"), byOther.Error);
        Assert.Equal(new OperationError(ErrorKind.Forbidden, "Only the contract's advisor can send or revoke the customer's link; administrators can end the session."), byAdmin.Error);
        var activity = LiveSessionScenario.Accepted(await scenario.Sessions.GetActivityAsync(scenario.Advisor, started.Session.Id));
        Assert.Equal([LiveSessionActivityKind.Started, LiveSessionActivityKind.LinkSent, LiveSessionActivityKind.LinkRevoked], activity.Select(a => a.Kind));
    }

    [Fact]
    public async Task Resending_revokes_the_old_link_and_emails_a_new_one()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);

        var resent = LiveSessionScenario.Accepted(await scenario.Sessions.ResendLinkAsync(scenario.Advisor, started.Session.Id));

        var messages = await scenario.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2);
        Assert.True(resent.EmailSent);
        Assert.NotEqual(started.CustomerLink, resent.CustomerLink);
        Assert.Equal(new[] { started.CustomerLink, resent.CustomerLink }.Order(), messages.Select(LiveSessionScenario.SessionLink).Order());
        Assert.Equal(LinkProblem.Revoked, (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Problem);
        Assert.True((await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(resent.CustomerLink))).IsValid);
        Assert.True(resent.Session.Link!.IsActive);
        Assert.Null(resent.Session.Link.RevokedAt);
        var activity = LiveSessionScenario.Accepted(await scenario.Sessions.GetActivityAsync(scenario.Advisor, started.Session.Id));
        Assert.Equal(
            [LiveSessionActivityKind.Started, LiveSessionActivityKind.LinkSent, LiveSessionActivityKind.LinkRevoked, LiveSessionActivityKind.LinkSent],
            activity.Select(a => a.Kind));
    }

    [Fact]
    public async Task Ending_is_idempotent_reaches_everyone_and_ends_the_links()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));
        var events = new EventRecorder();
        var joined = LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(started.Session.Id, access.Participant, "advisor-tab", events.OnEventAsync));

        var byOther = await scenario.Sessions.EndAsync(scenario.OtherAdvisor, started.Session.Id);
        var ended = LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));
        var again = LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));

        await events.WaitForAsync<SessionEnded>();
        Assert.Equal(SubscriptionEnd.SessionEnded, await joined.Subscription.Completion.WaitAsync(LiveSessionScenario.Patience));
        Assert.Equal(OperationError.NotFound("That live session"), byOther.Error);
        Assert.Equal(LiveSessionStatus.Ended, ended.Status);
        Assert.NotNull(ended.EndedAt);
        Assert.Equal(ended, again);
        Assert.False(ended.Link!.IsActive);
        Assert.Equal(new LinkCheck(null, LinkProblem.SessionEnded, "Victor Advisor"), await scenario.Sessions.CheckLinkAsync(token));
        Assert.Equal(new LinkCheck(null, LinkProblem.SessionEnded, "Victor Advisor"), await scenario.Sessions.RedeemLinkAsync(token, null));
        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Sessions.ResendLinkAsync(scenario.Advisor, started.Session.Id)).Error);
        Assert.Equal(LiveSessionErrors.Ended, (await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id)).Error);
        Assert.Null(await scenario.Sessions.GetActiveAsync(scenario.Advisor, contract.Id));
        var activity = LiveSessionScenario.Accepted(await scenario.Sessions.GetActivityAsync(scenario.Advisor, started.Session.Id));
        Assert.Single(activity, a => a.Kind == LiveSessionActivityKind.Ended);
        await using var db = scenario.Database();
        Assert.Equal(scenario.Advisor.UserId, (await db.LiveSessions.SingleAsync()).EndedById);
    }

    [Fact]
    public async Task An_admin_may_end_any_session_and_the_record_names_them()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var revokedFirst = LiveSessionScenario.Accepted(await scenario.Sessions.RevokeLinkAsync(scenario.Advisor, started.Session.Id));

        var ended = LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Admin, started.Session.Id));

        Assert.Equal(LiveSessionStatus.Ended, ended.Status);
        Assert.False(revokedFirst.Link!.IsActive);
        Assert.Equal(LinkProblem.SessionEnded, (await scenario.Sessions.CheckLinkAsync(LiveSessionScenario.TokenOf(started.CustomerLink))).Problem);
        var last = LiveSessionScenario.Accepted(await scenario.Sessions.GetActivityAsync(scenario.Admin, started.Session.Id))[^1];
        Assert.Equal((LiveSessionActivityKind.Ended, scenario.Admin.UserId, (ParticipantRole?)null, "Ada Admin"), (last.Kind, last.ParticipantId, last.Role, last.DisplayName));
    }

    [Fact]
    public async Task Sessions_are_seen_by_their_advisor_and_admins_only()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);

        Assert.Equal(started.Session, LiveSessionScenario.Accepted(await scenario.Sessions.GetAsync(scenario.Advisor, started.Session.Id)));
        Assert.Equal(started.Session, LiveSessionScenario.Accepted(await scenario.Sessions.GetAsync(scenario.Admin, started.Session.Id)));
        Assert.Equal(started.Session, await scenario.Sessions.GetActiveAsync(scenario.Admin, contract.Id));
        Assert.Equal(OperationError.NotFound("That live session"), (await scenario.Sessions.GetAsync(scenario.OtherAdvisor, started.Session.Id)).Error);
        Assert.Equal(OperationError.NotFound("That live session"), (await scenario.Sessions.GetAsync(scenario.Advisor, Guid.NewGuid())).Error);
        Assert.Null(await scenario.Sessions.GetActiveAsync(scenario.OtherAdvisor, contract.Id));
        Assert.Equal(OperationError.NotFound("That live session"), (await scenario.Sessions.GetActivityAsync(scenario.OtherAdvisor, started.Session.Id)).Error);
    }

    [Fact]
    public async Task The_record_keeps_starts_links_uses_joins_leaves_and_ends_in_order()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);

        Assert.True((await scenario.Sessions.CheckLinkAsync(token)).IsValid);
        var grant = (await scenario.Sessions.RedeemLinkAsync(token, "203.0.113.7")).Grant!;
        var customer = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(new SessionCaller.Customer(grant.LinkId), grant.SessionId)).Participant;
        await scenario.Presence.ConnectedAsync(grant.SessionId, customer, "203.0.113.7");
        scenario.Presence.Disconnected(grant.SessionId, customer, null);
        await scenario.Presence.ConnectedAsync(Guid.NewGuid(), customer, null);
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, grant.SessionId));

        var activity = LiveSessionScenario.Accepted(await scenario.Sessions.GetActivityAsync(scenario.Admin, grant.SessionId));
        var customerId = started.Session.CustomerId.ToString();
        Assert.Equal(
            [
                (LiveSessionActivityKind.Started, scenario.Advisor.UserId, ParticipantRole.Advisor, "Victor Advisor", null),
                (LiveSessionActivityKind.LinkSent, scenario.Advisor.UserId, ParticipantRole.Advisor, "Victor Advisor", null),
                (LiveSessionActivityKind.LinkUsed, customerId, ParticipantRole.Customer, "Chloé Dupont", "203.0.113.7"),
                (LiveSessionActivityKind.Joined, customerId, ParticipantRole.Customer, "Chloé Dupont", "203.0.113.7"),
                (LiveSessionActivityKind.Left, customerId, ParticipantRole.Customer, "Chloé Dupont", null),
                (LiveSessionActivityKind.Ended, scenario.Advisor.UserId, (ParticipantRole?)ParticipantRole.Advisor, "Victor Advisor", (string?)null),
            ],
            activity.Select(a => (a.Kind, a.ParticipantId, a.Role, a.DisplayName, a.IpAddress)));
        Assert.NotNull(LiveSessionScenario.Accepted(await scenario.Sessions.GetAsync(scenario.Advisor, grant.SessionId)).Link!.LastUsedAt);
    }
}
