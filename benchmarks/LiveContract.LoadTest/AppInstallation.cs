using System.Diagnostics;
using System.Security.Cryptography;
using LiveContract.Core;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveContract.LoadTest;

/// <summary>
/// A throwaway LiveContract installation: the published app (Release), a fresh data directory
/// with a SQLite database, a random master key, a first admin and one advisor with an API token,
/// created through LiveContract.Core before the app starts. The app runs in Production.
/// </summary>
public sealed class AppInstallation : IDisposable
{
    public const string AdvisorEmail = "advisor@loadtest.example";
    public const string AdvisorPassword = "load-test-advisor-password";
    private const string AdminEmail = "admin@loadtest.example";
    private const string AdminPassword = "load-test-admin-password";

    private readonly bool keep;

    private readonly IReadOnlyDictionary<string, string> extraSettings;

    private AppInstallation(string appDirectory, string dataDirectory, bool keep, IReadOnlyDictionary<string, string> extraSettings)
    {
        this.extraSettings = extraSettings;
        AppDirectory = appDirectory;
        DataDirectory = dataDirectory;
        this.keep = keep;
    }

    public string AppDirectory { get; }

    public string DataDirectory { get; }

    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string ApiToken { get; private set; } = "";

    /// <summary>An API token of an admin ("Load Test Admin"), for the admin benchmark.</summary>
    public string AdminApiToken { get; private set; } = "";

    /// <summary>The settings the app runs with (also used for seeding, so both see the same database).</summary>
    public Dictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["LiveContract__DataDirectory"] = DataDirectory,
                // Seeding needs one; the started app gets its real address (ChildServer).
                ["LiveContract__PublicUrl"] = "http://127.0.0.1/",
                ["Storage__MasterKey"] = MasterKey,
                ["Setup__AdminEmail"] = AdminEmail,
                ["Setup__AdminPassword"] = AdminPassword,
            };
            foreach (var (key, value) in extraSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    /// <summary>
    /// Publishes the app (unless <paramref name="appDirectory"/> is given) and seeds a fresh data
    /// directory; <paramref name="extraSettings"/> (environment variable names) go to the app;
    /// <paramref name="seed"/>, when given, adds data through Core's services before the app starts.
    /// </summary>
    public static async Task<AppInstallation> CreateAsync(
        string? appDirectory,
        bool keep,
        IReadOnlyDictionary<string, string> extraSettings,
        CancellationToken cancellationToken,
        Func<IServiceProvider, CancellationToken, Task>? seed = null)
    {
        appDirectory ??= await PublishAsync(cancellationToken);
        if (!File.Exists(Path.Combine(appDirectory, "LiveContract.Web.dll")))
        {
            throw new InvalidOperationException($"{appDirectory} holds no LiveContract.Web.dll; give --app-dir the output of 'dotnet publish LiveContract.Web -c Release'.");
        }

        var installation = new AppInstallation(appDirectory, Directory.CreateTempSubdirectory("livecontract-loadtest-").FullName, keep, extraSettings);
        await installation.SeedAsync(seed, cancellationToken);
        return installation;
    }

    /// <summary>Starts the app on a free port.</summary>
    public Task<ChildServer> StartAsync(CancellationToken cancellationToken) =>
        ChildServer.StartAsync("LiveContract app", [Path.Combine(AppDirectory, "LiveContract.Web.dll")], AppDirectory, Settings, "/health", cancellationToken);

    /// <summary>
    /// LiveContract.Core's services on this installation's database and settings, without the app
    /// and without starting anything (for seeding before the app runs and for reading its
    /// database while it runs).
    /// </summary>
    public IHost BuildCoreHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = DataDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(Settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value));
        builder.Services.AddLiveContractCore();
        return builder.Build();
    }

    private async Task SeedAsync(Func<IServiceProvider, CancellationToken, Task>? seed, CancellationToken cancellationToken)
    {
        using var host = BuildCoreHost();
        await host.Services.InitializeLiveContractDatabaseAsync(cancellationToken);
        ApiToken = await CreateAdvisorTokenAsync(host.Services, cancellationToken);
        AdminApiToken = await CreateAdminTokenAsync(host.Services, host.Services.GetRequiredService<UserAdministration>(), cancellationToken);
        if (seed is not null)
        {
            await seed(host.Services, cancellationToken);
        }
    }

    /// <summary>Creates the load test's advisor in the database behind <paramref name="services"/> and returns a personal API token of theirs.</summary>
    public static async Task<string> CreateAdvisorTokenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<UserAdministration>();
        var created = await accounts.CreateAsync("Load Test Advisor", AdvisorEmail, Roles.Advisor, AdvisorPassword, cancellationToken: cancellationToken);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The load test advisor could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var advisor = (await accounts.ListAsync(cancellationToken)).Single(u => u.Email == AdvisorEmail);
        var token = await services.GetRequiredService<ApiTokenService>().CreateAsync(new Actor(advisor.Id, IsAdmin: false), "Load test", cancellationToken);
        return token.Succeeded ? token.Value.Secret : throw new InvalidOperationException($"The load test API token could not be created: {token.Error!.Message}");
    }

    private static async Task<string> CreateAdminTokenAsync(IServiceProvider services, UserAdministration accounts, CancellationToken cancellationToken)
    {
        const string email = "admin-bench@loadtest.example";
        var created = await accounts.CreateAsync("Load Test Admin", email, Roles.Admin, AdminPassword, cancellationToken: cancellationToken);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The load test admin could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var admin = (await accounts.ListAsync(cancellationToken)).Single(u => u.Email == email);
        var token = await services.GetRequiredService<ApiTokenService>().CreateAsync(new Actor(admin.Id, IsAdmin: true), "Admin benchmark", cancellationToken);
        return token.Succeeded ? token.Value.Secret : throw new InvalidOperationException($"The admin API token could not be created: {token.Error!.Message}");
    }

    /// <summary>Publishes LiveContract.Web (Release) into the tool's output folder and returns that folder.</summary>
    public static async Task<string> PublishAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryRoot();
        var output = Path.Combine(AppContext.BaseDirectory, "app");
        Console.Error.WriteLine($"Publishing LiveContract.Web (Release) to {output}…");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "publish", Path.Combine(repository, "LiveContract.Web", "LiveContract.Web.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet" },
        };
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = publish.StandardError.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish LiveContract.Web failed (exit code {publish.ExitCode}); fix the build first:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return output;
    }

    /// <summary>The repository root: the folder above this tool's output that holds LiveContract.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LiveContract.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LiveContract.sln was not found above the tool's folder; run the tool from its build output in the repository, or pass --app-dir.");
    }

    public void Dispose()
    {
        if (keep)
        {
            Console.Error.WriteLine($"Kept the data directory {DataDirectory}.");
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            Console.Error.WriteLine($"Could not delete {DataDirectory}; remove it by hand.");
        }
    }
}
