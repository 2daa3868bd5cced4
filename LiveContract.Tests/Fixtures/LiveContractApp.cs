using System.Net;
using LiveContract.Core.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// The real LiveContract web app on real Kestrel, listening on a free loopback port; unless the
/// settings say otherwise, <c>LiveContract:PublicUrl</c> is that port on <c>localhost</c>, so the
/// links it emails and returns lead back to it.
/// </summary>
public sealed class LiveContractApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";
    public const string AdvisorPassword = "advisor-password-for-tests";

    private readonly IReadOnlyDictionary<string, string?> settings;

    private readonly ILoggerProvider? logging;

    private LiveContractApp(IReadOnlyDictionary<string, string?> settings, ILoggerProvider? logging)
    {
        this.settings = settings;
        this.logging = logging;
    }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The HTTPS endpoint's address when the settings configure one, else null.</summary>
    public Uri? HttpsAddress { get; private set; }

    /// <summary>Starts the app; <paramref name="logging"/>, when given, gets its log as well (at the levels the settings allow).</summary>
    internal static LiveContractApp Start(IReadOnlyDictionary<string, string?> settings, ILoggerProvider? logging = null)
    {
        // The port is chosen before start, so the public address can name it; an HTTP endpoint of
        // the settings (Kestrel:Endpoints:Http:Url) is that address instead.
        var configured = settings.GetValueOrDefault("Kestrel:Endpoints:Http:Url") is { } url ? new Uri(url).Port : (int?)null;
        var port = configured ?? FreePort();
        var withPublicUrl = new Dictionary<string, string?>(settings);
        withPublicUrl.TryAdd("LiveContract:PublicUrl", $"http://localhost:{port}/");
        var app = new LiveContractApp(withPublicUrl, logging);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, configured is null ? port : 0));
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        // The HTTP endpoint (the loopback one above, or that of Kestrel:Endpoints when the settings
        // configure endpoints) and the HTTPS one when they configure it.
        var bound = addresses.Addresses.ToList();
        var http = bound.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The app listens on no HTTP address, only on {string.Join(", ", bound)}.");
        app.BaseAddress = new Uri(http.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/");
        app.HttpsAddress = bound.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal)) is { } https ? new Uri(https + "/") : null;
        return app;
    }

    /// <summary>An HTTP client with its own cookie jar that does not follow redirects.</summary>
    public WebClient CreateWebClient() => new(BaseAddress);

    /// <summary>Creates an account directly through the administration service.</summary>
    public async Task<UserSummary> CreateUserAsync(string name, string email, string role, string password)
    {
        var accounts = Services.GetRequiredService<UserAdministration>();
        var result = await accounts.CreateAsync(name, email, role, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return (await accounts.ListAsync()).Single(u => u.Email == email);
    }

    public Task<UserSummary> CreateAdminAsync(string email = "admin@example.com") =>
        CreateUserAsync("Ada Admin", email, Roles.Admin, AdminPassword);

    public Task<UserSummary> CreateAdvisorAsync(string email = "advisor@example.com") =>
        CreateUserAsync("Victor Advisor", email, Roles.Advisor, AdvisorPassword);

    /// <summary>An installation past its first run: one admin and one advisor.</summary>
    public async Task<(UserSummary Admin, UserSummary Advisor)> CreateStaffAsync() =>
        (await CreateAdminAsync(), await CreateAdvisorAsync());

    /// <summary>A web client logged in through the login form.</summary>
    public async Task<WebClient> LogInAsync(string email, string password)
    {
        var client = CreateWebClient();
        using var response = await client.LoginAsync(email, password);
        Assert.Equal("/", client.RedirectPath(response));
        return client;
    }

    public Task<WebClient> LogInAsAdvisorAsync() => LogInAsync("advisor@example.com", AdvisorPassword);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (logging is not null)
        {
            builder.ConfigureLogging(l => l.AddProvider(logging));
        }
    }
}
