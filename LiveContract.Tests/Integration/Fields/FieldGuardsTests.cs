using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Tests.Integration.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LiveContract.Tests.Integration.LiveSessions.LiveSessionScenario;

namespace LiveContract.Tests.Integration.Fields;

/// <summary>The database itself (migration FieldGuards) keeps fields to Draft and values to Review before any signature, whatever bypasses the services.</summary>
public sealed class FieldGuardsTests
{
    private const string FieldsDraftOnly = "fields change only while their contract is a draft";
    private const string ValuesReviewOnly = "field values change only in review before anyone signs";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Fields_are_written_only_in_draft_and_values_only_in_review_until_the_first_signature(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        var contractId = session.ContractId;
        await MoveAsync(scenario, contractId, ContractStatus.Draft);
        var fields = scenario.App.Services.GetRequiredService<FieldService>();
        var field = Accepted(await fields.CreateAsync(
            scenario.Live.Advisor, contractId, FieldServiceTests.Text(session.Contract.Documents[0].Id, 1, new(100, 100, 200, 20), "Full name")));
        var unfilled = Accepted(await fields.CreateAsync(
            scenario.Live.Advisor, contractId, FieldServiceTests.Text(session.Contract.Documents[0].Id, 1, new(100, 200, 200, 20), "Place")));

        // Draft: a value cannot be written; the field can be changed.
        Assert.Contains(ValuesReviewOnly, await RefusalAsync(scenario, db => db.FieldValues.Add(Value(field, "Chloé"))), StringComparison.Ordinal);
        await AcceptedAsync(scenario, $"""UPDATE "Fields" SET "Label" = 'Name' WHERE "Id" = {field.Id}""");

        // Review: the field is fixed; values are written, changed and removed.
        await MoveAsync(scenario, contractId, ContractStatus.Review);
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, $"""UPDATE "Fields" SET "Label" = 'Changed' WHERE "Id" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, $"""UPDATE "Fields" SET "Width" = 1 WHERE "Id" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, $"""DELETE FROM "Fields" WHERE "Id" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, db => db.Fields.Add(NewField(contractId, session.Contract.Documents[0].Id))), StringComparison.Ordinal);
        await using (var db = scenario.Database())
        {
            db.FieldValues.Add(Value(field, "Chloé"));
            await db.SaveChangesAsync();
        }

        await AcceptedAsync(scenario, $"""UPDATE "FieldValues" SET "Value" = 'Chloé Dupont', "Version" = 2 WHERE "FieldId" = {field.Id}""");
        await AcceptedAsync(scenario, $"""DELETE FROM "FieldValues" WHERE "FieldId" = {field.Id}""");
        await using (var db = scenario.Database())
        {
            db.FieldValues.Add(Value(field, "Chloé Dupont"));
            await db.SaveChangesAsync();
        }

        // From the first signature on, the values are frozen.
        Accepted(await scenario.CustomerSignsAsync(session));
        Assert.Contains(ValuesReviewOnly, await RefusalAsync(scenario, $"""UPDATE "FieldValues" SET "Value" = 'Someone Else' WHERE "FieldId" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(ValuesReviewOnly, await RefusalAsync(scenario, $"""DELETE FROM "FieldValues" WHERE "FieldId" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, $"""DELETE FROM "Fields" WHERE "Id" = {field.Id}"""), StringComparison.Ordinal);
        Assert.Contains(ValuesReviewOnly, await RefusalAsync(scenario, db => db.FieldValues.Add(Value(unfilled, "Late"))), StringComparison.Ordinal);

        await using var check = scenario.Database();
        Assert.Equal("Chloé Dupont", (await check.FieldValues.SingleAsync(v => v.FieldId == field.Id)).Value);
        Assert.Equal("Name", (await check.Fields.SingleAsync(f => f.Id == field.Id)).Label);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Deleting_a_draft_document_or_contract_takes_its_fields_and_values_with_it_but_a_document_in_review_keeps_them(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var byDocument = await WithFieldAndValueAsync(scenario, ContractStatus.Draft);
        var draftContract = await WithFieldAndValueAsync(scenario, ContractStatus.Draft);
        var inReview = await WithFieldAndValueAsync(scenario, ContractStatus.Review);

        Accepted(await scenario.Live.Documents.RemoveAsync(scenario.Live.Advisor, byDocument.DocumentId));
        await AcceptedAsync(scenario, $"""DELETE FROM "Documents" WHERE "ContractId" = {draftContract.ContractId}""");
        await AcceptedAsync(scenario, $"""DELETE FROM "Contracts" WHERE "Id" = {draftContract.ContractId}""");
        Assert.Contains(FieldsDraftOnly, await RefusalAsync(scenario, $"""DELETE FROM "Documents" WHERE "ContractId" = {inReview.ContractId}"""), StringComparison.Ordinal);

        await using var db = scenario.Database();
        var gone = new[] { byDocument.ContractId, draftContract.ContractId };
        Assert.Equal(0, await db.Fields.CountAsync(f => gone.Contains(f.ContractId)));
        Assert.Equal(0, await db.FieldValues.CountAsync(v => gone.Contains(v.ContractId)));
        Assert.False(await db.Contracts.AnyAsync(c => c.Id == draftContract.ContractId));
        Assert.Equal((1, 1), (await db.Fields.CountAsync(f => f.ContractId == inReview.ContractId), await db.FieldValues.CountAsync(v => v.ContractId == inReview.ContractId)));
    }

    /// <summary>A contract (in <paramref name="status"/> at the end) with a field placed in Draft and a value written in Review.</summary>
    private static async Task<(Guid ContractId, Guid DocumentId)> WithFieldAndValueAsync(SigningScenario scenario, ContractStatus status)
    {
        var contract = await scenario.Live.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        var field = Accepted(await scenario.App.Services.GetRequiredService<FieldService>().CreateAsync(
            scenario.Live.Advisor, contract.Id, FieldServiceTests.Text(document, 1, new(100, 100, 200, 20), "Full name")));
        await MoveAsync(scenario, contract.Id, ContractStatus.Review);
        await using (var db = scenario.Database())
        {
            db.FieldValues.Add(Value(field, "Chloé"));
            await db.SaveChangesAsync();
        }

        if (status == ContractStatus.Draft)
        {
            await MoveAsync(scenario, contract.Id, ContractStatus.Draft);
        }

        return (contract.Id, document);
    }

    private static async Task MoveAsync(SigningScenario scenario, Guid contractId, ContractStatus status) =>
        Accepted(await scenario.Live.Contracts.UpdateAsync(scenario.Live.Advisor, contractId, new ContractChanges(Status: status)));

    private static FieldValue Value(FieldDefinition field, string value) => new()
    {
        FieldId = field.Id,
        ContractId = field.ContractId,
        Value = value,
        Version = 1,
        SetById = "customer",
        SetByParty = FieldParty.Customer,
        SetAt = DateTimeOffset.UtcNow,
    };

    private static Field NewField(Guid contractId, Guid documentId) => new()
    {
        Id = Guid.NewGuid(),
        ContractId = contractId,
        DocumentId = documentId,
        Page = 1,
        Left = 10,
        Bottom = 10,
        Width = 50,
        Height = 20,
        Label = "Slipped in",
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static async Task AcceptedAsync(SigningScenario scenario, FormattableString statement)
    {
        await using var db = scenario.Database();
        Assert.Equal(1, await db.Database.ExecuteSqlAsync(statement));
    }

    private static async Task<string> RefusalAsync(SigningScenario scenario, FormattableString statement)
    {
        await using var db = scenario.Database();
        var refused = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync(statement));
        Assert.True(refused is not null, $"The database accepted: {statement}");
        return refused.Message;
    }

    private static async Task<string> RefusalAsync(SigningScenario scenario, Action<LiveContractDbContext> change)
    {
        await using var db = scenario.Database();
        change(db);
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        return refused.InnerException!.Message;
    }
}
