using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveContract.Core.Data;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>The certificate sealed PDFs are signed with, its private key, and the rest of its chain (when a configured file has one).</summary>
public sealed record SealingCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain)
{
    /// <summary>SHA-256 of the DER certificate, lower-case hex.</summary>
    public string Thumbprint { get; } = PdfSignatureInspector.Thumbprint(Certificate);
}

/// <summary>
/// The organisation's sealing certificate: the PKCS#12 file <see cref="SealingOptions.CertificatePath"/>
/// names, or else a self-signed ECDSA P-256 certificate LiveContract makes on first use and keeps in
/// <see cref="LiveContractDbContext.SigningKeys"/>, its PKCS#12 encrypted (AES-256-GCM) with a key
/// derived from the master key, so every server sharing the database and master key seals with the
/// same certificate. The oldest row is the one in use; the first one is made with a fixed id, so of
/// two servers making it at the same moment one insert wins and the other adopts it. Neither the
/// key nor the password is ever logged.
/// </summary>
public sealed class SealingCertificateStore(
    IOptions<SealingOptions> options,
    DataDirectory dataDirectory,
    IDbContextFactory<LiveContractDbContext> databases,
    MasterKey masterKey,
    TimeProvider time,
    ILogger<SealingCertificateStore> logger) : IDisposable
{
    /// <summary>The id of the first self-made key: two servers making it at once collide on it.</summary>
    public static readonly Guid FirstKeyId = new("5ea1ed00-0000-4000-8000-000000000001");

    /// <summary>How long a self-made certificate is valid.</summary>
    public static readonly TimeSpan GeneratedLifetime = TimeSpan.FromDays(3652);

    private const string KeyPurpose = "LiveContract sealing key v1";
    private const byte BlobVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Lazy<SealingCertificate?> configured = new(() => LoadConfigured(options.Value, dataDirectory, time));
    private readonly SemaphoreSlim gate = new(1, 1);
    private SealingCertificate? generated;

    /// <summary>Loads the configured PKCS#12 file now, if there is one; throws <see cref="ConfigurationErrorException"/> when it cannot be used.</summary>
    public void Validate()
    {
        options.Value.Validate();
        _ = configured.Value;
    }

    /// <summary>The certificate to seal with: the configured one, or the stored self-made one (made now when there is none).</summary>
    public async Task<SealingCertificate> GetAsync(CancellationToken cancellationToken = default)
    {
        if (configured.Value is { } fromFile)
        {
            return fromFile;
        }

        if (generated is { } cached)
        {
            return cached;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            generated ??= await LoadOrCreateAsync(cancellationToken);
            return generated;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The thumbprints of every certificate LiveContract has sealed with: the configured one and all
    /// stored ones, so a PDF sealed before a certificate change still verifies.
    /// </summary>
    public async Task<IReadOnlySet<string>> TrustedThumbprintsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var thumbprints = (await db.SigningKeys.AsNoTracking().Select(k => k.Thumbprint).ToListAsync(cancellationToken))
            .Select(t => t.Trim())
            .ToHashSet(StringComparer.Ordinal);
        if (configured.Value is { } fromFile)
        {
            thumbprints.Add(fromFile.Thumbprint);
        }

        return thumbprints;
    }

    public void Dispose()
    {
        gate.Dispose();
        if (configured.IsValueCreated)
        {
            configured.Value?.Certificate.Dispose();
        }

        generated?.Certificate.Dispose();
    }

    private async Task<SealingCertificate> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        if (await LoadOldestAsync(cancellationToken) is { } existing)
        {
            return existing;
        }

        var (row, certificate) = Create();
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.SigningKeys.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the self-signed sealing certificate {Subject} ({Thumbprint}), valid until {NotAfter}", row.Subject, row.Thumbprint, row.NotAfter);
            return new SealingCertificate(certificate, []);
        }
        catch (DbUpdateException)
        {
            // Another server made the first key at the same moment: use the one that was stored.
            certificate.Dispose();
            return await LoadOldestAsync(cancellationToken)
                ?? throw new InvalidOperationException("Storing the sealing certificate failed, and no other server stored one.");
        }
    }

    private async Task<SealingCertificate?> LoadOldestAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.SigningKeys.AsNoTracking()
            .OrderBy(k => k.CreatedAt)
            .ThenBy(k => k.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        byte[] pkcs12;
        try
        {
            pkcs12 = Decrypt(row.EncryptedPkcs12, row.Thumbprint.Trim());
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"The stored sealing key {row.Thumbprint.Trim()} cannot be decrypted with the configured master key (Storage:MasterKey); "
                + "it was made with another one. Restore that master key, or configure Sealing:CertificatePath.");
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet);
            return new SealingCertificate(certificate, []);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    private (SigningKey Row, X509Certificate2 Certificate) Create()
    {
        var settings = options.Value;
        settings.Validate();
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("LiveContract document sealing");
        name.AddOrganizationName(settings.Organisation.Trim());
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(GeneratedLifetime));

        var pkcs12 = created.Export(X509ContentType.Pkcs12);
        try
        {
            var thumbprint = PdfSignatureInspector.Thumbprint(created);
            var row = new SigningKey
            {
                Id = FirstKeyId,
                CreatedAt = now,
                Thumbprint = thumbprint,
                Subject = created.Subject,
                NotAfter = created.NotAfter.ToUniversalTime(),
                Certificate = created.RawData,
                EncryptedPkcs12 = Encrypt(pkcs12, thumbprint),
            };
            return (row, X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    /// <summary>version (1) | nonce (12) | tag (16) | ciphertext; the thumbprint is authenticated, so a blob cannot be moved to another row.</summary>
    private byte[] Encrypt(byte[] plaintext, string thumbprint)
    {
        var key = masterKey.Derive(KeyPurpose);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            var blob = new byte[1 + NonceSize + TagSize + plaintext.Length];
            blob[0] = BlobVersion;
            RandomNumberGenerator.Fill(blob.AsSpan(1, NonceSize));
            aes.Encrypt(
                blob.AsSpan(1, NonceSize),
                plaintext,
                blob.AsSpan(1 + NonceSize + TagSize),
                blob.AsSpan(1 + NonceSize, TagSize),
                System.Text.Encoding.ASCII.GetBytes(thumbprint));
            return blob;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private byte[] Decrypt(byte[] blob, string thumbprint)
    {
        if (blob.Length < 1 + NonceSize + TagSize || blob[0] != BlobVersion)
        {
            throw new CryptographicException("The stored sealing key is not in a format this version reads.");
        }

        var key = masterKey.Derive(KeyPurpose);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            var plaintext = new byte[blob.Length - 1 - NonceSize - TagSize];
            aes.Decrypt(
                blob.AsSpan(1, NonceSize),
                blob.AsSpan(1 + NonceSize + TagSize),
                blob.AsSpan(1 + NonceSize, TagSize),
                plaintext,
                System.Text.Encoding.ASCII.GetBytes(thumbprint));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static SealingCertificate? LoadConfigured(SealingOptions settings, DataDirectory dataDirectory, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            return null;
        }

        const string Setting = $"{SealingOptions.Section}:CertificatePath";
        var path = dataDirectory.Resolve(settings.CertificatePath);
        if (!File.Exists(path))
        {
            throw new ConfigurationErrorException(
                $"{Setting} is '{settings.CertificatePath}', but there is no file at '{path}'. Set it to the PKCS#12 (.p12 or .pfx) file holding the "
                + "organisation's sealing certificate and private key, or remove it to let LiveContract make a self-signed certificate.");
        }

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, settings.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            throw new ConfigurationErrorException(
                $"The PKCS#12 file '{path}' ({Setting}) cannot be opened: it is not a PKCS#12 file, or {SealingOptions.Section}:CertificatePassword is not its password.");
        }

        var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
        if (certificate is null)
        {
            throw new ConfigurationErrorException(
                $"The PKCS#12 file '{path}' ({Setting}) holds no private key, so nothing can be sealed with it. Export the certificate together with its private key.");
        }

        if (certificate.GetRSAPrivateKey() is null && certificate.GetECDsaPrivateKey() is null)
        {
            throw new ConfigurationErrorException(
                $"The sealing certificate in '{path}' ({Setting}) has a {certificate.PublicKey.Oid.FriendlyName} key; LiveContract seals with RSA or ECDSA keys.");
        }

        var now = time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime || certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            throw new ConfigurationErrorException(
                $"The sealing certificate {certificate.Subject} in '{path}' ({Setting}) is valid from {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} "
                + $"to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd} UTC, not now. Configure a current certificate.");
        }

        var chain = new X509Certificate2Collection();
        foreach (var other in all.Where(c => !ReferenceEquals(c, certificate)))
        {
            chain.Add(other);
        }

        return new SealingCertificate(certificate, chain);
    }
}
