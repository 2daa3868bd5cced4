using System.Globalization;
using LiveContract.Core.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LiveContract.Core.Administration;

/// <summary>
/// Where the database and the S3 endpoint are, in words safe to display and to record on the
/// audit trail: only the parts that say where, never who or with what password. The system page
/// and the settings record both use these, so they describe the same place the same way.
/// </summary>
public static class SafeLocations
{
    /// <summary>What is said when a connection string or an address cannot be read (it is never echoed).</summary>
    public const string Unreadable = "unknown (it cannot be read)";

    /// <summary>The SQLite file, or PostgreSQL's host:port/database (no user name, no password).</summary>
    public static string Database(DatabaseConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            if (connection.Provider == DatabaseProvider.Postgres)
            {
                var postgres = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
                return string.Create(CultureInfo.InvariantCulture, $"{postgres.Host}:{postgres.Port}/{postgres.Database}");
            }

            return new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return Unreadable;
        }
    }

    /// <summary>An endpoint's scheme, host, port and path: no <c>user:password@</c>, no query string, no fragment.</summary>
    public static string Endpoint(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Uri.TryCreate(address.Trim(), UriKind.Absolute, out var url) || url.IsFile)
        {
            return Unreadable;
        }

        var server = url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        return url.AbsolutePath == "/" ? server : server + url.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
    }
}
