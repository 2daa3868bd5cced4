using LiveContract.Core.Hosting;

namespace LiveContract.Core.Documents.Storage;

public enum StorageProvider
{
    /// <summary>A folder on this machine (the default).</summary>
    FileSystem,

    /// <summary>A bucket of an S3-compatible object store.</summary>
    S3,
}

/// <summary>Where document blobs go when <see cref="StorageOptions.Provider"/> is FileSystem.</summary>
public sealed class FileSystemStorageOptions
{
    /// <summary>The folder, relative to the data directory unless absolute.</summary>
    public string Directory { get; set; } = "documents";
}

/// <summary>The bucket document blobs go to when <see cref="StorageOptions.Provider"/> is S3.</summary>
public sealed class S3StorageOptions
{
    private const string Prefix = $"{StorageOptions.Section}:S3";

    /// <summary>The bucket; it must exist unless <see cref="CreateBucket"/> is set.</summary>
    public string? Bucket { get; set; }

    /// <summary>The endpoint of an S3-compatible service (MinIO, s3rver, …); empty for AWS, which then needs <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region; with <see cref="ServiceUrl"/>, the region requests are signed for (<c>us-east-1</c> when empty).</summary>
    public string? Region { get; set; }

    /// <summary>Address buckets as <c>host/bucket</c> instead of <c>bucket.host</c> (most self-hosted services want this).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Access key id; with <see cref="SecretKey"/>, or neither to use the AWS SDK's usual credential sources.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Create the bucket on first use when it is missing. For tests and local setups, never production.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>Checks the settings, with a sentence saying what to fix when they are wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new ConfigurationErrorException(
                $"{Prefix}:Bucket is required when {StorageOptions.Section}:Provider is S3; set it to the name of the bucket that holds the documents.");
        }

        if (!IsBucketName(Bucket))
        {
            throw new ConfigurationErrorException(
                $"{Prefix}:Bucket is '{Bucket}', which is not a bucket name; use 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit.");
        }

        if (!string.IsNullOrWhiteSpace(ServiceUrl)
            && !(Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            throw new ConfigurationErrorException(
                $"{Prefix}:ServiceUrl is '{ServiceUrl}', which is not an http or https address; use the endpoint of your S3 service, for example 'https://s3.example.com', or leave it empty for AWS.");
        }

        if (string.IsNullOrWhiteSpace(ServiceUrl) && string.IsNullOrWhiteSpace(Region))
        {
            throw new ConfigurationErrorException(
                $"{Prefix}:Region is required when {Prefix}:ServiceUrl is empty; set it to the bucket's AWS region, for example 'eu-central-1', or set {Prefix}:ServiceUrl.");
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            throw new ConfigurationErrorException(
                $"{Prefix}:AccessKey and {Prefix}:SecretKey go together: set both, or neither to use the AWS SDK's usual credential sources.");
        }
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1]);
}

/// <summary>
/// Where encrypted documents are kept and the master key that protects them. Documents are
/// always encrypted (<see cref="DocumentCipher"/>); the provider only decides where the
/// ciphertext goes.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>FileSystem</c> (default) or <c>S3</c>.</summary>
    public string Provider { get; set; } = nameof(StorageProvider.FileSystem);

    /// <summary>
    /// Base64 of 32 random bytes. Required outside Development; in Development, when empty, a key
    /// is created once in <c>master.key</c> in the data directory (see <see cref="Storage.MasterKey.Resolve"/>).
    /// </summary>
    public string? MasterKey { get; set; }

    public FileSystemStorageOptions FileSystem { get; set; } = new();

    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>Parses <see cref="Provider"/>, with a sentence saying what to fix when it is wrong.</summary>
    public StorageProvider ResolveProvider()
    {
        foreach (var provider in Enum.GetValues<StorageProvider>())
        {
            if (string.Equals(provider.ToString(), Provider?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        throw new ConfigurationErrorException(
            $"{Section}:Provider is '{Provider}', which LiveContract does not support. Use 'FileSystem' (the default) or 'S3'.");
    }

    /// <summary>The absolute folder of the filesystem store.</summary>
    public string ResolveDirectory(DataDirectory dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(FileSystem.Directory))
        {
            throw new ConfigurationErrorException(
                $"{Section}:FileSystem:Directory is empty; set it to a folder (relative to the data directory unless absolute) or remove it to use 'documents'.");
        }

        return dataDirectory.Resolve(FileSystem.Directory);
    }

    /// <summary>Checks the provider and its settings (the master key is checked by <see cref="Storage.MasterKey.Resolve"/>).</summary>
    public StorageProvider Validate(DataDirectory dataDirectory)
    {
        var provider = ResolveProvider();
        if (provider == StorageProvider.S3)
        {
            S3.Validate();
        }
        else
        {
            ResolveDirectory(dataDirectory);
        }

        return provider;
    }
}
