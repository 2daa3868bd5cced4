using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LiveContract.Tests.Integration.LiveSessions.LiveSessionScenario;

namespace LiveContract.Tests.Integration.Fields;

/// <summary>Placing, changing and removing fields: the contract's own advisor, in Draft, on the real page; audited; on both databases.</summary>
public sealed class FieldServiceTests
{
    private const string DraftOnly = "Fields can be placed, changed or removed only while the contract is a draft. Move it back to draft first.";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_advisor_places_changes_and_removes_fields_each_audited_and_bumping_the_contract(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        var fields = Service(scenario);

        var name = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, Text(document, 2, new FieldBox(100, 700, 200, 20), "Full name")));
        var date = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, new FieldDraft(
            document, 1, new FieldBox(300, 500, 100, 20), FieldKind.Date, "Date of the accident", FieldParty.Customer, true,
            new FieldRuleSet(MinDate: new DateOnly(2020, 1, 1), MaxDate: new DateOnly(2030, 12, 31)))));
        var top = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, new FieldDraft(
            document, 1, new FieldBox(50, 800, 20, 20), FieldKind.Checkbox, "  I agree  ", FieldParty.Advisor, false)));
        var versionBefore = await VersionAsync(scenario, contract.Id);

        var changed = Accepted(await fields.UpdateAsync(scenario.Advisor, contract.Id, name.Id, Text(document, 2, new FieldBox(100, 650, 250, 24), "Full name of the policy holder") with
        {
            Rules = new FieldRuleSet(MaxLength: 80),
        }));
        var removed = Accepted(await fields.DeleteAsync(scenario.Advisor, contract.Id, date.Id));

        Assert.Equal((new FieldBox(100, 650, 250, 24), "Full name of the policy holder", 80), (changed.Box, changed.Label, changed.Rules.MaxLength));
        Assert.Equal(date.Id, removed.Id);
        Assert.Equal("I agree", top.Label);
        var listed = Accepted(await fields.ListAsync(scenario.Advisor, contract.Id));
        Assert.Equal([top.Id, name.Id], listed.Select(f => f.Id));
        Assert.Equal(versionBefore + 2, await VersionAsync(scenario, contract.Id));

        var trail = Accepted(await scenario.App.Services.GetRequiredService<AuditService>().GetTimelineAsync(scenario.Advisor, contract.Id));
        var events = trail.Events.Where(e => e.Type.StartsWith("field.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [AuditEventTypes.FieldAdded, AuditEventTypes.FieldAdded, AuditEventTypes.FieldAdded, AuditEventTypes.FieldChanged, AuditEventTypes.FieldRemoved],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(scenario.Advisor.UserId, e.ActorId));
        Assert.Equal($"Field “Full name” (text, for the customer, optional) added on page 2 of {ThreePages}", events[0].Description);
        Assert.Equal($"Field “Full name of the policy holder” (text, for the customer, optional) on page 2 of {ThreePages} changed: box, label, rules", events[3].Description);
        Assert.Equal($"Field “Date of the accident” (date, for the customer, required) removed from page 1 of {ThreePages}", events[4].Description);
        await using var db = scenario.Database();
        Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.Contract(contract.Id))).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Only_the_contracts_own_advisor_changes_fields_an_admin_reads_them_and_another_advisor_sees_nothing(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        var fields = Service(scenario);
        var field = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 100, 100, 20), "Name")));
        var draft = Text(document, 1, new FieldBox(100, 100, 100, 20), "Changed");

        Assert.Equal([field.Id], Accepted(await fields.ListAsync(scenario.Admin, contract.Id)).Select(f => f.Id));
        Assert.Equal(field, Accepted(await fields.GetAsync(scenario.Admin, contract.Id, field.Id)));
        var readOnly = "Only the contract's advisor can change it; administrators see it read-only.";
        Assert.Equal(new OperationError(ErrorKind.Forbidden, readOnly), (await fields.CreateAsync(scenario.Admin, contract.Id, draft)).Error);
        Assert.Equal(new OperationError(ErrorKind.Forbidden, readOnly), (await fields.UpdateAsync(scenario.Admin, contract.Id, field.Id, draft)).Error);
        Assert.Equal(new OperationError(ErrorKind.Forbidden, readOnly), (await fields.DeleteAsync(scenario.Admin, contract.Id, field.Id)).Error);

        var notFound = OperationError.NotFound("That contract");
        Assert.Equal(notFound, (await fields.ListAsync(scenario.OtherAdvisor, contract.Id)).Error);
        Assert.Equal(notFound, (await fields.GetAsync(scenario.OtherAdvisor, contract.Id, field.Id)).Error);
        Assert.Equal(notFound, (await fields.CreateAsync(scenario.OtherAdvisor, contract.Id, draft)).Error);
        Assert.Equal(notFound, (await fields.UpdateAsync(scenario.OtherAdvisor, contract.Id, field.Id, draft)).Error);
        Assert.Equal(notFound, (await fields.DeleteAsync(scenario.OtherAdvisor, contract.Id, field.Id)).Error);
        Assert.Equal("Name", Assert.Single(Accepted(await fields.ListAsync(scenario.Advisor, contract.Id))).Label);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Fields_change_only_in_draft_and_a_field_or_document_of_another_contract_is_not_found(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var other = await scenario.CreateContractWithDocumentAsync();
        var fields = Service(scenario);
        var field = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, Text(contract.Documents[0].Id, 1, new FieldBox(100, 100, 100, 20), "Name")));
        var otherField = Accepted(await fields.CreateAsync(scenario.Advisor, other.Id, Text(other.Documents[0].Id, 1, new FieldBox(100, 100, 100, 20), "Other")));
        var draft = Text(contract.Documents[0].Id, 1, new FieldBox(100, 100, 100, 20), "Changed");

        Assert.Equal(OperationError.NotFound("That field"), (await fields.UpdateAsync(scenario.Advisor, contract.Id, otherField.Id, draft)).Error);
        Assert.Equal(OperationError.NotFound("That field"), (await fields.DeleteAsync(scenario.Advisor, contract.Id, otherField.Id)).Error);
        Assert.Equal(OperationError.NotFound("That field"), (await fields.GetAsync(scenario.Advisor, contract.Id, otherField.Id)).Error);
        Assert.Equal(OperationError.NotFound("That document"), (await fields.CreateAsync(scenario.Advisor, contract.Id, draft with { DocumentId = other.Documents[0].Id })).Error);

        Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        var refused = new OperationError(ErrorKind.Conflict, DraftOnly);
        Assert.Equal(refused, (await fields.CreateAsync(scenario.Advisor, contract.Id, draft)).Error);
        Assert.Equal(refused, (await fields.UpdateAsync(scenario.Advisor, contract.Id, field.Id, draft)).Error);
        Assert.Equal(refused, (await fields.DeleteAsync(scenario.Advisor, contract.Id, field.Id)).Error);
        Assert.Equal("Name", Assert.Single(Accepted(await fields.ListAsync(scenario.Advisor, contract.Id))).Label);

        Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Draft)));
        Assert.Equal("Changed", Accepted(await fields.UpdateAsync(scenario.Advisor, contract.Id, field.Id, draft)).Label);
    }

    [Fact]
    public async Task Boxes_of_no_size_off_the_page_or_on_a_missing_page_are_refused_with_the_reason()
    {
        await using var scenario = await CreateAsync();
        var contract = await scenario.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        var fields = Service(scenario);

        // The claim form's pages are A4: 595.276 × 841.89 points.
        Assert.Equal(
            [
                "The field's box has no size: give it a width and a height greater than zero.",
                "The field's box has no size: give it a width and a height greater than zero.",
                "The field's box is too small to see or fill in: make it at least 4 points wide and high.",
                "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.",
                "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.",
                "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.",
                "The document has 3 pages, so a field cannot go on page 4.",
                "The document has 3 pages, so a field cannot go on page 0.",
            ],
            [
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 100, 0, 20), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 100, 50, -5), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 100, 50, 2), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(500, 100, 100, 20), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 830, 100, 20), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(-10, 100, 100, 20), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 4, new FieldBox(100, 100, 100, 20), "Name")),
                await RefusalAsync(fields, scenario.Advisor, contract.Id, Text(document, 0, new FieldBox(100, 100, 100, 20), "Name")),
            ]);
        Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, Text(document, 3, new FieldBox(0, 0, 595.276, 841.89), "The whole page")));
        Assert.Single(Accepted(await fields.ListAsync(scenario.Advisor, contract.Id)));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_upload_takes_over_the_pdfs_own_form_fields_and_removing_the_document_removes_them(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractAsync(null, CustomerEmail, ThreePages, "acroform-basic-fields.pdf");
        var fields = Service(scenario);

        var listed = Accepted(await fields.ListAsync(scenario.Advisor, contract.Id));

        var form = contract.Documents.Single(d => d.FileName == "acroform-basic-fields.pdf");
        Assert.Equal(17, listed.Count);
        Assert.All(listed, f => Assert.Equal((form.Id, 1, FieldSource.PdfForm, FieldParty.Customer), (f.DocumentId, f.Page, f.Source, f.Party)));
        Assert.Equal(
            ["TextField", "TextField-DefaultValue", "RichTextField", "Checkbox", "Checkbox-DefaultValue", "RichTextField-DefaultValue", "RadioButtonGroup"],
            listed.Take(7).Select(f => f.PdfFieldName));
        Assert.Equal(FieldKind.MultilineText, listed.Single(f => f.PdfFieldName == "LongRichTextField").Kind);
        var radio = listed.Single(f => f.PdfFieldName == "RadioButtonGroup");
        Assert.Equal((FieldKind.Radio, "Radio button group", "RadioButton01|RadioButton02"), (radio.Kind, radio.Label, string.Join("|", radio.Options)));

        var uploaded = Accepted(await scenario.App.Services.GetRequiredService<AuditService>().GetTimelineAsync(scenario.Advisor, contract.Id))
            .Events.Where(e => e.Type == AuditEventTypes.DocumentUploaded).Select(e => e.Description).ToList();
        Assert.DoesNotContain("form field", uploaded[0], StringComparison.Ordinal);
        Assert.EndsWith(", 17 form fields found)", uploaded[1], StringComparison.Ordinal);

        // A field found in the form can be changed like any other, but stays on its document.
        var changed = Accepted(await fields.UpdateAsync(scenario.Advisor, contract.Id, radio.Id, Draft(radio) with { Label = "Preferred contact", Required = true }));
        Assert.Equal(("Preferred contact", true, "RadioButtonGroup"), (changed.Label, changed.Required, changed.PdfFieldName));
        Assert.Equal(
            "A field found in the PDF's own form stays on its document; remove it and place a new field on the other document instead.",
            (await fields.UpdateAsync(scenario.Advisor, contract.Id, radio.Id, Draft(radio) with { DocumentId = contract.Documents.Single(d => d.Id != form.Id).Id })).Error!.Message);

        Accepted(await scenario.Documents.RemoveAsync(scenario.Advisor, form.Id));
        Assert.Empty(Accepted(await fields.ListAsync(scenario.Advisor, contract.Id)));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_customer_of_the_session_reads_its_contracts_fields_and_no_others(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractAsync(null, CustomerEmail, "acroform-basic-fields.pdf");
        var other = await scenario.CreateContractAsync(null, "someone@example.com", "acroform-basic-fields.pdf");
        var fields = Service(scenario);
        var started = await scenario.StartAsync(contract.Id);
        var otherStarted = await scenario.StartAsync(other.Id);
        var grant = (await scenario.Sessions.RedeemLinkAsync(TokenOf(started.CustomerLink), "203.0.113.7")).Grant!;
        var customer = new SessionCaller.Customer(grant.LinkId);

        var seen = Accepted(await fields.ListForSessionAsync(customer, started.Session.Id));
        var staff = Accepted(await fields.ListForSessionAsync(scenario.AdvisorCaller, started.Session.Id));
        var admin = Accepted(await fields.ListForSessionAsync(new SessionCaller.Staff(scenario.Admin, "Ada Admin"), started.Session.Id));

        Assert.Equal(17, seen.Count);
        Assert.All(seen, f => Assert.Equal(contract.Id, f.ContractId));
        Assert.Equal(seen.Select(f => f.Id), staff.Select(f => f.Id));
        Assert.Equal(seen.Select(f => f.Id), admin.Select(f => f.Id));
        Assert.Equal(LiveSessionErrors.UnknownSession, (await fields.ListForSessionAsync(customer, otherStarted.Session.Id)).Error);
        Assert.Equal(LiveSessionErrors.UnknownSession, (await fields.ListForSessionAsync(new SessionCaller.Staff(scenario.OtherAdvisor, "Olga Other"), started.Session.Id)).Error);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_open_live_session_gets_each_field_placed_changed_or_removed(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        var fields = Service(scenario);
        var started = await scenario.StartAsync(contract.Id);
        Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));
        async Task<IReadOnlyList<FieldDefinition>> SessionFieldsAsync() => (await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!.Fields;
        Assert.Empty(await SessionFieldsAsync());

        var name = Accepted(await fields.CreateAsync(scenario.Advisor, contract.Id, Text(document, 1, new FieldBox(100, 700, 200, 20), "Full name")));
        Assert.Equal([(name.Id, "Full name")], (await SessionFieldsAsync()).Select(f => (f.Id, f.Label)));

        Accepted(await fields.UpdateAsync(scenario.Advisor, contract.Id, name.Id, Text(document, 1, new FieldBox(100, 700, 200, 20), "Name of the policy holder")));
        Assert.Equal([(name.Id, "Name of the policy holder")], (await SessionFieldsAsync()).Select(f => (f.Id, f.Label)));

        Accepted(await fields.DeleteAsync(scenario.Advisor, contract.Id, name.Id));
        Assert.Empty(await SessionFieldsAsync());
    }

    internal static FieldDraft Text(Guid document, int page, FieldBox box, string label) =>
        new(document, page, box, FieldKind.Text, label, FieldParty.Customer, false);

    private static FieldDraft Draft(FieldDefinition field) =>
        new(field.DocumentId, field.Page, field.Box, field.Kind, field.Label, field.Party, field.Required, field.Rules, field.Options);

    private static async Task<int> VersionAsync(LiveSessionScenario scenario, Guid contractId)
    {
        await using var db = scenario.Database();
        return await db.Contracts.Where(c => c.Id == contractId).Select(c => c.Version).SingleAsync();
    }

    private static FieldService Service(LiveSessionScenario scenario) => scenario.App.Services.GetRequiredService<FieldService>();

    private static async Task<string> RefusalAsync(FieldService fields, Actor actor, Guid contractId, FieldDraft draft)
    {
        var outcome = await fields.CreateAsync(actor, contractId, draft);
        Assert.Equal(ErrorKind.Invalid, outcome.Error?.Kind);
        return outcome.Error!.Message;
    }
}
