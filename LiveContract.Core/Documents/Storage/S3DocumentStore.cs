using LiveContract.Core.Common;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// Keeps each blob as an object named after its key in one bucket of an S3-compatible service.
/// Writes from a callback are staged in a temporary file (mode 600, deleted afterwards whatever
/// happens) so PutObject gets a seekable stream of known length; S3 makes the object appear whole
/// or not at all. Requests are signed without aws-chunked framing and without optional checksums,
/// which self-hosted services such as s3rver need; integrity comes from <see cref="DocumentCipher"/>.
/// </summary>
public sealed class S3DocumentStore : IDocumentStore, IDisposable
{
    private const string TemporaryPattern = "*.tmp";

    private readonly AmazonS3Client client;
    private readonly string bucket;
    private readonly bool createBucket;
    private readonly string endpoint;
    private readonly string stagingFolder;
    private readonly ILogger<S3DocumentStore> logger;
    private readonly SemaphoreSlim bucketCreation = new(1, 1);
    private volatile bool bucketReady;

    /// <param name="options">Checked with <see cref="S3StorageOptions.Validate"/>.</param>
    /// <param name="stagingFolder">Where writes are staged, e.g. <c>tmp</c> in the data directory.</param>
    public S3DocumentStore(S3StorageOptions options, string stagingFolder, TimeProvider time, ILogger<S3DocumentStore> logger)
    {
        options.Validate();
        bucket = options.Bucket!;
        createBucket = options.CreateBucket;
        this.stagingFolder = Path.GetFullPath(stagingFolder);
        this.logger = logger;

        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            endpoint = $"AWS region {options.Region}";
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
            endpoint = options.ServiceUrl;
        }

        client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        TemporaryFiles.RemoveStale(this.stagingFolder, TemporaryPattern, time, logger);
    }

    public StorageProvider Provider => StorageProvider.S3;

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        DocumentKey.Validate(key);
        if (!content.CanSeek)
        {
            throw new ArgumentException("A document store writes from a seekable stream.", nameof(content));
        }

        await EnsureBucketAsync(cancellationToken);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            AutoResetStreamPosition = false,
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        };
        try
        {
            await client.PutObjectAsync(request, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failure("write", key, e);
        }
    }

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken = default)
    {
        DocumentKey.Validate(key);
        FileStream staged;
        try
        {
            TemporaryFiles.EnsureFolder(stagingFolder);
            staged = TemporaryFiles.CreateNew(Path.Combine(stagingFolder, $"{key}.{DocumentKey.New()}.tmp"), FileAccess.ReadWrite, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DocumentStoreException(
                $"The S3 document store could not stage document '{key}' in '{stagingFolder}': {e.Message}", e);
        }

        await using (staged)
        {
            await writeContent(staged, cancellationToken);
            staged.Position = 0;
            await WriteAsync(key, staged, cancellationToken);
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        DocumentKey.Validate(key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            return new S3ObjectStream(response);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            throw new DocumentNotFoundException(key, e);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failure("read", key, e);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        DocumentKey.Validate(key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failure("delete", key, e);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        DocumentKey.Validate(key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD answer has no body to tell a missing object from a missing bucket.
            await CheckBucketAsync("look up", key, cancellationToken);
            return false;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failure("look up", key, e);
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureBucketAsync(cancellationToken);
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is DocumentStoreException || IsStoreFailure(e))
        {
            return false;
        }
    }

    public void Dispose()
    {
        client.Dispose();
        bucketCreation.Dispose();
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (!createBucket || bucketReady)
        {
            return;
        }

        await bucketCreation.WaitAsync(cancellationToken);
        try
        {
            if (!bucketReady)
            {
                await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
                logger.LogInformation("Created the document bucket {Bucket} at {Endpoint}", bucket, endpoint);
                bucketReady = true;
            }
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            bucketReady = true;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw new DocumentStoreException($"The S3 document store could not create bucket '{bucket}' at {endpoint}: {Describe(e)}", e);
        }
        finally
        {
            bucketCreation.Release();
        }
    }

    private async Task CheckBucketAsync(string operation, string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DocumentStoreException(
                $"The S3 document store could not {operation} document '{key}': bucket '{bucket}' at {endpoint} does not exist.", e);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failure(operation, key, e);
        }
    }

    private static bool IsStoreFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private DocumentStoreException Failure(string operation, string key, Exception e) =>
        new($"The S3 document store could not {operation} document '{key}' in bucket '{bucket}' at {endpoint}: {Describe(e)}", e);

    private static string Describe(Exception e)
    {
        var reason = e is AmazonServiceException { ErrorCode: { Length: > 0 } code } service
            ? $"{code} (HTTP {(int)service.StatusCode}): {e.Message}"
            : e.Message;
        return e is not AmazonServiceException && e.InnerException is { } inner && !reason.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{reason} ({inner.Message})"
            : reason;
    }

    /// <summary>The body of a GetObject response; disposing it releases the response.</summary>
    private sealed class S3ObjectStream(GetObjectResponse response) : ReadOnlyStream
    {
        private readonly Stream body = response.ResponseStream;

        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => body.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            body.ReadAsync(buffer, cancellationToken);


        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
