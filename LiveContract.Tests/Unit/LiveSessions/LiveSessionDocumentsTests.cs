using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionDocumentsTests
{
    private static readonly LiveSessionActor AdvisorActor = LiveSessionHarness.Advisor.Actor;

    [Fact]
    public async Task A_new_document_reaches_everyone_and_the_page_shown_stays()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var (_, advisor) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (_, customer) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 4);
        var extra = new SessionDocument(Guid.NewGuid(), "extra.pdf", 2);

        var version = LiveSessionHarness.Accepted(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Terms, harness.Annex, extra]));

        await customer.WaitForVersionAsync(version);
        var changed = Assert.IsType<DocumentsChanged>(customer.Events[^1]);
        Assert.Equal(("documents", version, AdvisorActor), (changed.Name, changed.Version, changed.Actor));
        Assert.Equal([harness.Terms, harness.Annex, extra], changed.Documents);
        Assert.Equal((harness.Annex.DocumentId, 4), (changed.DocumentId, changed.Page));
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal([harness.Terms, harness.Annex, extra], snapshot.Documents);
        Assert.Equal((harness.Annex.DocumentId, 4, version), (snapshot.DocumentId, snapshot.Page, snapshot.Version));
        await advisor.WaitForVersionAsync(version);
        LiveSessionHarness.Accepted(await harness.Coordinator.LoadDocumentAsync(harness.SessionId, "customer", extra.DocumentId));
    }

    [Fact]
    public async Task Removing_the_document_shown_moves_everyone_to_the_first_page_of_the_first_document()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 3);
        await harness.Coordinator.MovePointerAsync(harness.SessionId, "advisor", new PointerPosition(0.2, 0.3));

        var version = LiveSessionHarness.Accepted(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Annex]));

        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal((harness.Annex.DocumentId, 1, (PointerPosition?)null, version), (snapshot.DocumentId, snapshot.Page, snapshot.Pointer, snapshot.Version));
        LiveSessionHarness.Refused(
            await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Terms.DocumentId, 1),
            LiveSessionErrors.DocumentNotInSession);
        harness.Time.Advance(harness.Options.SaveInterval);
        Assert.Equal((harness.Annex.DocumentId, 1), (harness.Store.Saved[^1].DocumentId, harness.Store.Saved[^1].Page));
    }

    [Fact]
    public async Task A_shorter_document_keeps_the_reader_on_its_last_page()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 5);

        LiveSessionHarness.Accepted(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Terms, harness.Annex with { PageCount = 2 }]));

        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal((harness.Annex.DocumentId, 2), (snapshot.DocumentId, snapshot.Page));
        LiveSessionHarness.Refused(
            await harness.Coordinator.ChangePageAsync(harness.SessionId, "advisor", harness.Annex.DocumentId, 3),
            LiveSessionErrors.PageOutOfRange(3, 2));
    }

    [Fact]
    public async Task A_list_that_could_not_open_a_session_is_refused_and_changes_nothing()
    {
        await using var harness = new LiveSessionHarness();
        var opened = await harness.OpenAsync();

        LiveSessionHarness.Refused(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, []), LiveSessionErrors.NoDocuments);
        LiveSessionHarness.Refused(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Terms, harness.Terms]), LiveSessionErrors.DuplicateDocument);
        LiveSessionHarness.Refused(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Terms with { PageCount = 0 }]), LiveSessionErrors.EmptyDocument);
        LiveSessionHarness.Refused(await harness.Coordinator.UpdateDocumentsAsync(Guid.NewGuid(), AdvisorActor, [harness.Terms]), LiveSessionErrors.UnknownSession);

        var after = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal((opened.Version, opened.DocumentId, opened.Page), (after.Version, after.DocumentId, after.Page));
        Assert.Equal(opened.Documents, after.Documents);
        LiveSessionHarness.Accepted(await harness.Coordinator.EndAsync(harness.SessionId, AdvisorActor));
        LiveSessionHarness.Refused(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [harness.Terms]), LiveSessionErrors.Ended);
    }

    [Fact]
    public async Task A_late_joiner_gets_the_new_documents_in_the_snapshot()
    {
        await using var harness = new LiveSessionHarness();
        await harness.OpenAsync();
        var extra = new SessionDocument(Guid.NewGuid(), "extra.pdf", 1);
        LiveSessionHarness.Accepted(await harness.Coordinator.UpdateDocumentsAsync(harness.SessionId, AdvisorActor, [extra, harness.Terms]));

        var (join, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        Assert.Equal([extra, harness.Terms], join.Snapshot.Documents);
        Assert.Equal((harness.Terms.DocumentId, 1), (join.Snapshot.DocumentId, join.Snapshot.Page));
    }

    [Fact]
    public void The_link_lifetime_must_be_positive()
    {
        Assert.Equal(TimeSpan.FromHours(24), new LiveSessionOptions().LinkLifetime);
        var error = Assert.Throws<ConfigurationErrorException>(() => new LiveSessionOptions { LinkLifetime = TimeSpan.Zero }.Validate());
        Assert.Equal("LiveSessions:LinkLifetime must be a positive time, such as 1.00:00:00 (one day).", error.Message);
    }
}
