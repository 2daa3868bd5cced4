using System.Security.Cryptography;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Hosting;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace LiveContract.Tests.Integration.Storage;

/// <summary><see cref="DocumentStorageServiceCollectionExtensions.AddLiveContractDocumentStorage"/> with real settings, folders and s3rver.</summary>
public sealed class DocumentStorageRegistrationTests : IDisposable
{
    private readonly TempDirectory data = new();
    private readonly RecordingLogger log = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void Settings_are_read_when_storage_is_first_resolved_not_when_registering()
    {
        using var services = Build("Production", new() { ["Storage:Provider"] = "Azure" });

        var error = Assert.Throws<ConfigurationErrorException>(services.GetRequiredService<EncryptedDocumentStorage>);

        Assert.StartsWith("Storage:Provider is 'Azure'", error.Message);
    }

    [Fact]
    public void Production_without_a_master_key_refuses_to_start()
    {
        using var services = Build("Production", []);

        var error = Assert.Throws<ConfigurationErrorException>(services.GetRequiredService<EncryptedDocumentStorage>);

        Assert.StartsWith("Storage:MasterKey is required outside Development", error.Message);
        Assert.False(File.Exists(data.Combine(MasterKey.DevelopmentFileName)));
    }

    [Fact]
    public async Task Development_defaults_keep_encrypted_documents_in_the_data_directory_across_restarts()
    {
        var pdf = FixturePdfs.Read("rotated-90.pdf");
        string key;
        using (var services = Build("Development", []))
        {
            var storage = services.GetRequiredService<EncryptedDocumentStorage>();
            key = await storage.SaveAsync(new MemoryStream(pdf));

            Assert.Equal(StorageProvider.FileSystem, storage.Provider);
            Assert.True(File.Exists(data.Combine("documents", key)));
            Assert.False((await File.ReadAllBytesAsync(data.Combine("documents", key))).AsSpan().StartsWith("%PDF"u8));
            var warning = Assert.Single(log.Messages(LogLevel.Warning));
            Assert.Contains(data.Combine(MasterKey.DevelopmentFileName), warning);

            var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var entry = report.Entries["documentStore"];
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Equal("FileSystem", entry.Data["provider"]);
        }

        using (var restarted = Build("Development", []))
        {
            using var copy = new MemoryStream();
            await restarted.GetRequiredService<EncryptedDocumentStorage>().CopyToAsync(key, copy);

            Assert.Equal(pdf, copy.ToArray());
            Assert.Single(log.Messages(LogLevel.Warning));
        }
    }

    [Fact]
    public async Task S3_settings_store_encrypted_documents_in_the_bucket()
    {
        var bucket = $"lc-test-{Guid.NewGuid():N}";
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var services = Build("Production", new()
        {
            ["Storage:Provider"] = "S3",
            ["Storage:MasterKey"] = masterKey,
            ["Storage:S3:Bucket"] = bucket,
            ["Storage:S3:ServiceUrl"] = TestServers.S3,
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:AccessKey"] = "S3RVER",
            ["Storage:S3:SecretKey"] = "S3RVER",
            ["Storage:S3:CreateBucket"] = "true",
        });
        var pdf = FixturePdfs.Read("acroform-basic-fields.pdf");
        var storage = services.GetRequiredService<EncryptedDocumentStorage>();

        var key = await storage.SaveAsync(new MemoryStream(pdf));
        using var copy = new MemoryStream();
        await storage.CopyToAsync(key, copy);

        Assert.Equal(StorageProvider.S3, storage.Provider);
        Assert.Equal(pdf, copy.ToArray());
        Assert.False(Directory.Exists(data.Combine("documents")));
        Assert.Empty(Directory.GetFiles(data.Combine("tmp")));

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["documentStore"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("S3", Assert.Single(entry.Data).Value);
        Assert.DoesNotContain(masterKey, entry.Description);
        Assert.DoesNotContain("S3RVER", entry.Description);
    }

    private ServiceProvider Build(string environment, Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ContentRootPath = data.Path });
        services.AddSingleton(new DataDirectory(data.Path));
        services.AddLogging(logging => logging.AddProvider(log));
        services.AddLiveContractDocumentStorage();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
