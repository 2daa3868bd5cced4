using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Titles and names with a control character or a text-direction override ("abc‮gnp.exe") are
/// refused with one sentence wherever they are typed; an uploaded file name is cleaned instead.
/// </summary>
public sealed class HiddenCharactersTests
{
    [Theory]
    [InlineData("abc\u202Egnp.exe", "Chloé Dupont", "title")]
    [InlineData("Motor\0policy", "Chloé Dupont", "title")]
    [InlineData("Motor policy", "Chlo\u0007é", "customer's name")]
    [InlineData("Motor policy", "\u2067Chloé\u2069 Dupont", "customer's name")]
    [InlineData("Motor policy", "Chloé\u0085", "customer's name")]
    public async Task Creating_a_contract_refuses_them_with_one_sentence_and_creates_nothing(string title, string customerName, string what)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        using var response = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest(title, customerName, "chloe@example.com", null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FreeText.Sentence(what), await response.ProblemDetailAsync());
        Assert.Equal($"The {what} contains a character that cannot be shown (a control character or a text-direction override).", FreeText.Sentence(what));
        var contracts = await (await api.GetAsync("api/contracts")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("chloe@example.com", contracts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renaming_a_contract_refuses_them_and_keeps_the_title()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var created = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor policy", "Chloé Dupont", "chloe@example.com", null));
        var contract = await created.ReadAsync<ContractDetails>();

        using var renamed = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest("invoice\u202Efdp.exe", null, null));

        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Equal(FreeText.Sentence("title"), await renamed.ProblemDetailAsync());
        Assert.Equal("Motor policy", (await (await api.GetAsync($"api/contracts/{contract.Id}")).ReadAsync<ContractDetails>()).Title);
    }

    [Fact]
    public async Task Creating_a_user_refuses_them_on_the_service_and_on_the_setup_form()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        using var setup = await client.SubmitFormAsync("setup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Grace\u202E Admin",
            ["Input.Email"] = "grace@example.com",
            ["Input.Password"] = LiveContractApp.AdminPassword,
            ["Input.ConfirmPassword"] = LiveContractApp.AdminPassword,
        });

        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(FreeText.Sentence("name")), await setup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await app.Services.GetRequiredService<FirstRunSetup>().IsRequiredAsync());

        await app.CreateAdminAsync();
        var accounts = app.Services.GetRequiredService<UserAdministration>();
        var refused = await accounts.CreateAsync("Nina\0Newcomer", "nina@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        Assert.Equal(FreeText.Sentence("name"), Assert.Single(refused.Errors).Description);
        Assert.DoesNotContain(await accounts.ListAsync(), u => u.Email == "nina@example.com");
    }

    [Fact]
    public async Task An_uploaded_file_name_is_shown_without_them()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var created = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor policy", "Chloé Dupont", "chloe@example.com", null));
        var contract = await created.ReadAsync<ContractDetails>();

        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(FixturePdfs.Read("empty.pdf"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "files", "invoice\u202Efdp.exe\u2069.pdf");
        using var uploaded = await api.PostAsync($"api/contracts/{contract.Id}/documents", content);

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal("invoicefdp.exe.pdf", Assert.Single(await uploaded.ReadAsync<List<DocumentSummary>>()).FileName);
    }
}
