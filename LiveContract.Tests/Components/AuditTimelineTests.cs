using AngleSharp.Dom;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.Audit;
using LiveContract.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The contract page's audit trail over the real services and a real SQLite database.</summary>
public sealed class AuditTimelineTests : ComponentTestContext
{
    private Actor advisor = default!;
    private Actor otherAdvisor = default!;
    private Guid contractId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        await accounts.CreateAsync("Olga Other", "olga@example.com", Roles.Advisor, "a long enough password");
        var users = await accounts.ListAsync();
        advisor = new Actor(users.Single(u => u.Email == "victor@example.com").Id, IsAdmin: false) { IpAddress = "192.0.2.10" };
        otherAdvisor = new Actor(users.Single(u => u.Email == "olga@example.com").Id, IsAdmin: false);
        var created = await Context.Services.GetRequiredService<ContractService>().CreateAsync(advisor, new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"));
        contractId = created.Value!.Id;
        await using var content = File.OpenRead(FixturePdfs.PathOf("motor-insurance-claim-form.pdf"));
        Assert.True((await Context.Services.GetRequiredService<DocumentService>().UploadAsync(advisor, contractId, "claim.pdf", content)).Succeeded);
    }

    [Fact]
    public void Each_event_shows_when_what_who_and_from_where_and_the_download_link()
    {
        var timeline = Render(advisor);

        timeline.WaitForAssertion(() => Assert.Equal(2, Rows(timeline).Count));
        var rows = Rows(timeline);
        Assert.Equal(["No.", "Time", "What happened", "Who", "IP address"], timeline.FindAll("th").Select(h => h.TextContent.Trim()));
        Assert.Equal(["1", "Contract created: “Motor policy” for Chloé Dupont", "Victor Advisor (Advisor)", "192.0.2.10"], Cells(rows[0], 0, 2, 3, 4));
        Assert.StartsWith("Document claim.pdf uploaded (3 pages, ", Cells(rows[1], 2)[0], StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", Cells(rows[0], 1)[0]);
        Assert.EndsWith("Z", rows[0].QuerySelector("time")!.GetAttribute("datetime"), StringComparison.Ordinal);
        var download = timeline.FindAll("a").Single(a => a.TextContent.Trim() == "Download audit trail (JSON)");
        Assert.Equal($"api/contracts/{contractId}/audit", download.GetAttribute("href"));
        DownloadAnchors.AssertDownloadsOnce(download);
        Assert.Equal("Audit trail events", timeline.Find("table").Closest("[aria-label]")?.GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Verify_chain_says_the_chain_is_intact_with_its_head_hash()
    {
        var timeline = Render(advisor);
        timeline.WaitForAssertion(() => Assert.Equal(2, Rows(timeline).Count));

        await ClickAsync(timeline, "Verify chain");

        var head = (await AuditTrailAsync()).Last().Hash;
        timeline.WaitForAssertion(() => Assert.Equal($"Chain intact: 2 events, head hash {head}", timeline.Find("[role=status]").TextContent.Trim()));
        Assert.Empty(timeline.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task Verify_chain_names_the_first_broken_event()
    {
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await AuditTamperingTests.ForgeNextEventAsync(db, contractId);
        }

        var timeline = Render(advisor);
        timeline.WaitForAssertion(() => Assert.Equal(3, Rows(timeline).Count));

        await ClickAsync(timeline, "Verify chain");

        timeline.WaitForAssertion(() => Assert.Equal(
            $"Broken at event 3: Event 3 of {AuditStreams.Contract(contractId)} was changed after it was written.",
            timeline.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(timeline.FindAll("[role=status]"));
    }

    [Fact]
    public async Task A_new_revision_or_refresh_shows_what_was_recorded_since()
    {
        var timeline = Render(advisor);
        timeline.WaitForAssertion(() => Assert.Equal(2, Rows(timeline).Count));
        var contracts = Context.Services.GetRequiredService<ContractService>();

        var moved = await contracts.UpdateAsync(advisor, contractId, new ContractChanges(Status: ContractStatus.Review));
        timeline.Render(p => p.Add(c => c.Revision, moved.Value!.Version));

        timeline.WaitForAssertion(() => Assert.Equal(3, Rows(timeline).Count));
        Assert.Equal("Status changed from Draft to Review (1 document pinned)", Cells(Rows(timeline)[2], 2)[0]);

        await contracts.UpdateAsync(advisor, contractId, new ContractChanges(Status: ContractStatus.Draft));
        await ClickAsync(timeline, "Refresh");
        timeline.WaitForAssertion(() => Assert.Equal(4, Rows(timeline).Count));
    }

    [Fact]
    public async Task A_long_trail_shows_its_newest_events_and_earlier_ones_on_request()
    {
        var contracts = Context.Services.GetRequiredService<ContractService>();
        await contracts.UpdateAsync(advisor, contractId, new ContractChanges(Status: ContractStatus.Review));
        await contracts.UpdateAsync(advisor, contractId, new ContractChanges(Status: ContractStatus.Draft));
        var timeline = Context.Render<AuditTimeline>(p => p.Add(c => c.ContractId, contractId).Add(c => c.Actor, advisor).Add(c => c.PageSize, 3));

        timeline.WaitForAssertion(() => Assert.Equal(["2", "3", "4"], Rows(timeline).Select(r => Cells(r, 0)[0])));
        Assert.Equal("Showing the newest 3 of 4 events.", timeline.Find("[data-testid=audit-shown]").TextContent.Trim());

        await ClickAsync(timeline, "Show earlier events");

        timeline.WaitForAssertion(() => Assert.Equal(["1", "2", "3", "4"], Rows(timeline).Select(r => Cells(r, 0)[0])));
        Assert.Empty(timeline.FindAll("[data-testid=audit-shown]"));
        Assert.DoesNotContain(timeline.FindAll("button"), b => b.TextContent.Trim() == "Show earlier events");
    }

    [Fact]
    public void Another_advisor_is_told_the_contract_is_not_theirs_and_sees_no_event()
    {
        var timeline = Render(otherAdvisor);

        timeline.WaitForAssertion(() => Assert.Equal("That contract does not exist or is not yours.", timeline.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(timeline.FindAll("table"));
    }

    private IRenderedComponent<AuditTimeline> Render(Actor actor) =>
        Context.Render<AuditTimeline>(p => p.Add(c => c.ContractId, contractId).Add(c => c.Actor, actor));

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<AuditTimeline> timeline) => timeline.FindAll("tbody tr").Where(r => r.QuerySelectorAll("td").Length == 5).ToList();

    private static string[] Cells(IElement row, params int[] columns)
    {
        var cells = row.QuerySelectorAll("td");
        return columns.Select(c => cells[c].TextContent.Trim()).ToArray();
    }

    private async Task<List<AuditEvent>> AuditTrailAsync()
    {
        await using var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        var stream = AuditStreams.Contract(contractId);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).ToListAsync();
    }
}
