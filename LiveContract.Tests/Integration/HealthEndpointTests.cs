using System.Net;
using System.Text.Json;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

public sealed class HealthEndpointTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Reports_healthy_with_the_database_provider(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        using var response = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(provider.ToString(), checks.GetProperty("database").GetProperty("data").GetProperty("provider").GetString());
        Assert.Equal("Healthy", checks.GetProperty("dataDirectory").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("documentStore").GetProperty("status").GetString());
        Assert.Equal("FileSystem", checks.GetProperty("documentStore").GetProperty("data").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Reports_503_when_the_database_is_gone()
    {
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        await installation.Postgres.DropAsync();
        using var response = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(installation.Postgres.Name, body);
    }

    [Fact]
    public async Task Reports_503_when_the_data_directory_is_not_writable()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        using var client = app.CreateWebClient();

        // Replace the data directory by a file: nothing can be written under it any more.
        Directory.Move(installation.DataDirectory, installation.DataDirectory + ".moved");
        try
        {
            await File.WriteAllTextAsync(installation.DataDirectory, "not a directory");
            using var response = await client.GetAsync("health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("dataDirectory").GetProperty("status").GetString());
        }
        finally
        {
            File.Delete(installation.DataDirectory);
            Directory.Move(installation.DataDirectory + ".moved", installation.DataDirectory);
        }
    }

    [Fact]
    public async Task Needs_no_login()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateAdminAsync();
        using var client = app.CreateWebClient();

        using var response = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
