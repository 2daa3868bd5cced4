using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Unit.Fields;

namespace LiveContract.Tests.Unit.LiveSessions;

public sealed class LiveSessionFieldsTests
{
    private static readonly FieldDefinition FullName = FieldValueRulesTests.Field(FieldKind.Text, "Full name", rules: new FieldRuleSet(MaxLength: 20));
    private static readonly FieldDefinition Agree = FieldValueRulesTests.Field(FieldKind.Checkbox, "I agree");
    private static readonly FieldDefinition Start = FieldValueRulesTests.Field(FieldKind.Date, "Start date");
    private static readonly FieldDefinition AdvisorNumber = FieldValueRulesTests.Field(FieldKind.Text, "Advisor number", FieldParty.Advisor);

    [Fact]
    public async Task A_customer_value_reaches_everyone_with_its_version_and_problem_and_a_late_joiner_sees_it()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (_, advisorEvents) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        var first = LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", Start.Id, "31/12"));
        var second = LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", Start.Id, "2025-12-31"));
        await harness.Coordinator.FocusFieldAsync(harness.SessionId, "customer", Start.Id);

        Assert.Equal((1, "Start date must be a date written as year-month-day, such as 2025-03-31."), (first.Version, first.Problem));
        Assert.Equal((2L, (string?)null, "Carl Customer"), (second.Version, second.Problem, second.SetByName));
        await advisorEvents.WaitForAsync<FieldFocus>();
        var values = advisorEvents.Events.OfType<FieldValueChanged>().ToList();
        Assert.Equal([(1L, "31/12", true), (2L, "2025-12-31", false)], values.Select(v => (v.ValueVersion, v.Value, v.Problem is not null)));
        Assert.All(values, v => Assert.Equal(LiveSessionHarness.Customer.Actor, v.Actor));

        var (late, _) = await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor-2");
        Assert.Equal("2025-12-31", late.Snapshot.FieldValues[Start.Id].Value);
        Assert.Equal(2, late.Snapshot.FieldValues[Start.Id].Version);
        Assert.Equal(new FieldFocusMarker("customer-1", ParticipantRole.Customer, "Carl Customer", Start.Id), Assert.Single(late.Snapshot.FieldFocus));
        Assert.Equal([FullName, Agree, Start, AdvisorNumber], late.Snapshot.Fields);
        Assert.False(late.Snapshot.FieldsFrozen);
    }

    [Fact]
    public async Task Each_party_fills_only_its_own_fields()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", AdvisorNumber.Id, "42"), LiveSessionErrors.OtherPartysField);
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "advisor", FullName.Id, "Ada"), LiveSessionErrors.OtherPartysField);
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "advisor", Guid.NewGuid(), "x"), LiveSessionErrors.FieldNotInSession);
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "advisor", AdvisorNumber.Id, "42"));
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, LiveSessionHarness.Customer, FullName.Id, "Carl"));
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "nobody", FullName.Id, "Carl"), LiveSessionErrors.NotJoined);
    }

    [Fact]
    public async Task Impossible_values_are_refused_with_a_sentence_and_not_shared()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join, events) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(
            await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", Agree.Id, "maybe"),
            LiveSessionErrors.ValueRefused("I agree is a checkbox: its value is \"true\" (ticked) or empty."));
        LiveSessionHarness.Refused(
            await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, new string('x', FieldValueRules.HardMaxLength + 1)),
            LiveSessionErrors.ValueRefused("Full name cannot hold more than 10,000 characters."));
        var tooLongForTheField = LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, new string('x', 21)));

        Assert.Equal("Full name may have at most 20 characters.", tooLongForTheField.Problem);
        await events.WaitForVersionAsync(join.Snapshot.Version + 1, join.Snapshot.Version);
        Assert.Single(events.Events.OfType<FieldValueChanged>());
    }

    [Fact]
    public async Task Values_change_only_in_review_and_never_after_a_signature()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness, ContractStatus.Draft);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"), LiveSessionErrors.FieldsNotInReview);
        await harness.Coordinator.PublishStatusAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor, ContractStatus.Review);
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"));

        await harness.Coordinator.PublishContractSignedAsync(harness.SessionId, LiveSessionHarness.Customer.Actor, "Customer", harness.Time.GetUtcNow());

        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla"), LiveSessionErrors.FieldsFrozen);
        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.True(snapshot.FieldsFrozen);
        Assert.Equal("Carl", snapshot.FieldValues[FullName.Id].Value);
    }

    [Fact]
    public async Task A_hold_refuses_changes_until_released_and_saves_what_was_typed()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"));

        LiveSessionHarness.Accepted(await harness.Coordinator.HoldFieldsAsync(harness.SessionId));

        Assert.Equal("Carl", harness.FieldStore.Find(FullName.Id)?.Value);
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla"), LiveSessionErrors.FieldsHeld);
        await harness.Coordinator.ReleaseFieldsAsync(harness.SessionId);
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla"));
    }

    [Fact]
    public async Task A_hold_is_refused_and_released_when_the_values_cannot_be_saved()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"));
        harness.FieldStore.Failing = true;

        LiveSessionHarness.Refused(await harness.Coordinator.HoldFieldsAsync(harness.SessionId), LiveSessionErrors.FieldValuesNotSaved);

        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla"));
    }

    [Fact]
    public async Task Two_tabs_of_one_person_converge_on_the_last_write()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        var (join1, tab1) = await harness.JoinAsync(LiveSessionHarness.Customer, "tab-1");
        var (_, tab2) = await harness.JoinAsync(LiveSessionHarness.Customer, "tab-2");

        var versions = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var tab = i % 2 == 0 ? "tab-1" : "tab-2";
            versions.Add(LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, tab, FullName.Id, $"Carl {i}")).Version);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), versions);
        var last = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version;
        await tab1.WaitForVersionAsync(last, join1.Snapshot.Version);
        await tab2.WaitUntilAsync(e => e.Count > 0 && e[^1].Version >= last);
        foreach (var tab in new[] { tab1, tab2 })
        {
            var newest = tab.Events.OfType<FieldValueChanged>().MaxBy(e => e.ValueVersion)!;
            Assert.Equal(("Carl 9", 10L), (newest.Value, newest.ValueVersion));
        }
    }

    [Fact]
    public async Task Values_are_saved_at_most_a_second_after_a_change_with_the_latest_value()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "C");
        harness.Time.Advance(TimeSpan.FromMilliseconds(600));
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Ca");
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", Agree.Id, "true");
        harness.Time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Empty(harness.FieldStore.Saved);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        var saved = Assert.Single(harness.FieldStore.Saved);
        Assert.Equal([(FullName.Id, "Ca", 2L), (Agree.Id, "true", 1L)], saved.Select(s => (s.Value.FieldId, s.Value.Value, s.Value.Version)).OrderBy(s => s.Version).Reverse());
        Assert.All(saved, s => Assert.Equal(ParticipantRole.Customer, s.SetByRole));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(harness.FieldStore.Saved);
    }

    [Fact]
    public async Task A_flush_saves_at_once_and_a_failed_save_is_tried_again()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl");
        harness.FieldStore.Failing = true;

        LiveSessionHarness.Refused(await harness.Coordinator.FlushFieldsAsync(harness.SessionId), LiveSessionErrors.FieldValuesNotSaved);
        harness.FieldStore.Failing = false;
        Assert.Null(harness.FieldStore.Find(FullName.Id));

        harness.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(("Carl", 1L), (harness.FieldStore.Find(FullName.Id)?.Value, harness.FieldStore.Find(FullName.Id)?.Version));
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla");
        LiveSessionHarness.Accepted(await harness.Coordinator.FlushFieldsAsync(harness.SessionId));
        Assert.Equal("Carla", harness.FieldStore.Find(FullName.Id)?.Value);
    }

    [Fact]
    public async Task A_commit_starts_the_save_at_once_without_waiting_for_the_write()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.FieldStore.Slow = slow;
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl");

        // No time passes: the commit answers with the session's version while the write is still under way.
        var committed = harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", FullName.Id);
        Assert.True(committed.IsCompleted);
        Assert.Equal((await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.Version, LiveSessionHarness.Accepted(await committed));
        await WaitForAsync(() => harness.FieldStore.Saved.Count == 1);
        Assert.Null(harness.FieldStore.Find(FullName.Id));

        // Commits while nothing new is unsaved start nothing more; the write finishes on its own.
        LiveSessionHarness.Accepted(await harness.Coordinator.CommitFieldAsync(harness.SessionId, "customer", FullName.Id));
        slow.SetResult();
        await WaitForAsync(() => harness.FieldStore.Find(FullName.Id)?.Value == "Carl");
        Assert.Single(harness.FieldStore.Saved);
        LiveSessionHarness.Refused(await harness.Coordinator.CommitFieldAsync(Guid.NewGuid(), "customer", FullName.Id), LiveSessionErrors.UnknownSession);
    }

    [Fact]
    public async Task Ending_and_stopping_save_the_values_not_saved_yet()
    {
        var store = new RecordingFieldValueStore();
        await using (var harness = new LiveSessionHarness(fieldStore: store))
        {
            await OpenAsync(harness);
            await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
            await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl");
        }

        Assert.Equal("Carl", store.Find(FullName.Id)?.Value);

        await using var ending = new LiveSessionHarness();
        await OpenAsync(ending);
        await ending.JoinAsync(LiveSessionHarness.Customer, "customer");
        await ending.Coordinator.SetFieldValueAsync(ending.SessionId, "customer", Agree.Id, "true");
        await ending.Coordinator.EndAsync(ending.SessionId, LiveSessionHarness.Advisor.Actor);
        Assert.Equal("true", ending.FieldStore.Find(Agree.Id)?.Value);
    }

    [Fact]
    public async Task A_session_continues_from_the_stored_values_and_their_versions()
    {
        await using var harness = new LiveSessionHarness();
        var stored = new LiveFieldValue(FullName.Id, "Carl", 7, "customer-1", "Carl Customer", harness.Time.GetUtcNow(), null);
        await OpenAsync(harness, values: [stored]);
        var (join, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        Assert.Equal(stored, join.Snapshot.FieldValues[FullName.Id]);
        Assert.Equal(8, LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carla")).Version);
    }

    [Fact]
    public async Task A_flood_of_values_is_refused_for_that_connection_only()
    {
        await using var harness = new LiveSessionHarness(o => o.FieldChangesPerSecond = 5);
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "flooding");
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var other = new LiveSessionHarness(o => o.FieldChangesPerSecond = 5);
        await using var otherSession = other;
        await OpenAsync(other);
        await other.JoinAsync(LiveSessionHarness.Customer, "customer");

        var outcomes = new List<Core.Common.Outcome<LiveFieldValue>>();
        for (var i = 0; i < 8; i++)
        {
            outcomes.Add(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "flooding", FullName.Id, $"v{i}"));
        }

        Assert.Equal(5, outcomes.Count(o => o.Succeeded));
        Assert.Equal(LiveSessionErrors.TooManyFieldChanges, outcomes[^1].Error);
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "advisor", AdvisorNumber.Id, "42"));
        LiveSessionHarness.Accepted(await other.Coordinator.SetFieldValueAsync(other.SessionId, "customer", FullName.Id, "Carl"));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        LiveSessionHarness.Accepted(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "flooding", FullName.Id, "after a second"));
    }

    [Fact]
    public async Task Only_the_advisor_guides_and_only_to_the_customers_fields()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (_, customerEvents) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Refused(await harness.Coordinator.GuideFieldAsync(harness.SessionId, "customer", FullName.Id), LiveSessionErrors.GuideAdvisorOnly);
        LiveSessionHarness.Refused(await harness.Coordinator.GuideFieldAsync(harness.SessionId, "advisor", AdvisorNumber.Id), LiveSessionErrors.GuideCustomerFieldsOnly);
        LiveSessionHarness.Accepted(await harness.Coordinator.GuideFieldAsync(harness.SessionId, "advisor", Start.Id));

        await customerEvents.WaitForAsync<FieldGuide>();
        var guide = customerEvents.Events.OfType<FieldGuide>().Single();
        Assert.Equal((Start.Id, Start.DocumentId, Start.Page), (guide.FieldId, guide.DocumentId, guide.Page));
    }

    [Fact]
    public async Task Focus_follows_each_participant_and_leaves_with_their_last_connection()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Advisor, "advisor");
        var (customer, _) = await harness.JoinAsync(LiveSessionHarness.Customer, "customer");

        LiveSessionHarness.Accepted(await harness.Coordinator.FocusFieldAsync(harness.SessionId, "customer", FullName.Id));
        LiveSessionHarness.Accepted(await harness.Coordinator.FocusFieldAsync(harness.SessionId, "customer", Agree.Id));
        LiveSessionHarness.Accepted(await harness.Coordinator.FocusFieldAsync(harness.SessionId, "advisor", AdvisorNumber.Id));
        LiveSessionHarness.Refused(await harness.Coordinator.FocusFieldAsync(harness.SessionId, "advisor", Guid.NewGuid()), LiveSessionErrors.FieldNotInSession);

        Assert.Equal([AdvisorNumber.Id, Agree.Id], (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.FieldFocus.Select(m => m.FieldId));
        await customer.Subscription.DisposeAsync();
        Assert.Equal([AdvisorNumber.Id], (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!.FieldFocus.Select(m => m.FieldId));
    }

    [Fact]
    public async Task New_field_definitions_replace_the_old_and_drop_their_values()
    {
        await using var harness = new LiveSessionHarness();
        await OpenAsync(harness);
        await harness.JoinAsync(LiveSessionHarness.Customer, "customer");
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl");
        await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", Agree.Id, "true");

        LiveSessionHarness.Accepted(await harness.Coordinator.UpdateFieldsAsync(harness.SessionId, LiveSessionHarness.Advisor.Actor, [Agree]));

        var snapshot = (await harness.Coordinator.GetSnapshotAsync(harness.SessionId))!;
        Assert.Equal([Agree], snapshot.Fields);
        Assert.Equal([Agree.Id], snapshot.FieldValues.Keys);
        LiveSessionHarness.Refused(await harness.Coordinator.SetFieldValueAsync(harness.SessionId, "customer", FullName.Id, "Carl"), LiveSessionErrors.FieldNotInSession);
    }

    private static async Task OpenAsync(LiveSessionHarness harness, ContractStatus status = ContractStatus.Review, IReadOnlyList<LiveFieldValue>? values = null)
    {
        var setup = harness.Setup with { Status = status };
        var opened = await harness.Coordinator.OpenAsync(
            harness.SessionId,
            setup with { Fields = [FullName, Agree, Start, AdvisorNumber], FieldValues = values ?? [] });
        Assert.True(opened.Succeeded, opened.Error?.Message);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(LiveSessionHarness.Patience);
        while (!condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
