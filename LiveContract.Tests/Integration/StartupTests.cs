using System.Diagnostics;
using System.Security.Cryptography;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Starts the real app as its own process, as an operator would, and checks that wrong settings
/// stop it at once with a sentence that says what to fix (exit code 1, no stack trace).
/// </summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider is 'Oracle', which LiveContract does not support. Use 'Sqlite' (the default) or 'Postgres'.")]
    [InlineData("Database__Provider", "Postgres", "Database:ConnectionString is required when Database:Provider is Postgres")]
    [InlineData("Email__Mode", "Smtp", "Email:Smtp:Host is required when Email:Mode is Smtp.")]
    [InlineData("Setup__AdminPassword", "short", "Setup:AdminEmail and Setup:AdminPassword go together")]
    [InlineData("Storage__MasterKey", "", "Storage:MasterKey is required outside Development")]
    [InlineData("LiveContract__PublicUrl", "", "LiveContract:PublicUrl is required outside Development: set it to the absolute http or https URL people reach this installation at")]
    [InlineData("LiveContract__PublicUrl", "contracts.example.com", "LiveContract:PublicUrl is 'contracts.example.com', which is not an address people can open.")]
    [InlineData("Storage__Provider", "Azure", "Storage:Provider is 'Azure', which LiveContract does not support. Use 'FileSystem' (the default) or 'S3'.")]
    public async Task A_wrong_setting_stops_start_up_with_a_clear_sentence(string variable, string value, string expected)
    {
        using var data = new TempDirectory();

        var (exitCode, error) = await RunAppAsync(data, (variable, value));

        Assert.Equal(1, exitCode);
        Assert.Contains($"LiveContract cannot start: {expected}", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_configured_administrator_with_a_weak_password_stops_start_up()
    {
        using var data = new TempDirectory();

        var (exitCode, error) = await RunAppAsync(data, ("Setup__AdminEmail", "ops@example.com"), ("Setup__AdminPassword", "short"));

        Assert.Equal(1, exitCode);
        Assert.Contains("The first administrator from Setup:AdminEmail could not be created", error);
        Assert.Contains("at least 12 characters", error);
    }

    [Fact]
    public async Task An_unreachable_database_server_is_named_as_the_problem()
    {
        using var data = new TempDirectory();

        var (exitCode, error) = await RunAppAsync(data,
            ("Database__Provider", "Postgres"),
            ("Database__ConnectionString", "Host=127.0.0.1;Port=1;Username=nobody;Password=secret-password;Timeout=3"));

        Assert.Equal(1, exitCode);
        Assert.Contains("The database could not be prepared", error);
        Assert.DoesNotContain("secret-password", error);
    }

    private static async Task<(int ExitCode, string Error)> RunAppAsync(TempDirectory data, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            WorkingDirectory = data.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["LiveContract__DataDirectory"] = data.Path;
        start.Environment["LiveContract__PublicUrl"] = "https://contracts.example.com";
        start.Environment["Storage__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not stop by itself. Output: {await output}");
        }

        return (process.ExitCode, await error + await output);
    }
}
