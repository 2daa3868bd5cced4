using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

public sealed class AdminAuditPageTests : ComponentTestContext
{
    private UserSummary admin = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        admin = (await accounts.ListAsync()).Single();
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
        var audit = Context.Services.GetRequiredService<AccountAudit>();
        await audit.RecordSignInAsync(new SignInAttempt("admin@example.com", admin.Id, false, true, "192.0.2.10"));
        await audit.RecordSignInAsync(new SignInAttempt("mallory@evil.example", null, false, false, "192.0.2.66"));
    }

    [Fact]
    public async Task Shows_the_system_stream_newest_first_with_who_from_where_and_what()
    {
        var events = await SystemEventCountAsync();
        var page = RenderPage<AdminAudit>();

        page.WaitForAssertion(() => Assert.Equal(events, page.FindAll("[aria-label='System stream'] tbody tr").Count));
        var rows = page.FindAll("[aria-label='System stream'] tbody tr").Select(r => r.QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(["Not signed in", "192.0.2.66", "Sign-in refused for m***@evil.example: unknown account"], rows[0]);
        Assert.Equal(["Ada Admin", "192.0.2.10", "admin@example.com signed in"], rows[1]);
    }

    [Fact]
    public async Task Searching_shows_only_the_events_that_mention_the_text()
    {
        var events = await SystemEventCountAsync();
        var page = RenderPage<AdminAudit>();
        page.WaitForAssertion(() => Assert.Equal(events, page.FindAll("[aria-label='System stream'] tbody tr").Count));

        await ControlLabelled(page, "Search").InputAsync(new() { Value = "evil.example" });

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[aria-label='System stream'] tbody tr")), TimeSpan.FromSeconds(5));
        Assert.Contains("m***@evil.example", page.Find("[aria-label='System stream'] tbody").TextContent);
    }

    [Fact]
    public async Task Verifying_all_chains_says_all_intact_and_records_it()
    {
        var events = await SystemEventCountAsync();
        var page = RenderPage<AdminAudit>();
        page.WaitForAssertion(() => ButtonNamed(page, "Verify all chains"));

        await ClickAsync(page, "Verify all chains");

        page.WaitForAssertion(() => Assert.Contains($"1 stream, {events} events: all intact", page.Markup));
        page.WaitForAssertion(() => Assert.Contains($"Every audit chain verified: 1 stream, {events} events, all intact", page.Find("[aria-label='System stream'] tbody").TextContent));
    }

    [Fact]
    public async Task Finds_a_contract_stream_by_its_reference_and_says_when_none_has_it()
    {
        var contract = (await Context.Services.GetRequiredService<ContractService>()
            .CreateAsync(new Actor(admin.Id, IsAdmin: true), new NewContract("Motor insurance", "Carla Customer", "carla@example.com"))).Value!;
        var page = RenderPage<AdminAudit>();
        page.WaitForAssertion(() => ControlLabelled(page, "Contract reference"));

        await ControlLabelled(page, "Contract reference").ChangeAsync(new() { Value = "LC-1999-999999" });
        await ClickAsync(page, "Show contract stream");
        page.WaitForAssertion(() => Assert.Contains("No contract has the reference LC-1999-999999.", page.Find("[role=alert]").TextContent));

        await ControlLabelled(page, "Contract reference").ChangeAsync(new() { Value = contract.Reference.ToLowerInvariant() });
        await ClickAsync(page, "Show contract stream");
        page.WaitForAssertion(() => Assert.Contains("Contract created: “Motor insurance” for Carla Customer", page.Find("[aria-label='Audit trail events']").TextContent));
    }

    [Fact]
    public async Task A_broken_chain_is_named_with_a_link_to_its_contract()
    {
        var contract = (await Context.Services.GetRequiredService<ContractService>()
            .CreateAsync(new Actor(admin.Id, IsAdmin: true), new NewContract("Motor insurance", "Carla Customer", "carla@example.com"))).Value!;
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await Integration.Audit.AuditTamperingTests.ForgeNextEventAsync(db, contract.Id);
        }

        var page = RenderPage<AdminAudit>();
        page.WaitForAssertion(() => ButtonNamed(page, "Verify all chains"));
        await ClickAsync(page, "Verify all chains");

        page.WaitForAssertion(() => Assert.Contains("1 stream is broken", page.Markup));
        var link = page.Find($"a[href='admin/contracts/{contract.Id}']");
        Assert.Equal($"Contract {contract.Reference}", link.TextContent.Trim());
        Assert.Contains("broken at event 2.", page.Find("[aria-label='Broken streams']").TextContent);
    }

    [Fact]
    public async Task A_failed_scan_says_so_instead_of_breaking_the_page()
    {
        var events = await SystemEventCountAsync();
        var page = RenderPage<AdminAudit>();
        page.WaitForAssertion(() => Assert.Equal(events, page.FindAll("[aria-label='System stream'] tbody tr").Count));
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE AuditEvents RENAME TO AuditEventsElsewhere");
        }

        await ClickAsync(page, "Verify all chains");

        page.WaitForAssertion(() => Assert.Contains("The chains could not be verified", page.Find("[role=alert]").TextContent));
        Assert.False(ButtonNamed(page, "Verify all chains").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[aria-label='Verification result']"));
    }

    [Fact]
    public async Task A_scan_cancelled_midway_as_when_the_admin_leaves_the_page_records_nothing()
    {
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                INSERT INTO AuditEvents (Stream, Sequence, Type, At, Data, PreviousHash, Hash)
                SELECT 'contract:00000000-0000-0000-0000-' || printf('%012d', i), 1, 'contract.updated', '2026-01-01 00:00:00+00:00', '{{}}', '', '' FROM n
                """);
        }

        using var leaving = new CancellationTokenSource();
        var progress = new CancelOnProgress(leaving, afterEvents: 1);
        var scan = Context.Services.GetRequiredService<AuditService>().VerifyAllAsync(new Actor(admin.Id, IsAdmin: true), progress, leaving.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
        Assert.True(progress.Reported > 0);
        await using var check = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        Assert.False(await check.AuditEvents.AnyAsync(e => e.Type == AuditEventTypes.ChainsVerified));
    }

    /// <summary>Reports synchronously (unlike <see cref="Progress{T}"/>) and cancels once the scan has checked <c>afterEvents</c>.</summary>
    private sealed class CancelOnProgress(CancellationTokenSource source, long afterEvents) : IProgress<ChainsProgress>
    {
        public int Reported { get; private set; }

        public void Report(ChainsProgress value)
        {
            Reported++;
            if (value.EventsChecked >= afterEvents)
            {
                source.Cancel();
            }
        }
    }

    private async Task<int> SystemEventCountAsync()
    {
        await using var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.System);
    }
}
