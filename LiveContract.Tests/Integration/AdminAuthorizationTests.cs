using System.Net;
using System.Reflection;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Every administration endpoint and page, found by asking the running app (not from a list kept
/// by hand, so a new one cannot slip through untested), refuses the anonymous and advisors on the
/// server before it does anything.
/// </summary>
public sealed class AdminAuthorizationTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Every_admin_api_endpoint_refuses_the_anonymous_and_advisors(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        var endpoints = AdminEndpoints(app);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        using var asAdvisor = await ApiClient.ForAsync(app, advisor.Id);
        using var asAdmin = await ApiClient.ForAsync(app, admin.Id);

        Assert.True(endpoints.Count >= 10, $"Only {endpoints.Count} admin endpoints were found: {string.Join(", ", endpoints)}");
        foreach (var (method, path) in endpoints)
        {
            using var noCredentials = await anonymous.SendAsync(Request(method, path));
            using var fromAdvisor = await asAdvisor.SendAsync(Request(method, path));
            using var fromAdmin = await asAdmin.SendAsync(Request(method, path));

            Assert.True(noCredentials.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {noCredentials.StatusCode} to the anonymous.");
            Assert.True(fromAdvisor.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {fromAdvisor.StatusCode} to an advisor.");
            Assert.True(fromAdmin.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {path} refused an admin ({fromAdmin.StatusCode}).");
        }
    }

    [Fact]
    public async Task Every_admin_page_sends_advisors_to_access_denied_and_the_anonymous_to_login()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var anonymous = app.CreateWebClient();
        using var advisor = await app.LogInAsAdvisorAsync();
        using var admin = await app.LogInAsync("admin@example.com", LiveContractApp.AdminPassword);
        var pages = AdminPages();

        Assert.True(pages.Count >= 7, $"Only {pages.Count} admin pages were found: {string.Join(", ", pages)}");
        foreach (var page in pages)
        {
            using var noCredentials = await anonymous.GetAsync(page);
            using var fromAdvisor = await advisor.GetAsync(page);
            using var fromAdmin = await admin.GetAsync(page);

            Assert.Equal((HttpStatusCode.Found, "/Account/Login"), (noCredentials.StatusCode, anonymous.RedirectPath(noCredentials)));
            Assert.Equal((HttpStatusCode.Found, "/Account/AccessDenied"), (fromAdvisor.StatusCode, advisor.RedirectPath(fromAdvisor)));
            // A page of one thing (a contract) with an id that exists nowhere may say "not found"; every other page opens.
            var expected = page.Split('/').Any(segment => Guid.TryParse(segment, out _)) ? [HttpStatusCode.OK, HttpStatusCode.NotFound] : new[] { HttpStatusCode.OK };
            Assert.True(expected.Contains(fromAdmin.StatusCode), $"{page} answered {fromAdmin.StatusCode} to an admin.");
        }
    }

    private static List<(string Method, string Path)> AdminEndpoints(LiveContractApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/admin", StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, Concrete(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();

    /// <summary>The routes of every page component under /admin.</summary>
    private static List<string> AdminPages() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Where(template => template.StartsWith("/admin", StringComparison.OrdinalIgnoreCase))
            .Select(Concrete)
            .Distinct()
            .ToList();

    /// <summary>The template with each parameter replaced by a fresh id that exists nowhere.</summary>
    private static string Concrete(string template) =>
        string.Join('/', template.TrimStart('/').Split('/').Select(segment =>
            segment.StartsWith('{') ? Guid.NewGuid().ToString() : segment));

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path)
        {
            Content = method is "GET" or "DELETE" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
}
