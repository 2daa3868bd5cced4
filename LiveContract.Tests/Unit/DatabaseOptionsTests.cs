using LiveContract.Core.Data;
using LiveContract.Core.Hosting;

namespace LiveContract.Tests.Unit;

public sealed class DatabaseOptionsTests
{
    private readonly DataDirectory data = new("/srv/livecontract");

    [Fact]
    public void Sqlite_is_the_default_with_a_file_in_the_data_directory()
    {
        var connection = new DatabaseOptions().Resolve(data);

        Assert.Equal(DatabaseProvider.Sqlite, connection.Provider);
        Assert.Equal("Data Source=/srv/livecontract/livecontract.db", connection.ConnectionString);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("Postgres")]
    [InlineData("POSTGRES")]
    public void Provider_names_are_case_insensitive(string name)
    {
        var connection = new DatabaseOptions { Provider = name, ConnectionString = "Host=db" }.Resolve(data);

        Assert.Equal(DatabaseProvider.Postgres, connection.Provider);
        Assert.Equal("Host=db", connection.ConnectionString);
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("")]
    [InlineData("2")]
    public void An_unknown_provider_stops_start_up_with_the_names_that_work(string name)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new DatabaseOptions { Provider = name }.Resolve(data));

        Assert.Contains($"Database:Provider is '{name}'", error.Message);
        Assert.Contains("'Sqlite'", error.Message);
        Assert.Contains("'Postgres'", error.Message);
    }

    [Fact]
    public void Postgres_without_a_connection_string_says_which_setting_to_add()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new DatabaseOptions { Provider = "Postgres" }.Resolve(data));

        Assert.Contains("Database:ConnectionString is required", error.Message);
    }

    [Fact]
    public void An_explicit_sqlite_connection_string_is_kept()
    {
        var connection = new DatabaseOptions { ConnectionString = "Data Source=/elsewhere/lc.db" }.Resolve(data);

        Assert.Equal("Data Source=/elsewhere/lc.db", connection.ConnectionString);
    }
}
