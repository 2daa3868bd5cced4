using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebClient = LiveContract.Tests.Fixtures.WebClient;

namespace LiveContract.Tests.Integration;

/// <summary>
/// HTTPS served by the app itself (a self-signed certificate in PEM files), HSTS, forwarded headers
/// believed from configured proxies only, cookies that are Secure on HTTPS, and the login rate limit
/// per client address.
/// </summary>
public sealed class TransportSecurityTests
{
    private const string PublicHost = "contracts.example.test";

    [Fact]
    public async Task With_a_certificate_the_app_answers_over_https_with_hsts_and_redirects_http_to_it()
    {
        using var certificate = new TempDirectory();
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(HttpsSettings(certificate.Path, "Production"));
        await app.CreateStaffAsync();
        Assert.NotNull(app.HttpsAddress);

        using var https = new WebClient(app.HttpsAddress, new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        https.Headers.Host = PublicHost;
        using var health = await https.GetAsync("health");
        using var login = await https.GetAsync("Account/Login");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(health.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var antiforgery = Assert.Single(SetCookies(login), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var http = app.CreateWebClient();
        http.Headers.Host = PublicHost;
        using var redirected = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal($"https://{PublicHost}:{app.HttpsAddress.Port}/health", redirected.Headers.Location?.AbsoluteUri);
    }

    [Fact]
    public async Task Over_https_the_login_cookie_is_secure_and_a_configured_hsts_max_age_is_used()
    {
        using var certificate = new TempDirectory();
        await using var installation = await TestInstallation.CreateAsync();
        var settings = HttpsSettings(certificate.Path, "Production");
        settings["Hsts:MaxAge"] = "2.00:00:00";
        await using var app = installation.Start(settings);
        await app.CreateStaffAsync();

        using var https = new WebClient(app.HttpsAddress!, new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        https.Headers.Host = PublicHost;
        using var response = await https.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        Assert.Equal("/", https.RedirectPath(response));
        Assert.Equal("max-age=172800", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        var cookie = Assert.Single(SetCookies(response), c => c.StartsWith("LiveContract.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Over_http_in_development_there_is_no_hsts_no_redirect_and_no_secure_cookie()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["LiveContract:PublicUrl"] = $"http://{PublicHost}/" });
        await app.CreateStaffAsync();
        using var client = app.CreateWebClient();
        client.Headers.Host = PublicHost;

        using var health = await client.GetAsync("health");
        using var login = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(health.Headers.Contains("Strict-Transport-Security"));
        var cookie = Assert.Single(SetCookies(login), c => c.StartsWith("LiveContract.Auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_configured_proxy_gives_the_client_address_to_the_audit_trail_and_https_to_the_cookies()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = "127.0.0.1" });
        await app.CreateStaffAsync();
        using var client = app.CreateWebClient();
        client.Headers.Add("X-Forwarded-For", "203.0.113.7");
        client.Headers.Add("X-Forwarded-Proto", "https");

        using (var page = await client.GetAsync("Account/Login"))
        {
            var antiforgery = Assert.Single(SetCookies(page), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
            Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        }

        // The browser holds its Secure cookies for the proxy's HTTPS address; this client talks to
        // the app's plain HTTP port itself, so it keeps them as ordinary cookies to send them back.
        foreach (var held in client.Cookies.GetAllCookies().ToList())
        {
            client.Cookies.Add(new Cookie(held.Name, held.Value, held.Path, held.Domain) { HttpOnly = held.HttpOnly });
        }

        using var response = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        Assert.Equal("/", client.RedirectPath(response));
        Assert.Equal("203.0.113.7", await LastSignInAddressAsync(app));
        var cookie = Assert.Single(SetCookies(response), c => c.StartsWith("LiveContract.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.9.8.7")]
    public async Task Forwarded_headers_from_an_address_that_is_no_configured_proxy_are_ignored(string? proxy)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(proxy is null ? null : new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = proxy });
        await app.CreateStaffAsync();
        using var client = app.CreateWebClient();
        client.Headers.Add("X-Forwarded-For", "203.0.113.7");
        client.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);

        Assert.Equal("/", client.RedirectPath(response));
        Assert.Equal("127.0.0.1", await LastSignInAddressAsync(app));
        var cookie = Assert.Single(SetCookies(response), c => c.StartsWith("LiveContract.Auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_21st_login_attempt_in_a_minute_from_one_address_is_refused_while_another_address_still_logs_in()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = "127.0.0.1" });
        await app.CreateStaffAsync();
        using var guesser = app.CreateWebClient();
        guesser.Headers.Add("X-Forwarded-For", "203.0.113.9");

        for (var attempt = 1; attempt <= 20; attempt++)
        {
            using var allowed = await guesser.LoginAsync($"nobody{attempt}@example.com", "not-the-password");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await guesser.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many requests came from your address in a short time. Wait a minute and try again.", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(guesser.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Auth");

        using var other = app.CreateWebClient();
        other.Headers.Add("X-Forwarded-For", "203.0.113.8");
        using var loggedIn = await other.LoginAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        Assert.Equal("/", other.RedirectPath(loggedIn));
    }

    /// <summary>Settings for an HTTPS endpoint on a free loopback port with a new self-signed certificate written as PEM files in <paramref name="folder"/>.</summary>
    private static Dictionary<string, string?> HttpsSettings(string folder, string environment)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={PublicHost}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(PublicHost);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(folder, "site.crt");
        var keyPath = Path.Combine(folder, "site.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new Dictionary<string, string?>
        {
            ["environment"] = environment,
            ["LiveContract:PublicUrl"] = $"https://{PublicHost}/",
            ["Storage:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{FreePort()}",
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{FreePort()}",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificatePath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath,
        };
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    /// <summary>The client address of the latest sign-in event of the system stream.</summary>
    private static async Task<string?> LastSignInAddressAsync(LiveContractApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == AuditStreams.System && e.Type == AuditEventTypes.UserSignedIn)
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.IpAddress)
            .FirstAsync();
    }
}
