using LiveContract.Tests.Fixtures;
using LiveContract.Web.Extensions;
using Microsoft.AspNetCore.Builder;

namespace LiveContract.Tests.Unit;

public sealed class DevelopmentSettingsTests : IDisposable
{
    private readonly TempDirectory repository = new();

    public DevelopmentSettingsTests()
    {
        File.WriteAllText(repository.Combine("LiveContract.sln"), "");
        File.WriteAllText(repository.Combine("appsettings.Development.json"), """{ "Email": { "LogLinks": true, "From": "dev@example.com" } }""");
        Directory.CreateDirectory(repository.Combine("LiveContract.Web"));
        File.WriteAllText(repository.Combine("LiveContract.Web", "appsettings.json"), """{ "Email": { "From": "prod@example.com" } }""");
    }

    [Fact]
    public void The_repository_root_file_counts_in_development_and_overrides_appsettings()
    {
        var builder = CreateBuilder("Development");

        builder.AddRepositoryDevelopmentSettings();

        Assert.Equal("True", builder.Configuration["Email:LogLinks"]);
        Assert.Equal("dev@example.com", builder.Configuration["Email:From"]);
    }

    [Fact]
    public void Command_line_arguments_still_win()
    {
        var builder = CreateBuilder("Development", "--Email:From=cli@example.com");

        builder.AddRepositoryDevelopmentSettings();

        Assert.Equal("cli@example.com", builder.Configuration["Email:From"]);
    }

    [Fact]
    public void It_is_ignored_outside_development()
    {
        var builder = CreateBuilder("Production");

        builder.AddRepositoryDevelopmentSettings();

        Assert.Null(builder.Configuration["Email:LogLinks"]);
        Assert.Equal("prod@example.com", builder.Configuration["Email:From"]);
    }

    public void Dispose() => repository.Dispose();

    private WebApplicationBuilder CreateBuilder(string environment, params string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = environment,
            ContentRootPath = repository.Combine("LiveContract.Web"),
        });
}
