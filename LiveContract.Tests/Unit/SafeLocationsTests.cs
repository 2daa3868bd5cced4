using LiveContract.Core.Administration;
using LiveContract.Core.Data;

namespace LiveContract.Tests.Unit;

public sealed class SafeLocationsTests
{
    [Fact]
    public void A_sqlite_database_is_its_file()
    {
        Assert.Equal("/srv/livecontract/livecontract.db", SafeLocations.Database(new DatabaseConnection(DatabaseProvider.Sqlite, "Data Source=/srv/livecontract/livecontract.db;Password=s3cret-sqlite")));
    }

    [Fact]
    public void A_postgres_database_is_host_port_and_name_without_user_or_password()
    {
        var location = SafeLocations.Database(new DatabaseConnection(DatabaseProvider.Postgres, "Host=db.internal;Port=5433;Database=livecontract;Username=lc_owner;Password=s3cret-pg"));

        Assert.Equal("db.internal:5433/livecontract", location);
        Assert.DoesNotContain("lc_owner", location, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", location, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_connection_string_is_never_echoed()
    {
        var location = SafeLocations.Database(new DatabaseConnection(DatabaseProvider.Postgres, "Host=db;Password=s3cret;NoSuchKeyword=1"));

        Assert.Equal(SafeLocations.Unreadable, location);
    }

    [Theory]
    [InlineData("http://minio:9000", "http://minio:9000")]
    [InlineData("https://s3.example.com/", "https://s3.example.com")]
    [InlineData("https://access:s3cret@s3.example.com:8443/prefix?X-Amz-Credential=s3cret#s3cret", "https://s3.example.com:8443/prefix")]
    [InlineData("http://access@127.0.0.1:4568?token=s3cret", "http://127.0.0.1:4568")]
    public void An_endpoint_keeps_scheme_host_port_and_path_and_drops_user_info_query_and_fragment(string address, string expected)
    {
        var endpoint = SafeLocations.Endpoint(address);

        Assert.Equal(expected, endpoint);
        Assert.DoesNotContain("s3cret", endpoint, StringComparison.Ordinal);
        Assert.DoesNotContain("access", endpoint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url s3cret")]
    [InlineData("/var/s3cret")]
    public void An_unreadable_endpoint_is_never_echoed(string address)
    {
        Assert.Equal(SafeLocations.Unreadable, SafeLocations.Endpoint(address));
    }
}
