using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

public sealed class ContractsApiTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_advisor_creates_a_draft_with_a_yearly_reference(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        using var first = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor policy", "Chloé Dupont", "chloe@example.com", null));
        using var second = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Home policy", "Chloe Dupont", "CHLOE@example.com ", false));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var a = await first.ReadAsync<ContractDetails>();
        var b = await second.ReadAsync<ContractDetails>();
        Assert.Equal($"/api/contracts/{a.Id}", first.Headers.Location!.OriginalString);
        Assert.Equal($"LC-{DateTime.UtcNow.Year}-000001", a.Reference);
        Assert.Equal($"LC-{DateTime.UtcNow.Year}-000002", b.Reference);
        Assert.Equal(ContractStatus.Draft, a.Status);
        Assert.True(a.AdvisorMustSign);
        Assert.False(b.AdvisorMustSign);
        Assert.Equal("Victor Advisor", a.AdvisorName);
        Assert.Equal(("Chloé Dupont", "chloe@example.com"), (b.CustomerName, b.CustomerEmail));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Concurrent_creation_hands_out_each_reference_once(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        var responses = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            api.PostAsJsonAsync("api/contracts", new CreateContractRequest($"Contract {i}", "Same Customer", "same@example.com", null))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var references = await Task.WhenAll(responses.Select(async r => (await r.ReadAsync<ContractDetails>()).Reference));
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"LC-{DateTime.UtcNow.Year}-{n:000000}").Order(), references.Order());
    }

    [Theory]
    [InlineData("", "Chloé", "chloe@example.com", "Enter a title")]
    [InlineData("Motor", "", "chloe@example.com", "Enter the customer's full name")]
    [InlineData("Motor", "Chloé", "chloe", "'chloe' is not an email address")]
    public async Task Bad_input_gets_a_problem_that_names_it(string title, string name, string email, string expected)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);

        using var response = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest(title, name, email, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.ProblemDetailAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Another_advisors_contract_is_not_found_and_admins_see_all(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var other = await app.CreateUserAsync("Olga Other", "olga@example.com", Core.Accounts.Roles.Advisor, LiveContractApp.AdvisorPassword);
        using var mine = await ApiClient.ForAsync(app, advisor.Id);
        using var theirs = await ApiClient.ForAsync(app, other.Id);
        using var admins = await ApiClient.ForAsync(app, admin.Id);
        using var created = await mine.PostAsJsonAsync("api/contracts", new CreateContractRequest("Private", "Paul", "paul@example.com", null));
        var contract = await created.ReadAsync<ContractDetails>();

        using var get = await theirs.GetAsync($"api/contracts/{contract.Id}");
        using var patch = await theirs.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest("Stolen", null, null));
        var list = await (await theirs.GetAsync("api/contracts")).ReadAsync<PagedResult<ContractSummary>>();
        var all = await (await admins.GetAsync("api/contracts")).ReadAsync<PagedResult<ContractSummary>>();
        var byAdvisor = await (await admins.GetAsync($"api/contracts?advisorId={other.Id}")).ReadAsync<PagedResult<ContractSummary>>();

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(0, list.Total);
        Assert.Equal(contract.Id, Assert.Single(all.Items).Id);
        Assert.Empty(byAdvisor.Items);
        var unchanged = await (await mine.GetAsync($"api/contracts/{contract.Id}")).ReadAsync<ContractDetails>();
        Assert.Equal("Private", unchanged.Title);
    }

    [Fact]
    public async Task Status_changes_follow_the_rules_with_409_and_a_reason()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await (await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor", "Chloé", "chloe@example.com", null))).ReadAsync<ContractDetails>();

        using var review = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, ContractStatus.Review, null));
        using var signed = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, ContractStatus.Signed, null));
        using var renamed = await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest("Motor 2027", null, null));

        Assert.Equal(HttpStatusCode.Conflict, review.StatusCode);
        Assert.Equal("Add at least one document before sending the contract for review.", await review.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.Conflict, signed.StatusCode);
        Assert.Contains("only when every required signer has signed", await signed.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Motor 2027", (await renamed.ReadAsync<ContractDetails>()).Title);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_list_pages_sorts_filters_and_searches_on_the_server(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        foreach (var (title, customer) in new[] { ("Alpha", "Zoë Zimmer"), ("Bravo", "Yann Young"), ("Charlie", "Xavier Xu"), ("Delta", "Zoë Zimmer"), ("Echo", "Walter White") })
        {
            using var _ = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest(title, customer, $"{customer.Split(' ')[0].ToLowerInvariant()}@example.com", null));
        }

        var page2 = await (await api.GetAsync("api/contracts?page=2&pageSize=2&sort=Title&descending=false")).ReadAsync<PagedResult<ContractSummary>>();
        var byCustomer = await (await api.GetAsync("api/contracts?search=zimmer&sort=Title&descending=true")).ReadAsync<PagedResult<ContractSummary>>();
        var byEmail = await (await api.GetAsync("api/contracts?search=XAVIER@")).ReadAsync<PagedResult<ContractSummary>>();
        var byReference = await (await api.GetAsync($"api/contracts?search=LC-{DateTime.UtcNow.Year}-000005")).ReadAsync<PagedResult<ContractSummary>>();
        var byLowerCaseReference = await (await api.GetAsync($"api/contracts?search=%20lc-{DateTime.UtcNow.Year}-000003%20")).ReadAsync<PagedResult<ContractSummary>>();
        var byPartOfReference = await (await api.GetAsync($"api/contracts?search=-00000")).ReadAsync<PagedResult<ContractSummary>>();
        var inReview = await (await api.GetAsync("api/contracts?status=Review")).ReadAsync<PagedResult<ContractSummary>>();
        var huge = await (await api.GetAsync("api/contracts?pageSize=100000")).ReadAsync<PagedResult<ContractSummary>>();

        Assert.Equal(5, page2.Total);
        Assert.Equal(["Charlie", "Delta"], page2.Items.Select(c => c.Title));
        Assert.Equal(["Delta", "Alpha"], byCustomer.Items.Select(c => c.Title));
        Assert.Equal("Charlie", Assert.Single(byEmail.Items).Title);
        Assert.Equal("Echo", Assert.Single(byReference.Items).Title);
        Assert.Equal("Charlie", Assert.Single(byLowerCaseReference.Items).Title);
        Assert.Equal(5, byPartOfReference.Total);
        Assert.Equal(0, inReview.Total);
        Assert.Equal(ContractQuery.MaxPageSize, huge.PageSize);
    }

    [Fact]
    public async Task Without_credentials_the_api_answers_401_not_a_login_page()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var forged = ApiClient.WithToken(app, "lc_not-a-real-token");

        using var none = await anonymous.GetAsync("api/contracts");
        using var wrong = await forged.GetAsync("api/contracts");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var tokens = app.Services.GetRequiredService<Core.Accounts.ApiTokenService>();
        var created = await tokens.CreateAsync(new Core.Common.Actor(advisor.Id, IsAdmin: false), "CRM");
        using var api = ApiClient.WithToken(app, created.Value.Secret);

        using var before = await api.GetAsync("api/contracts");
        await tokens.RevokeAsync(new Core.Common.Actor(advisor.Id, IsAdmin: false), created.Value.Token.Id);
        using var after = await api.GetAsync("api/contracts");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var listed = Assert.Single(await tokens.ListAsync(advisor.Id));
        Assert.NotNull(listed.LastUsedAt);
        Assert.NotNull(listed.RevokedAt);
        Assert.StartsWith("lc_", listed.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Value.Secret, listed.ToString());
    }

    [Fact]
    public async Task The_login_cookie_works_for_the_api_too()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var browser = await app.LogInAsAdvisorAsync();

        using var response = await browser.GetAsync("api/contracts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var document = await http.GetStringAsync("openapi/v1.json");
        using var scalar = await http.GetAsync("scalar");

        Assert.Contains("\"/api/contracts\"", document);
        Assert.Contains("\"/api/contracts/{id}\"", document);
        Assert.Contains("LiveContract API", document);
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}
