using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Components;

public sealed class AdminSessionsPageTests : ComponentTestContext
{
    private const string Active = "[aria-label='Active live sessions']";
    private const string Ended = "[aria-label='Completed and ended live sessions']";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly TimerTrackingTimeProvider time;
    private readonly List<ILiveSessionSubscription> subscriptions = [];
    private Actor advisor = default!;

    public AdminSessionsPageTests()
    {
        time = new TimerTrackingTimeProvider(clock);
        Context.Services.AddSingleton<TimeProvider>(time);
    }

    private LiveSessionService Sessions => Context.Services.GetRequiredService<LiveSessionService>();

    private ILiveSessionCoordinator Coordinator => Context.Services.GetRequiredService<ILiveSessionCoordinator>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "admin@example.com", Roles.Admin, "a long enough password");
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        var users = await accounts.ListAsync();
        var admin = users.Single(u => u.Email == "admin@example.com");
        advisor = new Actor(users.Single(u => u.Email == "victor@example.com").Id, IsAdmin: false);
        Authorization.SetAuthorized("admin@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));
    }

    public override async Task DisposeAsync()
    {
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task Active_sessions_show_who_is_connected_and_ended_ones_who_ended_them()
    {
        var (joined, joinedCustomer) = await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        await JoinAsync(joined, new SessionCaller.Staff(advisor, "Victor Advisor"), "advisor");
        clock.Advance(TimeSpan.FromSeconds(42));
        await JoinAsync(joined, joinedCustomer, "customer");
        var (quiet, _) = await StartAsync("Life insurance", "Bruno Martin", "bruno@example.com");
        var (finished, _) = await StartAsync("Car insurance", "Dora Lee", "dora@example.com");
        Assert.True((await Sessions.EndAsync(advisor, finished)).Succeeded);

        var page = RenderPage<AdminSessions>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page, Active).Count));
        var rows = Rows(page, Active);
        Assert.Collection(rows, r => Assert.Contains("Life insurance", Cell(r, "Contract")), r => Assert.Contains("Home insurance", Cell(r, "Contract")));
        Assert.Equal(["Nobody connected", "Advisor and customer"], rows.Select(r => Cell(r, "Connected")));
        Assert.Equal(["—", "2026-11-23 12:00:42 UTC"], rows.Select(r => Cell(r, "Last activity")));
        Assert.Equal(["Victor Advisor", "Victor Advisor"], rows.Select(r => Cell(r, "Advisor")));
        var link = rows[1].QuerySelector("td[data-label='Contract'] a")!;
        Assert.Equal($"admin/contracts/{await ContractOf(joined)}", link.GetAttribute("href"));
        var ended = Assert.Single(Rows(page, Ended));
        Assert.Equal(("Dora Lee", "Ended by Victor Advisor"), (Cell(ended, "Customer"), Cell(ended, "How")));
        Assert.Contains("Updated at 12:00:42 UTC", page.Find("[data-testid=refreshed]").TextContent);
        Assert.NotEqual(Guid.Empty, quiet);
    }

    [Fact]
    public async Task Times_show_on_the_readers_clock_named_with_the_utc_time_as_tooltip()
    {
        TimeZoneModule.Setup<BrowserTimeZone.Reading>("readTimeZone")
            .SetResult(new BrowserTimeZone.Reading("Europe/Paris", [new(60, "CET"), new(120, "CEST")]));
        var (joined, joinedCustomer) = await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        clock.Advance(TimeSpan.FromSeconds(42));
        await JoinAsync(joined, joinedCustomer, "customer");
        var (finished, _) = await StartAsync("Car insurance", "Dora Lee", "dora@example.com");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await Sessions.EndAsync(advisor, finished)).Succeeded);

        var page = RenderPage<AdminSessions>();

        page.WaitForAssertion(() => Assert.Equal("2026-11-23 13:00 CET", Cell(Assert.Single(Rows(page, Active)), "Started")), TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.Equal("2026-11-23 13:01 CET", Cell(Assert.Single(Rows(page, Ended)), "Finished")), TimeSpan.FromSeconds(10));
        var active = Assert.Single(Rows(page, Active));
        AssertTime(active, "Started", "2026-11-23 13:00 CET", "2026-11-23 12:00 UTC", "2026-11-23T12:00:00.0000000Z");
        AssertTime(active, "Last activity", "2026-11-23 13:00:42 CET", "2026-11-23 12:00:42 UTC", "2026-11-23T12:00:42.0000000Z");
        var ended = Assert.Single(Rows(page, Ended));
        AssertTime(ended, "Started", "2026-11-23 13:00 CET", "2026-11-23 12:00 UTC", "2026-11-23T12:00:42.0000000Z");
        AssertTime(ended, "Finished", "2026-11-23 13:01 CET", "2026-11-23 12:01 UTC", "2026-11-23T12:01:42.0000000Z");
    }

    [Fact]
    public async Task The_tables_refresh_while_the_page_is_open()
    {
        var (first, _) = await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        var page = RenderPage<AdminSessions>();
        page.WaitForAssertion(() => Assert.Single(Rows(page, Active)));

        clock.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await StartAsync("Life insurance", "Bruno Martin", "bruno@example.com");
        Assert.Single(Rows(page, Active));
        clock.Advance(AdminSessions.RefreshInterval - TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(["Bruno Martin", "Chloé Dupont"], Rows(page, Active).Select(r => Cell(r, "Customer"))));
        Assert.Contains("Updated at 12:00:05 UTC", page.Find("[data-testid=refreshed]").TextContent);

        Assert.True((await Sessions.EndAsync(advisor, first)).Succeeded);
        clock.Advance(AdminSessions.RefreshInterval);

        page.WaitForAssertion(() => Assert.Equal(["Bruno Martin"], Rows(page, Active).Select(r => Cell(r, "Customer"))));
        page.WaitForAssertion(() => Assert.Equal(["Chloé Dupont"], Rows(page, Ended).Select(r => Cell(r, "Customer"))));
        Assert.Contains("Updated at 12:00:10 UTC", page.Find("[data-testid=refreshed]").TextContent);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_refresh_keeps_the_sort_chosen()
    {
        await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        clock.Advance(TimeSpan.FromSeconds(1));
        await StartAsync("Life insurance", "Bruno Martin", "bruno@example.com");
        var page = RenderPage<AdminSessions>();
        page.WaitForAssertion(() => Assert.Equal(["Bruno Martin", "Chloé Dupont"], Rows(page, Active).Select(r => Cell(r, "Customer"))));

        await page.FindAll($"{Active} th .mud-table-sort-label").Single(l => l.TextContent.Trim() == "Customer").ClickAsync(new());
        await page.FindAll($"{Active} th .mud-table-sort-label").Single(l => l.TextContent.Trim() == "Customer").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Chloé Dupont", "Bruno Martin"], Rows(page, Active).Select(r => Cell(r, "Customer"))));
        clock.Advance(TimeSpan.FromSeconds(1));
        await StartAsync("Car insurance", "Dora Lee", "dora@example.com");
        clock.Advance(AdminSessions.RefreshInterval);

        page.WaitForAssertion(() => Assert.Equal(["Dora Lee", "Chloé Dupont", "Bruno Martin"], Rows(page, Active).Select(r => Cell(r, "Customer"))));
    }

    [Fact]
    public async Task Closing_the_page_stops_the_refresh()
    {
        await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        var page = RenderPage<AdminSessions>();
        page.WaitForAssertion(() => Assert.Single(Rows(page, Active)));
        Assert.Equal(1, time.LiveTimers(AdminSessions.RefreshInterval));

        await Context.DisposeComponentsAsync();

        // The refresh loop ends (and disposes its timer) on its own continuation, soon after.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (time.LiveTimers(AdminSessions.RefreshInterval) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The page's refresh timer outlived the page.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Ending_asks_first_naming_the_contract_and_customer_then_ends_for_everyone()
    {
        var (sessionId, customer) = await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com");
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await JoinAsync(sessionId, customer, "customer", e =>
        {
            if (e is SessionEnded)
            {
                ended.TrySetResult();
            }
        });
        var reference = (await Sessions.GetAsync(advisor, sessionId)).Value!.ContractReference;
        var page = RenderPage<AdminSessions>();
        var end = $"End session of {reference} with Chloé Dupont";
        page.WaitForAssertion(() => ButtonNamed(page, end));

        // Not awaited: the handler waits for the answer the test gives next.
        ButtonNamed(page, end).Click();
        page.WaitForAssertion(() => Assert.Contains($"End the live session of {reference} (Home insurance) with Chloé Dupont?", page.Find("[role=dialog]").TextContent));
        await ClickAsync(page, "Cancel");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=dialog]")));
        Assert.Equal(LiveSessionStatus.Active, (await Sessions.GetAsync(advisor, sessionId)).Value!.Status);

        ButtonNamed(page, end).Click();
        page.WaitForAssertion(() => ButtonNamed(page, "End session"));
        await ClickAsync(page, "End session");

        page.WaitForAssertion(() => Assert.Empty(Rows(page, Active)));
        page.WaitForAssertion(() => Assert.Equal("Ended by Ada Admin", Cell(Assert.Single(Rows(page, Ended)), "How")));
        Assert.Contains($"The live session of {reference} with Chloé Dupont has ended.", page.Markup);
        Assert.Equal(LiveSessionStatus.Ended, (await Sessions.GetAsync(advisor, sessionId)).Value!.Status);
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_session_whose_contract_is_signed_shows_as_completed_not_active_and_the_filter_picks_it()
    {
        var (signedSession, signingCustomer) = await StartAsync("Home insurance", "Chloé Dupont", "chloe@example.com", customerSignsAlone: true);
        var (finished, _) = await StartAsync("Car insurance", "Dora Lee", "dora@example.com");
        Assert.True((await Sessions.EndAsync(advisor, finished)).Succeeded);
        clock.Advance(TimeSpan.FromMinutes(1));
        var signed = await Context.Services.GetRequiredService<Core.Signing.SigningService>().SignAsync(
            signingCustomer,
            signedSession,
            new Core.Signing.SignRequest("Chloé Dupont", SignaturePngs.Drawn(), Core.Signing.SigningConsent.Sha256, "192.0.2.7", "bunit"));
        Assert.True(signed.Succeeded && signed.Value!.ContractSigned, signed.Error?.Message);

        var page = RenderPage<AdminSessions>();

        page.WaitForAssertion(() => Assert.Equal(2, Rows(page, Ended).Count));
        Assert.Empty(Rows(page, Active));
        Assert.Equal(
            [("Chloé Dupont", "Completed: the contract was signed", "2026-11-23 12:01 UTC"), ("Dora Lee", "Ended by Victor Advisor", "2026-11-23 12:00 UTC")],
            Rows(page, Ended).Select(r => (Cell(r, "Customer"), Cell(r, "How"), Cell(r, "Finished"))));
        Assert.Equal(0, (await Context.Services.GetRequiredService<Core.Administration.SystemOverviewService>().GetAsync()).Counts!.ActiveLiveSessions);

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync(nameof(LiveSessionStatus.Completed)));
        page.WaitForAssertion(() => Assert.Equal(["Chloé Dupont"], Rows(page, Ended).Select(r => Cell(r, "Customer"))));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync(nameof(LiveSessionStatus.Ended)));
        page.WaitForAssertion(() => Assert.Equal(["Dora Lee"], Rows(page, Ended).Select(r => Cell(r, "Customer"))));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string table) =>
        page.FindAll($"{table} tbody tr").Where(r => r.QuerySelector("td[data-label]") is not null).ToList();

    private static string Cell(IElement row, string label) => row.QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();

    /// <summary>The cell holds a time element: on the reader's clock, the UTC time as its tooltip, the instant as its datetime.</summary>
    private static void AssertTime(IElement row, string label, string shown, string tooltip, string instant)
    {
        var time = row.QuerySelector($"td[data-label='{label}'] time")!;
        Assert.Equal((shown, tooltip, instant), (time.TextContent, time.GetAttribute("title"), time.GetAttribute("datetime")));
    }

    /// <summary>Starts a live session on a new contract of the advisor with one document; answers it and its customer.</summary>
    private async Task<(Guid SessionId, SessionCaller.Customer Customer)> StartAsync(string title, string customerName, string customerEmail, bool customerSignsAlone = false)
    {
        var contracts = Context.Services.GetRequiredService<ContractService>();
        var contract = (await contracts.CreateAsync(advisor, new NewContract(title, customerName, customerEmail, AdvisorMustSign: !customerSignsAlone))).Value!;
        await using (var content = File.OpenRead(FixturePdfs.PathOf("motor-insurance-claim-form.pdf")))
        {
            Assert.True((await Context.Services.GetRequiredService<DocumentService>().UploadAsync(advisor, contract.Id, "claim.pdf", content)).Succeeded);
        }

        if (customerSignsAlone)
        {
            Assert.True((await contracts.UpdateAsync(advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review))).Succeeded);
        }

        var started = await Sessions.StartAsync(advisor, contract.Id);
        Assert.True(started.Succeeded, started.Error?.Message);
        var redeemed = await Sessions.RedeemLinkAsync(started.Value!.CustomerLink.Split('/').Last(), "192.0.2.7");
        return (started.Value.Session.Id, new SessionCaller.Customer(redeemed.Grant!.LinkId));
    }

    private async Task<Guid> ContractOf(Guid sessionId) => (await Sessions.GetAsync(advisor, sessionId)).Value!.ContractId;

    private async Task JoinAsync(Guid sessionId, SessionCaller caller, string connectionId, Action<LiveSessionEvent>? onEvent = null)
    {
        var access = await Sessions.OpenForAsync(caller, sessionId);
        Assert.True(access.Succeeded, access.Error?.Message);
        var joined = await Coordinator.JoinAsync(sessionId, access.Value!.Participant, connectionId, e =>
        {
            onEvent?.Invoke(e);
            return ValueTask.CompletedTask;
        });
        Assert.True(joined.Succeeded, joined.Error?.Message);
        subscriptions.Add(joined.Value!.Subscription);
    }
}

/// <summary>The fake clock, counting the timers created with a given period that are not disposed yet.</summary>
internal sealed class TimerTrackingTimeProvider(FakeTimeProvider clock) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<(TimeSpan Period, Tracked Timer)> timers = [];

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public int LiveTimers(TimeSpan period)
    {
        lock (gate)
        {
            return timers.Count(t => t.Period == period && !t.Timer.Disposed);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Tracked(clock.CreateTimer(callback, state, dueTime, period));
        lock (gate)
        {
            timers.Add((period, timer));
        }

        return timer;
    }

    private sealed class Tracked(ITimer inner) : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            Disposed = true;
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return inner.DisposeAsync();
        }
    }
}
