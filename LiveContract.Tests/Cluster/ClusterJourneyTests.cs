using System.Diagnostics;
using System.Net.Http.Json;
using LiveContract.Core.Audit;
using LiveContract.Tests.E2E;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.Cluster;

/// <summary>
/// Chromium through HAProxy over HTTPS, with the advisor pinned to instance a and the customer to
/// instance b: they see each other's moves and typing, both sign, and the advisor's page survives
/// the loss of its server.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterJourneyTests(ClusterFixture cluster, BrowserFixture browser)
{
    private const string PolicyNumber = "Policy number";

    private static readonly LocatorAssertionsToBeVisibleOptions Sealed = new() { Timeout = 60_000 };

    private ClusterScenario Scenario => cluster.Scenario;

    [Fact]
    public async Task Advisor_on_a_and_customer_on_b_follow_each_other_type_and_sign_once()
    {
        var (session, advisor, customer) = await Scenario.OpenSessionAsync(browser, "Cluster journey");

        // The advisor turns to page 2 on a: the customer on b follows.
        await advisor.NextPageAsync();
        await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");

        // The customer types on b: the advisor on a sees it as it is typed.
        await Field(customer).PressSequentiallyAsync("PN-2026-77");
        await Expect(Field(advisor)).ToHaveValueAsync("PN-2026-77");

        // The customer browses back alone; the advisor's "showing" notice comes from a, the way back works on b.
        await customer.Follow.ClickAsync();
        await customer.PreviousPageAsync();
        await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await advisor.NextPageAsync();
        await Expect(customer.Page.GetByText($"{ClusterScenario.StaffName} is showing {ClusterScenario.ClaimForm}, page 3.")).ToBeVisibleAsync();
        await customer.Button("Back to the advisor's page").ClickAsync();
        await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "3");

        // Both sign, each on their own instance; each sees the other's signature.
        await SignWithTypedNameAsync(customer, ClusterScenario.CustomerName);
        await Expect(advisor.Signer("Customer")).ToContainTextAsync(ClusterScenario.CustomerName);
        await SignWithTypedNameAsync(advisor, ClusterScenario.StaffName);
        await Expect(advisor.SignedBanner).ToBeVisibleAsync();
        await Expect(customer.SignedBanner).ToBeVisibleAsync();
        await Expect(customer.DownloadSignedPdf).ToBeVisibleAsync(Sealed);
        await Expect(advisor.DownloadSignedPdf).ToBeVisibleAsync(Sealed);

        // Signed once, sealed once, and the typed value is in the shared database.
        using var staff = await Scenario.SignedInAsync();
        var trail = await staff.Api.GetFromJsonAsync<AuditExport>($"api/contracts/{session.ContractId}/audit", ApiClient.Json);
        Assert.Single(trail!.Events, e => e.Type == AuditEventTypes.ContractSigned);
        Assert.Equal(1, await Scenario.CountAsync("SELECT count(*) FROM \"Documents\" WHERE \"ContractId\" = @id AND \"Kind\" = 'Sealed'", session.ContractId));
        Assert.Equal("PN-2026-77", await Scenario.StoredValueAsync(session.FieldId));
    }

    [Fact]
    public async Task When_the_advisors_instance_dies_the_page_rejoins_on_the_other_at_the_same_page_with_its_values()
    {
        var (session, advisor, customer) = await Scenario.OpenSessionAsync(browser, "Cluster failover");
        await advisor.NextPageAsync();
        await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await Field(customer).FillAsync("PN-FAILOVER-1");
        await Field(customer).BlurAsync();
        await Expect(Field(advisor)).ToHaveValueAsync("PN-FAILOVER-1");
        await WaitUntilAsync(async () => await Scenario.StoredValueAsync(session.FieldId) == "PN-FAILOVER-1", "the typed value reaches the database");

        // Mark the advisor's document: a reload (the circuit is lost) clears the mark.
        await advisor.Page.EvaluateAsync("() => { window.beforeTheKill = true; }");
        var advisorRow = customer.Participants.GetByTestId("participant").First;
        var seenByCustomer = WatchAsync(advisorRow, TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        try
        {
            await cluster.RunAsync("stop-instance", "a");

            // Without anything done on its page, the advisor's view comes back on b: same document, page and value.
            await advisor.Page.WaitForFunctionAsync("() => !window.beforeTheKill", null, new() { Timeout = 5_000, PollingInterval = 50 });
            var reloaded = clock.Elapsed;
            await Expect(advisor.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2", new() { Timeout = 30_000 });
            await Expect(Field(advisor)).ToHaveValueAsync("PN-FAILOVER-1", new() { Timeout = 30_000 });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The advisor's page took {clock.Elapsed.TotalSeconds:0.0} s to come back (reloaded after {reloaded.TotalSeconds:0.0} s).");

            // The customer, on b all along, has the advisor connected again. Whether the drop shows in
            // between depends on the race between the advisor's return (a few seconds) and the dead
            // server's presence running out (LiveSessions:InstanceTimeout, 3 s): when it shows, it is a
            // departure followed by the return.
            var states = await seenByCustomer;
            var dropped = states.FindIndex(s => !s.EndsWith("— connected", StringComparison.Ordinal));
            if (dropped >= 0)
            {
                Assert.Contains(states.Skip(dropped), s => s.EndsWith("— connected", StringComparison.Ordinal));
            }

            await Expect(advisorRow).ToHaveTextAsync($"{ClusterScenario.StaffName} (advisor) — connected");

            // The session goes on across the survivors, and nothing durable was lost.
            await advisor.NextPageAsync();
            await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "3");
            Assert.Equal("PN-FAILOVER-1", await Scenario.StoredValueAsync(session.FieldId));
        }
        finally
        {
            await cluster.RunAsync("start-instance", "a");
            await cluster.WaitForHealthyAsync();
        }
    }

    private static ILocator Field(LiveSessionView view) =>
        view.ViewerOf(ClusterScenario.ClaimForm).GetByRole(AriaRole.Textbox, new() { Name = PolicyNumber, Exact = true });

    private static async Task SignWithTypedNameAsync(LiveSessionView view, string name)
    {
        var dialog = await view.OpenSignDialogAsync();
        await dialog.AgreeAndContinueAsync();
        await dialog.FullName.FillAsync(name);
        await dialog.Button("Use my typed name as my signature").ClickAsync();
        await dialog.ContinueToConfirmAsync();
        await dialog.Button("Sign the contract").ClickAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0);
    }

    /// <summary>Every distinct text the element shows over <paramref name="period"/>, in order.</summary>
    private static async Task<List<string>> WatchAsync(ILocator element, TimeSpan period)
    {
        var seen = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < period)
        {
            var text = (await element.TextContentAsync(new() { Timeout = 1_000 }))?.Trim() ?? "";
            if (seen.Count == 0 || seen[^1] != text)
            {
                seen.Add(text);
            }

            if (seen.Count > 2 && text.EndsWith("— connected", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(50);
        }

        return seen;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
