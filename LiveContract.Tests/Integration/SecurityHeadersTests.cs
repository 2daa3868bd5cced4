using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Every kind of response carries the security headers: a page, an API call, the OpenAPI document,
/// Scalar, a static file, the health check, a refusal. Scripts are allowed from the server, by the
/// page's nonce or by hash only, never as any inline script or eval.
/// </summary>
public sealed partial class SecurityHeadersTests
{
    [Fact]
    public async Task Pages_the_api_openapi_scalar_static_files_and_health_all_carry_the_security_headers()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = ApiClient.WithToken(app, await LiveSessionApiHarness.ApiTokenAsync(app, advisor.Id));
        using var web = app.CreateWebClient();

        foreach (var (path, client, status) in new (string, HttpClient?, HttpStatusCode)[]
        {
            ("Account/Login", null, HttpStatusCode.OK),
            ("api/contracts", api, HttpStatusCode.OK),
            ($"api/contracts/{Guid.NewGuid()}", api, HttpStatusCode.NotFound),
            ("api/contracts", null, HttpStatusCode.Unauthorized),
            ("openapi/v1.json", null, HttpStatusCode.OK),
            ("scalar/", null, HttpStatusCode.OK),
            ("app.css", null, HttpStatusCode.OK),
            ("health", null, HttpStatusCode.OK),
            ("no-such-page", null, HttpStatusCode.NotFound),
        })
        {
            using var response = client is null ? await web.GetAsync(path) : await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"{path}: {response.StatusCode}");

            var policy = Policy(response);
            Assert.True(policy.TryGetValue("script-src", out var scripts), $"{path}: no script-src in {Header(response, "Content-Security-Policy")}");
            Assert.Contains("'self'", scripts);
            Assert.DoesNotContain("'unsafe-inline'", scripts);
            Assert.DoesNotContain("'unsafe-eval'", scripts);
            Assert.Equal(["'self'"], policy["default-src"]);
            Assert.Equal(["'none'"], policy["object-src"]);
            Assert.Equal(["'self'"], policy["base-uri"]);
            Assert.Equal(["'self'"], policy["frame-ancestors"]);
            Assert.Equal(["'self'"], policy["form-action"]);
            Assert.Contains("'self'", policy["connect-src"]);
            Assert.Contains($"wss://{app.BaseAddress.Authority}", policy["connect-src"]);
            Assert.Equal(["'self'", "blob:"], policy["worker-src"]);
            Assert.Equal(["'self'", "data:", "blob:"], policy["img-src"]);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
            var permissions = Header(response, "Permissions-Policy");
            foreach (var feature in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()" })
            {
                Assert.Contains(feature, permissions, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_page_allows_its_import_map_by_a_nonce_new_for_each_response_and_scalar_its_inline_script_by_hash()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var web = app.CreateWebClient();

        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var page = await web.GetAsync("Account/Login");
            var nonce = Assert.Single(Policy(page)["script-src"], s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];
            var html = await page.Content.ReadAsStringAsync();
            var inline = InlineScriptTag().Matches(html).Select(m => m.Value).ToList();
            Assert.Equal([$"<script type=\"importmap\" nonce=\"{nonce}\">"], inline);
            nonces.Add(nonce);
        }

        Assert.NotEqual(nonces[0], nonces[1]);

        using var scalar = await web.GetAsync("scalar/");
        var scalarHtml = await scalar.Content.ReadAsStringAsync();
        var scripts = InlineScriptBody().Matches(scalarHtml).Select(m => m.Groups["body"].Value).ToList();
        Assert.NotEmpty(scripts);
        var hashes = Policy(scalar)["script-src"].Where(s => s.StartsWith("'sha256-", StringComparison.Ordinal)).ToList();
        Assert.Equal(scripts.Select(s => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(s)))}'"), hashes);
    }

    [Fact]
    public async Task Addresses_that_carry_secrets_send_no_referrer()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var web = app.CreateWebClient();

        foreach (var path in new[] { "join/lcs_not-a-real-link", "signed/not-a-real-token", "signed/not-a-real-token/pdf" })
        {
            using var response = await web.GetAsync(path);
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Contains("script-src", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);

    /// <summary>The policy's directives and their sources.</summary>
    private static Dictionary<string, string[]> Policy(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>")]
    private static partial Regex InlineScriptTag();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScriptBody();
}
