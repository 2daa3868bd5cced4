using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveContract.Core.Data;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Web.Features.Signing;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Tests.Integration.Signing;

/// <summary>A signed contract is final: every path through the app answers 409 with a reason, and the database refuses raw SQL.</summary>
public sealed class SignedContractImmutabilityTests
{
    private const string Final = "This contract is signed and final: it can never change.";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Every_change_to_a_signed_contract_through_the_api_answers_409_with_the_reason(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var last = LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        using var api = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        using var customer = ApiClient.WithToken(scenario.App, session.Token);
        using var upload = new MultipartFormDataContent();
        var file = new ByteArrayContent(FixturePdfs.Read("empty.pdf"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        upload.Add(file, "files", "late.pdf");

        using var title = await api.PatchAsJsonAsync($"api/contracts/{session.ContractId}", new { title = "Changed" });
        using var countersignature = await api.PatchAsJsonAsync($"api/contracts/{session.ContractId}", new { advisorMustSign = false });
        using var toDraft = await api.PatchAsJsonAsync($"api/contracts/{session.ContractId}", new { status = "Draft" });
        using var toReview = await api.PatchAsJsonAsync($"api/contracts/{session.ContractId}", new { status = "Review" });
        using var uploaded = await api.PostAsync($"api/contracts/{session.ContractId}/documents", upload);
        using var removed = await api.DeleteAsync($"api/documents/{session.Contract.Documents[0].Id}");
        LiveSessionScenario.Accepted(await scenario.Live.Sessions.EndAsync(scenario.Live.Advisor, session.SessionId));
        using var newSession = await api.PostAsync($"api/contracts/{session.ContractId}/session", null);

        Assert.Equal(
            [(HttpStatusCode.Conflict, Final), (HttpStatusCode.Conflict, Final), (HttpStatusCode.Conflict, Final), (HttpStatusCode.Conflict, Final)],
            [await StatusAndDetailAsync(title), await StatusAndDetailAsync(countersignature), await StatusAndDetailAsync(toDraft), await StatusAndDetailAsync(toReview)]);
        Assert.Equal((HttpStatusCode.Conflict, $"'late.pdf': {Final}"), await StatusAndDetailAsync(uploaded));
        Assert.Equal((HttpStatusCode.Conflict, Final), await StatusAndDetailAsync(removed));
        Assert.Equal((HttpStatusCode.Conflict, "This contract is signed and final: a live session can no longer be started."), await StatusAndDetailAsync(newSession));

        var contract = await scenario.ContractAsync(session.ContractId);
        Assert.Equal(("Motor insurance", last.State.Status, 2), (contract.Title, contract.Status, (await scenario.SignaturesAsync(session.ContractId)).Count));
    }

    [Fact]
    public async Task Signing_a_signed_contract_again_returns_the_signature_given_and_adds_none()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        var first = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        using var customer = ApiClient.WithToken(scenario.App, session.Token);

        using var again = await customer.PostAsJsonAsync(
            $"api/sessions/{session.SessionId}/signatures",
            new SignatureRequest("Chloé Dupont", SignaturePngs.DrawnBase64(), SigningConsent.Sha256));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var result = await again.ReadAsync<SignResult>();
        Assert.Equal(first.Signature.Id, result.Signature.Id);
        Assert.False(result.ContractSigned);
        Assert.Equal(2, (await scenario.SignaturesAsync(session.ContractId)).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_database_refuses_raw_sql_changes_to_a_signed_contract_its_documents_and_signatures(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));
        var contractId = session.ContractId;
        var documentId = session.Contract.Documents[0].Id;
        var signatureId = (await scenario.SignaturesAsync(contractId))[0].Id;
        var otherDocumentId = (await scenario.StartInReviewAsync()).Contract.Documents[0].Id;

        FormattableString[] statements =
        [
            $"""UPDATE "Contracts" SET "Title" = 'Changed' WHERE "Id" = {contractId}""",
            $"""UPDATE "Contracts" SET "Status" = 'Review' WHERE "Id" = {contractId}""",
            $"""DELETE FROM "Contracts" WHERE "Id" = {contractId}""",
            $"""UPDATE "Documents" SET "Sha256" = {new string('0', 64)} WHERE "Id" = {documentId}""",
            $"""DELETE FROM "Documents" WHERE "Id" = {documentId}""",
            $"""UPDATE "Documents" SET "ContractId" = {contractId} WHERE "Id" = {otherDocumentId}""",
            $"""UPDATE "Signatures" SET "FullName" = 'Someone Else' WHERE "Id" = {signatureId}""",
            $"""DELETE FROM "Signatures" WHERE "Id" = {signatureId}""",
        ];
        foreach (var statement in statements)
        {
            await using var db = scenario.Database();
            var refused = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync(statement));
            Assert.True(refused is not null, $"The database accepted: {statement}");
            Assert.Contains("final", refused.Message, StringComparison.Ordinal);
        }

        await using (var db = scenario.Database())
        {
            var document = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == documentId);
            document.Id = Guid.NewGuid();
            db.Documents.Add(document);
            var added = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains("only a signed contract gets a sealed document, and it gets nothing else", added.InnerException!.Message, StringComparison.Ordinal);
        }

        var contract = await scenario.ContractAsync(contractId);
        Assert.Equal(("Motor insurance", Core.Contracts.ContractStatus.Signed), (contract.Title, contract.Status));
        Assert.Equal(["Chloé Dupont", "Victor Advisor"], (await scenario.SignaturesAsync(contractId)).OrderBy(s => s.Role).Select(s => s.FullName));
        await using var check = scenario.Database();
        Assert.Equal(2, await check.Documents.CountAsync(d => d.ContractId == contractId && d.Kind == Core.Documents.DocumentKind.Original));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_signature_can_be_neither_changed_nor_deleted_even_in_review_and_none_is_added_outside_review(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var signature = Assert.Single(await scenario.SignaturesAsync(session.ContractId));
        var draft = await scenario.Live.CreateContractWithDocumentAsync();

        await using var db = scenario.Database();
        var deleted = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync($"""DELETE FROM "Signatures" WHERE "Id" = {signature.Id}"""));
        var updated = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync($"""UPDATE "Signatures" SET "ConsentSha256" = {new string('1', 64)} WHERE "Id" = {signature.Id}"""));
        signature.Id = Guid.NewGuid();
        signature.ContractId = draft.Id;
        signature.LiveSessionId = null;
        db.Signatures.Add(signature);
        var inDraft = await Record.ExceptionAsync(() => db.SaveChangesAsync());

        Assert.Contains("signatures are final", deleted?.Message ?? "(accepted)", StringComparison.Ordinal);
        Assert.Contains("signatures are final", updated?.Message ?? "(accepted)", StringComparison.Ordinal);
        Assert.Contains("contracts are signed only in review", inDraft?.InnerException?.Message ?? "(accepted)", StringComparison.Ordinal);
        Assert.Single(await scenario.SignaturesAsync(session.ContractId));
        Assert.Empty(await scenario.SignaturesAsync(draft.Id));
    }

    private static async Task<(HttpStatusCode, string)> StatusAndDetailAsync(HttpResponseMessage response) =>
        (response.StatusCode, await response.ProblemDetailAsync());
}
