using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Tests.Fixtures;
using static LiveContract.Tests.Integration.LiveSessions.LiveSessionScenario;

namespace LiveContract.Tests.Integration.Fields;

/// <summary>The fields API: staff by API token or cookie, the session's customer by link; refusals as problem details with the service's sentence.</summary>
public sealed class FieldsApiTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_advisor_places_patches_and_deletes_a_field_through_the_api(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractWithDocumentAsync();
        var document = contract.Documents[0].Id;
        using var api = await ApiClient.ForAsync(scenario.App, scenario.Advisor.UserId);

        using var created = await api.PostAsJsonAsync($"api/contracts/{contract.Id}/fields", new
        {
            documentId = document,
            page = 2,
            box = new { left = 72, bottom = 600, width = 200, height = 18 },
            kind = "Text",
            label = "IBAN",
            party = "Customer",
            required = true,
            rules = new { maxLength = 34, pattern = "[A-Z]{2}[0-9]{2}[A-Z0-9 ]{11,30}", patternMessage = "Enter an IBAN such as DE89 3704 0044 0532 0130 00." },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var field = await created.ReadAsync<FieldDefinition>();
        Assert.Equal($"/api/contracts/{contract.Id}/fields/{field.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal((2, new FieldBox(72, 600, 200, 18), FieldKind.Text, "IBAN", true, 34, FieldSource.Placed), (field.Page, field.Box, field.Kind, field.Label, field.Required, field.Rules.MaxLength, field.Source));

        using var patched = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}/fields/{field.Id}", new { label = "IBAN of the account to pay into" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var changed = await patched.ReadAsync<FieldDefinition>();
        Assert.Equal(("IBAN of the account to pay into", field.Box, field.Rules), (changed.Label, changed.Box, changed.Rules));

        using var offPage = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}/fields/{field.Id}", new { box = new { left = 500, bottom = 600, width = 200, height = 18 } });
        Assert.Equal(HttpStatusCode.BadRequest, offPage.StatusCode);
        Assert.Equal("The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.", await offPage.ProblemDetailAsync());
        using var rulesOfAnotherKind = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}/fields/{field.Id}", new { kind = "Checkbox" });
        Assert.Equal("A character limit applies only to text, multi-line text and initials, not to checkbox.", await rulesOfAnotherKind.ProblemDetailAsync());

        var listed = await (await api.GetAsync($"api/contracts/{contract.Id}/fields")).ReadAsync<List<FieldDefinition>>();
        Assert.Equal(changed, Assert.Single(listed) with { Options = changed.Options });

        using var deleted = await api.DeleteAsync($"api/contracts/{contract.Id}/fields/{field.Id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await api.DeleteAsync($"api/contracts/{contract.Id}/fields/{field.Id}");
        Assert.Equal((HttpStatusCode.NotFound, "That field does not exist or is not yours."), (again.StatusCode, await again.ProblemDetailAsync()));
        Assert.Empty(await (await api.GetAsync($"api/contracts/{contract.Id}/fields")).ReadAsync<List<FieldDefinition>>());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Others_are_refused_with_the_reason_and_the_sessions_customer_reads_the_fields(DatabaseProvider provider)
    {
        await using var scenario = await CreateAsync(provider);
        var contract = await scenario.CreateContractAsync(null, CustomerEmail, "acroform-basic-fields.pdf");
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Advisor.UserId);
        using var other = await ApiClient.ForAsync(scenario.App, scenario.OtherAdvisor.UserId);
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Admin.UserId);
        var fields = await (await advisor.GetAsync($"api/contracts/{contract.Id}/fields")).ReadAsync<List<FieldDefinition>>();
        var field = fields.Single(f => f.PdfFieldName == "TextField");
        var placement = new { documentId = contract.Documents[0].Id, page = 1, box = new { left = 300, bottom = 100, width = 100, height = 20 }, kind = "Date", label = "Date", party = "Advisor" };

        using var incomplete = await advisor.PostAsJsonAsync($"api/contracts/{contract.Id}/fields", new { label = "Name" });
        using var otherList = await other.GetAsync($"api/contracts/{contract.Id}/fields");
        using var otherPatch = await other.PatchAsJsonAsync($"api/contracts/{contract.Id}/fields/{field.Id}", new { label = "Mine" });
        using var adminList = await admin.GetAsync($"api/contracts/{contract.Id}/fields");
        using var adminPost = await admin.PostAsJsonAsync($"api/contracts/{contract.Id}/fields", placement);

        Assert.Equal(
            (HttpStatusCode.BadRequest, "Send the new field's documentId, page, box (left, bottom, width, height), kind, label and party."),
            (incomplete.StatusCode, await incomplete.ProblemDetailAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "That contract does not exist or is not yours."), (otherList.StatusCode, await otherList.ProblemDetailAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "That contract does not exist or is not yours."), (otherPatch.StatusCode, await otherPatch.ProblemDetailAsync()));
        Assert.Equal(fields.Select(f => f.Id), (await adminList.ReadAsync<List<FieldDefinition>>()).Select(f => f.Id));
        Assert.Equal(
            (HttpStatusCode.Forbidden, "Only the contract's advisor can change it; administrators see it read-only."),
            (adminPost.StatusCode, await adminPost.ProblemDetailAsync()));

        Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        using var inReview = await advisor.PostAsJsonAsync($"api/contracts/{contract.Id}/fields", placement);
        Assert.Equal(
            (HttpStatusCode.Conflict, "Fields can be placed, changed or removed only while the contract is a draft. Move it back to draft first."),
            (inReview.StatusCode, await inReview.ProblemDetailAsync()));

        var started = await scenario.StartAsync(contract.Id);
        using var customer = ApiClient.WithToken(scenario.App, TokenOf(started.CustomerLink));
        using var seen = await customer.GetAsync($"api/sessions/{started.Session.Id}/fields");
        using var notStaff = await customer.GetAsync($"api/contracts/{contract.Id}/fields");
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal(fields.Select(f => f.Id), (await seen.ReadAsync<List<FieldDefinition>>()).Select(f => f.Id));
        Assert.NotEqual(HttpStatusCode.OK, notStaff.StatusCode);
    }
}
