using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Administration;

/// <summary>The users and contracts administration, as the server enforces it: anonymous, advisor, admin.</summary>
public sealed class AdminUsersAndContractsAuthorizationTests
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "api/admin/users" },
        { "POST", "api/admin/users/{advisor}/deactivate" },
        { "POST", "api/admin/users/{advisor}/reactivate" },
        { "PUT", "api/admin/users/{advisor}/roles" },
        { "GET", "api/admin/contracts" },
        { "POST", "api/admin/contracts/{contract}/reassign" },
    };

    public static TheoryData<string> Pages => new() { "admin/users", "admin/contracts", "admin/contracts/{contract}" };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Anonymous_callers_get_401_and_advisors_403(string method, string path)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor, contract) = await SeedAsync(app);
        var url = path.Replace("{advisor}", advisor.Id, StringComparison.Ordinal).Replace("{contract}", contract.ToString(), StringComparison.Ordinal);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        using var asAdvisor = await ApiClient.ForAsync(app, advisor.Id);

        using var anonymousResponse = await anonymous.SendAsync(Request(method, url));
        using var advisorResponse = await asAdvisor.SendAsync(Request(method, url));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, advisorResponse.StatusCode);
        Assert.Equal(UserStatus.Active, (await app.Services.GetRequiredService<UserAdministration>().GetAsync(advisor.Id)).Value!.Status);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_pages_send_the_anonymous_to_login_and_advisors_to_access_denied_and_open_for_admins(string path)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, _, contract) = await SeedAsync(app);
        var url = path.Replace("{contract}", contract.ToString(), StringComparison.Ordinal);
        using var anonymous = app.CreateWebClient();
        using var advisor = await app.LogInAsAdvisorAsync();
        using var admin = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);

        using var anonymousResponse = await anonymous.GetAsync(url);
        using var advisorResponse = await advisor.GetAsync(url);
        using var adminResponse = await admin.GetAsync(url);

        Assert.Equal("/Account/Login", anonymous.RedirectPath(anonymousResponse));
        Assert.Equal("/Account/AccessDenied", advisor.RedirectPath(advisorResponse));
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
        Assert.Contains("Administration", await adminResponse.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task An_admin_uses_the_users_api(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor, contract) = await SeedAsync(app);
        var olga = await app.CreateUserAsync("Olga Other", "olga@example.com", Roles.Advisor, LiveContractApp.AdvisorPassword);
        using var api = await ApiClient.ForAsync(app, admin.Id);

        var page = await (await api.GetAsync("api/admin/users?search=VICTOR&pageSize=1")).ReadAsync<PagedResult<UserSummary>>();
        Assert.Equal((1, 1), (page.Total, page.PageSize));
        Assert.Equal(("Victor Advisor", 1, 0), (page.Items[0].DisplayName, page.Items[0].OpenContracts, page.Items[0].SignedContracts));

        var byEmail = await (await api.GetAsync("api/admin/users?sort=Email&descending=true")).ReadAsync<PagedResult<UserSummary>>();
        Assert.Equal(["olga@example.com", "advisor@example.com", "admin@example.com"], byEmail.Items.Select(u => u.Email));

        using var missing = await api.PostAsJsonAsync($"api/admin/users/{advisor.Id}/deactivate", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("Victor Advisor has 1 open contract: choose the advisor who takes them over.", await missing.ProblemDetailAsync());
        using var self = await api.PostAsJsonAsync($"api/admin/users/{admin.Id}/deactivate", new { });
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        using var unknown = await api.PostAsJsonAsync("api/admin/users/no-such-id/reactivate", new { });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var done = await api.PostAsJsonAsync($"api/admin/users/{advisor.Id}/deactivate", new { reassignTo = olga.Id });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(1, (await done.ReadAsync<Deactivation>()).ContractsReassigned);
        Assert.Equal(olga.Id, (await app.Services.GetRequiredService<ContractService>().GetAsync(new(admin.Id, true), contract)).Value!.AdvisorId);

        using var back = await api.PostAsJsonAsync($"api/admin/users/{advisor.Id}/reactivate", new { });
        Assert.Equal(UserStatus.Active, (await back.ReadAsync<UserSummary>()).Status);

        using var roles = await api.PutAsJsonAsync($"api/admin/users/{advisor.Id}/roles", new { roles = new[] { "Advisor", "Admin" } });
        Assert.Equal(["Admin", "Advisor"], (await roles.ReadAsync<UserSummary>()).Roles);
        using var badRoles = await api.PutAsJsonAsync($"api/admin/users/{advisor.Id}/roles", new { roles = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, badRoles.StatusCode);
        Assert.Equal("Choose at least one role: Advisor, Admin or both.", await badRoles.ProblemDetailAsync());
    }

    private static async Task<(UserSummary Admin, UserSummary Advisor, Guid Contract)> SeedAsync(LiveContractApp app)
    {
        var (admin, advisor) = await app.CreateStaffAsync();
        var created = await app.Services.GetRequiredService<ContractService>()
            .CreateAsync(new(advisor.Id, false), new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"));
        return (admin, advisor, created.Value!.Id);
    }

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method == "GET" ? null : JsonContent.Create(new { }),
    };
}
