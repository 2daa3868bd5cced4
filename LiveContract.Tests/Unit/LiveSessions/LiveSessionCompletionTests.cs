using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.Fields;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>
/// A session whose contract is signed: it completes (saves what is unsaved at once), tells everyone
/// in it when the sealed PDF is stored (once, and in the snapshot for whoever joins or rejoins
/// later), and is let go once nobody has been connected to it for the presence grace period.
/// </summary>
public sealed class LiveSessionCompletionTests
{
    private static readonly LiveSessionActor Advisor = LiveSessionHarness.Advisor.Actor;

    [Fact]
    public async Task The_sealed_pdf_reaches_everyone_in_the_session_once_and_stays_in_the_snapshot()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (advisorJoin, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (_, customerEvents) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.PublishStatusAsync(harness.SessionId, Advisor, ContractStatus.Signed));
        var sealedPdf = new SessionSealedPdf(Guid.NewGuid(), harness.Time.GetUtcNow());

        var version = LiveSessionHarness.Accepted(await harness.Coordinator.PublishContractSealedAsync(harness.SessionId, Advisor, sealedPdf));
        await customerEvents.WaitForAsync<ContractSealed>();
        await advisorEvents.WaitForAsync<ContractSealed>();

        var received = customerEvents.Events.OfType<ContractSealed>().Single();
        Assert.Equal(("contractSealed", version, sealedPdf), (received.Name, received.Version, received.Sealed));

        // Told again (a second sealer, a retry): nothing new goes out, the answer is the session's version.
        Assert.Equal(version, LiveSessionHarness.Accepted(await harness.Coordinator.PublishContractSealedAsync(harness.SessionId, Advisor, new SessionSealedPdf(Guid.NewGuid(), harness.Time.GetUtcNow()))));
        Assert.Single(advisorEvents.Events.OfType<ContractSealed>());

        // Whoever joins (or rejoins after a dropped connection) later finds it in the snapshot.
        var (late, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer-tab-2");
        Assert.Equal(sealedPdf, late.Snapshot.Sealed);
        Assert.True(late.Snapshot.Completed);
        Assert.Null(advisorJoin.Snapshot.Sealed);
        Assert.False(advisorJoin.Snapshot.Completed);
    }

    [Fact]
    public async Task A_session_opened_after_sealing_starts_complete_with_its_sealed_pdf()
    {
        await using var harness = new LiveSessionHarness();
        var sealedPdf = new SessionSealedPdf(Guid.NewGuid(), harness.Time.GetUtcNow());

        var opened = LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(
            harness.SessionId,
            harness.Setup with { Status = ContractStatus.Signed, Sealed = sealedPdf, FieldsFrozen = true }));

        Assert.True(opened.Completed);
        Assert.Equal(sealedPdf, opened.Sealed);
    }

    [Fact]
    public async Task Completing_saves_the_position_and_the_field_values_at_once()
    {
        var name = FieldValueRulesTests.Field(FieldKind.Text, "Full name", FieldParty.Customer);
        await using var harness = new LiveSessionHarness();
        LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Fields = [name] }));
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 2));
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", name.Id, "Carl Customer"));

        // No clock moves: the saves are not the debounced ones.
        LiveSessionHarness.Accepted(await harness.Coordinator.PublishStatusAsync(harness.SessionId, Advisor, ContractStatus.Signed));

        await Eventually(() => harness.Store.Saved.Count > 0 && harness.FieldStore.Saved.Count > 0);
        Assert.Equal((harness.Annex.DocumentId, 2, false), (harness.Store.Saved[^1].DocumentId, harness.Store.Saved[^1].Page, harness.Store.Saved[^1].Ended));
        Assert.Equal("Carl Customer", harness.FieldStore.Find(name.Id)!.Value);
    }

    [Fact]
    public async Task A_complete_session_is_let_go_once_nobody_has_been_in_it_for_the_grace_period_and_opens_again()
    {
        await using var harness = new LiveSessionHarness(o => o.PresenceGracePeriod = TimeSpan.FromMinutes(1));
        await harness.OpenAsync();
        var (advisor, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.PublishStatusAsync(harness.SessionId, Advisor, ContractStatus.Signed));

        // Those in it stay as long as they like.
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(await harness.Coordinator.GetSnapshotAsync(harness.SessionId));

        // The last one leaves; a reload within the grace period finds the same session.
        await advisor.Subscription.DisposeAsync();
        await customer.Subscription.DisposeAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        var (reloaded, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer-reloaded");
        await reloaded.Subscription.DisposeAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, (await harness.Coordinator.GetServerLoadAsync()).OpenSessions);

        // A minute with nobody: this server forgets it (its state is saved); opening it again starts afresh.
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await harness.Coordinator.GetSnapshotAsync(harness.SessionId));
        Assert.Equal(0, (await harness.Coordinator.GetServerLoadAsync()).OpenSessions);
        LiveSessionHarness.Refused(await harness.Coordinator.PublishContractSealedAsync(harness.SessionId, Advisor, new SessionSealedPdf(Guid.NewGuid(), harness.Time.GetUtcNow())), LiveSessionErrors.UnknownSession);
        var reopened = LiveSessionHarness.Accepted(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Status = ContractStatus.Signed }));
        Assert.True(reopened.Completed);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer-back");
    }

    [Fact]
    public async Task An_active_session_nobody_is_in_is_kept_and_an_ended_one_takes_no_sealed_pdf()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (advisor, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await advisor.Subscription.DisposeAsync();
        harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(await harness.Coordinator.GetSnapshotAsync(harness.SessionId));

        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, Advisor));
        LiveSessionHarness.Refused(
            await harness.Coordinator.PublishContractSealedAsync(harness.SessionId, Advisor, new SessionSealedPdf(Guid.NewGuid(), harness.Time.GetUtcNow())),
            LiveSessionErrors.Ended);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(LiveSessionHarness.Patience);
        while (!condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
