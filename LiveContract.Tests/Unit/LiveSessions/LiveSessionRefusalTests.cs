using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionRefusalTests
{
    [Fact]
    public async Task An_unknown_session_accepts_nothing()
    {
        await using var harness = new LiveSessionHarness();
        var unknown = Guid.NewGuid();

        LiveSessionHarness.Refused(await harness.Coordinator.JoinAsync(unknown, LiveSessionHarness.Customer, "c", _ => ValueTask.CompletedTask), LiveSessionErrors.UnknownSession);
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(unknown, "c", harness.Terms.DocumentId, 1), LiveSessionErrors.UnknownSession);
        LiveSessionHarness.Refused(await harness.Coordinator.EndAsync(unknown, LiveSessionHarness.Advisor.Actor), LiveSessionErrors.UnknownSession);
        Assert.Null(await harness.Coordinator.GetSnapshotAsync(unknown));
        Assert.Equal("That live session does not exist or is not yours.", LiveSessionErrors.UnknownSession.Message);
    }

    [Fact]
    public async Task A_document_that_is_not_part_of_the_session_is_refused()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        LiveSessionHarness.Refused(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "advisor", Guid.NewGuid()), LiveSessionErrors.DocumentNotInSession);
        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", Guid.NewGuid(), 1), LiveSessionErrors.DocumentNotInSession);
        Assert.Equal(ErrorKind.NotFound, LiveSessionErrors.DocumentNotInSession.Kind);
        Assert.Equal("That document is not part of this live session.", LiveSessionErrors.DocumentNotInSession.Message);
        Assert.Equal(1, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version);
    }

    [Theory]
    [InlineData(0, "Page 0 does not exist; this document has pages 1 to 5.")]
    [InlineData(6, "Page 6 does not exist; this document has pages 1 to 5.")]
    [InlineData(-1, "Page -1 does not exist; this document has pages 1 to 5.")]
    public async Task A_page_outside_the_document_is_refused(int page, string message)
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        var outcome = await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, page);

        Assert.Equal(new OperationError(ErrorKind.Invalid, message), outcome.Error);
        LiveSessionHarness.Accepted(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 5));
        Assert.Equal(5, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Page);
    }

    [Theory]
    [InlineData(-0.01, 0.5)]
    [InlineData(0.5, 1.01)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(0.5, double.PositiveInfinity)]
    public async Task A_pointer_off_the_page_is_refused(double x, double y)
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        var outcome = await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(x, y));

        LiveSessionHarness.Refused(outcome, LiveSessionErrors.PointerOffPage);
        Assert.Equal("A pointer position must be between 0 and 1 across and down the page.", outcome.Error!.Message);
    }

    [Fact]
    public async Task Pointer_positions_on_the_edges_and_no_pointer_are_accepted()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0, 1)));
        Assert.Equal(new PointerPosition(0, 1), (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Pointer);
        LiveSessionHarness.Accepted(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", null));
        Assert.Null((await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Pointer);
    }

    [Fact]
    public async Task A_connection_that_has_not_joined_cannot_act()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "stranger", harness.Terms.DocumentId, 2), LiveSessionErrors.NotJoined);
        LiveSessionHarness.Refused(await harness.Coordinator.MovePointerAsync(harness.SessionId, "stranger", new PointerPosition(0.5, 0.5)), LiveSessionErrors.NotJoined);
        await customer.Subscription.DisposeAsync();
        LiveSessionHarness.Refused(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "customer", harness.Annex.DocumentId), LiveSessionErrors.NotJoined);
        Assert.Equal(ErrorKind.Forbidden, LiveSessionErrors.NotJoined.Kind);
        Assert.Equal("Join the live session before acting in it.", LiveSessionErrors.NotJoined.Message);
    }

    [Fact]
    public async Task A_connection_id_joins_once_and_a_person_keeps_one_role()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(
            await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "customer", _ => ValueTask.CompletedTask),
            LiveSessionErrors.ConnectionAlreadyJoined);
        LiveSessionHarness.Refused(
            await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer with { Role = ParticipantRole.Advisor }, "other", _ => ValueTask.CompletedTask),
            LiveSessionErrors.OtherRole);
    }

    [Fact]
    public async Task Refused_commands_do_not_change_the_version()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");

        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 4);
        await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(2, 2));
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "stranger", harness.Terms.DocumentId, 2);

        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal(1, snapshot.Version);
        Assert.Equal((harness.Terms.DocumentId, 1), (snapshot.DocumentId, snapshot.Page));
    }

    [Fact]
    public async Task An_ended_session_accepts_nothing_and_its_subscribers_receive_session_ended_last()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (advisor, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (customer, customerEvents) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        var endedAt = LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor));

        Assert.Equal(SubscriptionEnd.SessionEnded, await customer.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        Assert.Equal(SubscriptionEnd.SessionEnded, await advisor.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        var ended = Assert.IsType<SessionEnded>(customerEvents.Events[^1]);
        Assert.Equal((endedAt, LiveSessionHarness.Advisor.Actor, harness.Time.GetUtcNow()), (ended.Version, ended.Actor, ended.Timestamp));
        Assert.IsType<SessionEnded>(advisorEvents.Events[^1]);

        LiveSessionHarness.Refused(await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 2), LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "customer", harness.Annex.DocumentId), LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", null), LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(await harness.Coordinator.PublishStatusAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor, ContractStatus.Draft), LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(
            await harness.Coordinator.PublishContractSignedAsync(harness.SessionId, LiveSessionHarness.Customer.Actor, "Carl Customer", harness.Time.GetUtcNow()),
            LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor), LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(
            await harness.Coordinator.JoinAsync(harness.SessionId, LiveSessionHarness.Customer, "again", _ => ValueTask.CompletedTask),
            LiveSessionErrors.Ended);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup), LiveSessionErrors.Ended);
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.True(snapshot.Ended);
        Assert.Empty(snapshot.Participants);
        Assert.Equal("This live session has ended.", LiveSessionErrors.Ended.Message);
    }

    [Fact]
    public async Task An_ended_session_is_forgotten_after_its_retention_and_cannot_be_opened_again()
    {
        await using var harness = new LiveSessionHarness(o => o.EndedRetention = TimeSpan.FromMinutes(10));
        await harness.OpenAsync();
        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor));

        harness.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await harness.Coordinator.GetSnapshotAsync(harness.SessionId));
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup), LiveSessionErrors.Ended);
    }

    [Fact]
    public async Task Status_and_signatures_are_published_by_actors_who_need_not_be_connected()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (_, customerEvents) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        var signedAt = harness.Time.GetUtcNow();

        LiveSessionHarness.Accepted(await harness.Coordinator.PublishContractSignedAsync(harness.SessionId, LiveSessionHarness.Customer.Actor, "Carl Customer", signedAt));
        var version = LiveSessionHarness.Accepted(await harness.Coordinator.PublishStatusAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor, ContractStatus.Signed));

        await customerEvents.WaitForVersionAsync(version);
        Assert.Collection(
            customerEvents.Events,
            e => Assert.Equal(("contractSigned", "Carl Customer"), (e.Name, ((ContractSigned)e).SignedBy)),
            e => Assert.Equal(("statusUpdate", ContractStatus.Signed), (e.Name, ((StatusUpdate)e).Status)));
        Assert.Equal(ContractStatus.Signed, (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Status);
    }

    [Fact]
    public async Task Opening_checks_the_setup_and_reopening_returns_the_same_session()
    {
        await using var harness = new LiveSessionHarness();
        var missing = Guid.NewGuid();

        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Documents = [] }), LiveSessionErrors.NoDocuments);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Documents = [harness.Terms, harness.Terms] }), LiveSessionErrors.DuplicateDocument);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { Documents = [harness.Terms with { PageCount = 0 }] }), LiveSessionErrors.EmptyDocument);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { FirstDocumentId = missing }), LiveSessionErrors.DocumentNotInSession);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { FirstPage = 4 }), LiveSessionErrors.PageOutOfRange(4, 3));

        var first = await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var again = await harness.OpenAsync();

        Assert.Equal((harness.SessionId, harness.ContractId, harness.Terms.DocumentId, 1, 0L), (first.SessionId, first.ContractId, first.DocumentId, first.Page, first.Version));
        Assert.Equal(1, again.Version);
        LiveSessionHarness.Refused(await harness.Coordinator.OpenAsync(harness.SessionId, harness.Setup with { ContractId = Guid.NewGuid() }), LiveSessionErrors.OtherContract);
    }
}
