using System.Security.Cryptography;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Hosting;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Unit.Storage;

public sealed class StorageOptionsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly DataDirectory data;
    private readonly RecordingLogger logger = new();

    public StorageOptionsTests()
    {
        data = new DataDirectory(temp.Path);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_filesystem_in_the_data_directory_is_the_default()
    {
        var options = new StorageOptions();

        Assert.Equal(StorageProvider.FileSystem, options.Validate(data));
        Assert.Equal(Path.Combine(temp.Path, "documents"), options.ResolveDirectory(data));
    }

    [Fact]
    public void An_absolute_folder_is_kept()
    {
        var options = new StorageOptions { FileSystem = { Directory = "/srv/documents" } };

        Assert.Equal("/srv/documents", options.ResolveDirectory(data));
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("S3")]
    [InlineData("filesystem")]
    [InlineData("FILESYSTEM")]
    public void Provider_names_are_case_insensitive(string name)
    {
        var options = new StorageOptions { Provider = name };

        Assert.Equal(Enum.Parse<StorageProvider>(name, ignoreCase: true), options.ResolveProvider());
    }

    [Theory]
    [InlineData("Azure")]
    [InlineData("")]
    [InlineData("1")]
    public void An_unknown_provider_stops_start_up_with_the_names_that_work(string name)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new StorageOptions { Provider = name }.Validate(data));

        Assert.Equal($"Storage:Provider is '{name}', which LiveContract does not support. Use 'FileSystem' (the default) or 'S3'.", error.Message);
    }

    [Fact]
    public void An_empty_folder_setting_says_what_to_do()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new StorageOptions { FileSystem = { Directory = " " } }.Validate(data));

        Assert.StartsWith("Storage:FileSystem:Directory is empty;", error.Message);
    }

    [Fact]
    public void S3_without_a_bucket_says_which_setting_to_add()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new StorageOptions { Provider = "S3", S3 = { Region = "eu-central-1" } }.Validate(data));

        Assert.Equal("Storage:S3:Bucket is required when Storage:Provider is S3; set it to the name of the bucket that holds the documents.", error.Message);
    }

    [Theory]
    [InlineData("Documents")]
    [InlineData("ab")]
    [InlineData("-documents")]
    [InlineData("documents/contracts")]
    public void A_bucket_name_S3_would_refuse_is_refused(string bucket)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => S3Options(o => o.Bucket = bucket).Validate());

        Assert.StartsWith($"Storage:S3:Bucket is '{bucket}', which is not a bucket name;", error.Message);
    }

    [Fact]
    public void Aws_needs_a_region()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => S3Options(o => o.ServiceUrl = null).Validate());

        Assert.StartsWith("Storage:S3:Region is required when Storage:S3:ServiceUrl is empty;", error.Message);
    }

    [Theory]
    [InlineData("s3.example.com")]
    [InlineData("ftp://s3.example.com")]
    public void A_service_url_must_be_an_http_address(string url)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => S3Options(o => o.ServiceUrl = url).Validate());

        Assert.StartsWith($"Storage:S3:ServiceUrl is '{url}', which is not an http or https address;", error.Message);
    }

    [Fact]
    public void S3_credentials_come_in_pairs()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => S3Options(o => o.SecretKey = null).Validate());

        Assert.StartsWith("Storage:S3:AccessKey and Storage:S3:SecretKey go together", error.Message);
    }

    [Fact]
    public void Complete_S3_settings_pass()
    {
        S3Options(_ => { }).Validate();
        S3Options(o => (o.ServiceUrl, o.Region, o.AccessKey, o.SecretKey) = (null, "eu-central-1", null, null)).Validate();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void A_missing_master_key_outside_development_stops_start_up(string environment)
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => MasterKey.Resolve(new StorageOptions(), data, Environment(environment), logger));

        Assert.StartsWith("Storage:MasterKey is required outside Development: set it to the base64 of 32 random bytes", error.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, MasterKey.DevelopmentFileName)));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_master_key_of_the_wrong_length_is_refused(int length)
    {
        var options = new StorageOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)) };

        var error = Assert.Throws<ConfigurationErrorException>(() => MasterKey.Resolve(options, data, Environment("Production"), logger));

        Assert.StartsWith($"Storage:MasterKey is {length} bytes long, not 32; set it to the base64 of 32 random bytes", error.Message);
    }

    [Fact]
    public void A_master_key_that_is_not_base64_is_refused()
    {
        var options = new StorageOptions { MasterKey = "correct horse battery staple" };

        var error = Assert.Throws<ConfigurationErrorException>(() => MasterKey.Resolve(options, data, Environment("Production"), logger));

        Assert.StartsWith("Storage:MasterKey is not valid base64;", error.Message);
        Assert.DoesNotContain("correct horse", error.Message);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void A_configured_master_key_is_used_as_it_is(string environment)
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var options = new StorageOptions { MasterKey = Convert.ToBase64String(bytes) };

        var key = MasterKey.Resolve(options, data, Environment(environment), logger);

        Assert.Equal(new MasterKey(bytes).Id, key.Id);
        Assert.False(File.Exists(Path.Combine(temp.Path, MasterKey.DevelopmentFileName)));
        Assert.Empty(logger.Messages(LogLevel.Warning));
    }

    [Fact]
    public void Development_creates_a_private_master_key_once_and_says_so()
    {
        var file = Path.Combine(temp.Path, MasterKey.DevelopmentFileName);

        var created = MasterKey.Resolve(new StorageOptions(), data, Environment("Development"), logger);

        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var warning = Assert.Single(logger.Messages(LogLevel.Warning));
        Assert.Contains("No Storage:MasterKey is configured", warning);
        Assert.Contains(file, warning);
        Assert.Contains(created.Id, warning);

        var again = MasterKey.Resolve(new StorageOptions(), data, Environment("Development"), logger);

        Assert.Equal(created.Id, again.Id);
        Assert.Single(logger.Messages(LogLevel.Warning));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(file)).Length);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void A_damaged_development_key_file_stops_start_up_and_is_left_alone()
    {
        var file = Path.Combine(temp.Path, MasterKey.DevelopmentFileName);
        File.WriteAllText(file, "not a key");

        var error = Assert.Throws<ConfigurationErrorException>(() => MasterKey.Resolve(new StorageOptions(), data, Environment("Development"), logger));

        Assert.StartsWith($"The development master key in '{file}' is not valid base64;", error.Message);
        Assert.Equal("not a key", File.ReadAllText(file));
    }

    [Fact]
    public void The_master_key_id_is_a_stable_fingerprint()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(new MasterKey(bytes).Id, new MasterKey(bytes).Id);
        Assert.NotEqual(new MasterKey(bytes).Id, MasterKey.Generate().Id);
        Assert.Matches("^[0-9a-f]{16}$", new MasterKey(bytes).Id);
    }

    private static S3StorageOptions S3Options(Action<S3StorageOptions> change)
    {
        var options = new S3StorageOptions
        {
            Bucket = "documents",
            ServiceUrl = "http://127.0.0.1:9000",
            ForcePathStyle = true,
            AccessKey = "access",
            SecretKey = "secret",
        };
        change(options);
        return options;
    }

    private static IHostEnvironment Environment(string name) => new HostingEnvironment { EnvironmentName = name };
}
