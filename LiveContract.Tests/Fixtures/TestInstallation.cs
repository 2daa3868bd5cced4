using LiveContract.Core.Data;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// What one LiveContract installation keeps: a data directory and a database (SQLite inside the
/// data directory, or a fresh database on the test PostgreSQL server). Several app instances can
/// run on one installation, one after the other (a restart) or side by side (several servers).
/// </summary>
public sealed class TestInstallation : IAsyncDisposable
{
    private readonly TempDirectory dataDirectory = new();
    private readonly PostgresDatabase? postgres;

    private TestInstallation(DatabaseProvider provider, PostgresDatabase? postgres)
    {
        Provider = provider;
        this.postgres = postgres;
    }

    public DatabaseProvider Provider { get; }

    public string DataDirectory => dataDirectory.Path;

    public string PickupDirectory => Path.Combine(DataDirectory, "mail");

    public PostgresDatabase Postgres => postgres ?? throw new InvalidOperationException("This installation uses SQLite.");

    public static async Task<TestInstallation> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite) =>
        new(provider, provider == DatabaseProvider.Postgres ? await PostgresDatabase.CreateAsync() : null);

    /// <summary>The settings an app instance of this installation runs with.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveContract:DataDirectory"] = DataDirectory,
            ["Database:Provider"] = Provider.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",

            // Most tests join as the customer without a code; the identity check's tests turn it on.
            ["IdentityCheck:Enabled"] = "false",
        };
        if (postgres is not null)
        {
            settings["Database:ConnectionString"] = postgres.ConnectionString;
        }

        return settings;
    }

    /// <summary>Starts an app instance on real Kestrel on a free loopback port; <paramref name="logging"/> also gets its log.</summary>
    public LiveContractApp Start(IReadOnlyDictionary<string, string?>? extraSettings = null, Microsoft.Extensions.Logging.ILoggerProvider? logging = null)
    {
        var settings = Settings();
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return LiveContractApp.Start(settings, logging);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        dataDirectory.Dispose();
    }
}
