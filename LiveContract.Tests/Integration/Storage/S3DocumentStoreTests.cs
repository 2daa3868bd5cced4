using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LiveContract.Core.Documents.Storage;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveContract.Tests.Integration.Storage;

/// <summary>The shared store tests against a real S3 server (s3rver), one fresh bucket per test.</summary>
public sealed class S3DocumentStoreTests : DocumentStoreTests
{
    private readonly string bucket = $"lc-test-{Guid.NewGuid():N}";
    private readonly AmazonS3Client raw;

    public S3DocumentStoreTests()
    {
        raw = new AmazonS3Client(
            new BasicAWSCredentials("S3RVER", "S3RVER"),
            new AmazonS3Config
            {
                ServiceURL = TestServers.S3,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });
    }

    public static S3StorageOptions Options(string bucket, string? serviceUrl = null) => new()
    {
        Bucket = bucket,
        ServiceUrl = serviceUrl ?? TestServers.S3,
        ForcePathStyle = true,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        CreateBucket = true,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        raw.Dispose();
    }

    [Fact]
    public async Task Without_create_bucket_a_missing_bucket_is_an_error_and_unhealthy()
    {
        var options = Options($"lc-missing-{Guid.NewGuid():N}");
        options.CreateBucket = false;
        using var store = new S3DocumentStore(options, Data.Combine("tmp"), TimeProvider.System, NullLogger<S3DocumentStore>.Instance);

        var error = await Assert.ThrowsAsync<DocumentStoreException>(() => store.WriteAsync("blob", new MemoryStream([1])));

        Assert.Contains("NoSuchBucket", error.Message);
        Assert.Contains($"bucket '{options.Bucket}'", error.Message);
        var lookUp = await Assert.ThrowsAsync<DocumentStoreException>(() => store.ExistsAsync("blob"));
        Assert.EndsWith($"bucket '{options.Bucket}' at {TestServers.S3} does not exist.", lookUp.Message);
        Assert.False(await store.IsReachableAsync());
        Assert.DoesNotContain(options.Bucket, (await raw.ListBucketsAsync()).Buckets?.Select(b => b.BucketName) ?? []);
    }

    [Fact]
    public async Task Writes_are_staged_in_the_data_directory_and_removed()
    {
        string[] staged = [];

        await Store.WriteAsync("staged", async (stream, token) =>
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3 }, token);
            staged = Directory.GetFiles(Data.Combine("tmp"));
        });

        var file = Assert.Single(staged);
        Assert.StartsWith("staged.", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Data.Combine("tmp")));
        Assert.Equal([1, 2, 3], await ReadRawAsync("staged"));
    }

    protected override async Task<IDocumentStore> CreateStoreAsync()
    {
        var store = new S3DocumentStore(Options(bucket), Data.Combine("tmp"), TimeProvider.System, NullLogger<S3DocumentStore>.Instance);
        Assert.True(await store.IsReachableAsync());
        return store;
    }

    /// <summary>The same settings pointed at a loopback port nothing listens on.</summary>
    protected override IDocumentStore CreateBrokenStore()
    {
        var options = Options(bucket, ClosedPortUrl());
        options.CreateBucket = false;
        return new S3DocumentStore(options, Data.Combine("tmp"), TimeProvider.System, NullLogger<S3DocumentStore>.Instance);
    }

    protected override async Task<byte[]> ReadRawAsync(string key)
    {
        using var response = await raw.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected override async Task<IReadOnlyList<string>> ListRawAsync()
    {
        var response = await raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }

    protected override void AssertClearWriteFailure(DocumentStoreException error)
    {
        Assert.StartsWith("The S3 document store could not write document '", error.Message);
        Assert.Contains($"in bucket '{bucket}' at http://127.0.0.1:", error.Message);
    }

    private static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
