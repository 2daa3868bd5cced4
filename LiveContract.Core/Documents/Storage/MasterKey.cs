using System.Security.Cryptography;
using LiveContract.Core.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// The 256-bit key that wraps every document's own key. Its <see cref="Id"/>, a fingerprint
/// that reveals nothing of the key, is written into each document so a document encrypted under
/// another master key is recognised as such.
/// </summary>
public sealed class MasterKey
{
    /// <summary>Length of a master key in bytes (AES-256).</summary>
    public const int Size = 32;

    /// <summary>The development key's file name in the data directory.</summary>
    public const string DevelopmentFileName = "master.key";

    internal const int IdSize = 8;

    private const string Setting = $"{StorageOptions.Section}:MasterKey";
    private const string HowToMake = "the base64 of 32 random bytes, for example the output of 'openssl rand -base64 32'";

    private const string CreatedWarning =
        $"No {Setting} is configured, so a development master key {{KeyId}} was created in {{Path}}. " +
        $"Documents stored now can only be read with this file; outside Development {Setting} must be set.";

    private readonly byte[] key;
    private readonly byte[] id;

    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A master key has {Size} bytes, not {key.Length}.", nameof(key));
        }

        this.key = key.ToArray();
        id = HMACSHA256.HashData(this.key, "LiveContract master key id"u8)[..IdSize];
        Id = Convert.ToHexStringLower(id);
    }

    /// <summary>A fingerprint of the key (16 hexadecimal characters); safe to log.</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Key => key;

    internal ReadOnlySpan<byte> IdBytes => id;

    /// <summary>A key for another purpose, derived with HKDF-SHA256, so the master key itself is used for one thing only.</summary>
    internal byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, Size, info: System.Text.Encoding.UTF8.GetBytes(purpose));

    /// <summary>A new random master key.</summary>
    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>
    /// The master key in force: <see cref="StorageOptions.MasterKey"/> when set. Otherwise, in
    /// Development only, the key in <c>master.key</c> in the data directory, created (mode 600,
    /// with a warning in the log) when missing; outside Development a missing key stops start-up.
    /// </summary>
    public static MasterKey Resolve(StorageOptions options, DataDirectory dataDirectory, IHostEnvironment environment, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return Parse(options.MasterKey, Setting, $"set it to {HowToMake}");
        }

        if (!environment.IsDevelopment())
        {
            throw new ConfigurationErrorException(
                $"{Setting} is required outside Development: set it to {HowToMake}, and keep a copy safe, because stored documents cannot be read without it.");
        }

        dataDirectory.EnsureExists();
        return LoadOrCreateDevelopmentKey(dataDirectory.Resolve(DevelopmentFileName), logger);
    }

    private static MasterKey Parse(string base64, string source, string fix)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new ConfigurationErrorException($"{source} is not valid base64; {fix}.");
        }

        if (bytes.Length != Size)
        {
            throw new ConfigurationErrorException($"{source} is {bytes.Length} bytes long, not {Size}; {fix}.");
        }

        try
        {
            return new MasterKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static MasterKey LoadOrCreateDevelopmentKey(string path, ILogger logger)
    {
        var source = $"The development master key in '{path}'";
        var fix = $"restore that file from a backup, or delete it to start afresh (documents stored with it can then no longer be read), or set {Setting}";
        try
        {
            if (File.Exists(path))
            {
                var existing = Parse(File.ReadAllText(path), source, fix);
                logger.LogInformation("Using the development master key {KeyId} from {Path}", existing.Id, path);
                return existing;
            }

            var created = Generate();
            var temporary = $"{path}.{DocumentKey.New()}.tmp";
            try
            {
                using (var file = TemporaryFiles.CreateNew(temporary, FileAccess.Write))
                {
                    file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(created.key) + "\n"));
                    file.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created the key at the same moment: use that one.
                return Parse(File.ReadAllText(path), source, fix);
            }
            finally
            {
                File.Delete(temporary);
            }

            logger.LogWarning(CreatedWarning, created.Id, path);
            return created;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationErrorException(
                $"{source} cannot be read or created ({e.Message}); make the data directory writable, or set {Setting} to {HowToMake}.");
        }
    }
}
