using LiveContract.Core.Hosting;

namespace LiveContract.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database LiveContract uses. SQLite under the data directory by default.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>
    /// The provider's connection string. Optional for SQLite (then <c>livecontract.db</c> in the
    /// data directory); required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Parses and checks the settings, with a sentence saying what to fix when they are wrong.</summary>
    public DatabaseConnection Resolve(DataDirectory dataDirectory)
    {
        if (!Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider))
        {
            throw new ConfigurationErrorException(
                $"{Section}:Provider is '{Provider}', which LiveContract does not support. " +
                $"Use 'Sqlite' (the default) or 'Postgres'.");
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            return new(provider, string.IsNullOrWhiteSpace(ConnectionString)
                ? $"Data Source={dataDirectory.Resolve("livecontract.db")}"
                : ConnectionString);
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ConfigurationErrorException(
                $"{Section}:ConnectionString is required when {Section}:Provider is Postgres, for example " +
                "'Host=localhost;Port=5432;Database=livecontract;Username=livecontract;Password=…'.");
        }

        return new(provider, ConnectionString);
    }
}

/// <summary>The checked database settings in force.</summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString);
