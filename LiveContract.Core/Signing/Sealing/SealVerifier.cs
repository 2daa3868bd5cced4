using System.Security.Cryptography;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>The three answers of the verification page.</summary>
public enum SealVerdict
{
    /// <summary>An unmodified PDF sealed by this LiveContract installation.</summary>
    Sealed,

    /// <summary>It carries this installation's seal, but the file was changed after sealing.</summary>
    Modified,

    /// <summary>Not sealed by this system: no signature, someone else's, or not a PDF at all.</summary>
    NotSealed,
}

/// <summary>The answer about one file: the verdict, a sentence explaining it (in the current culture), the file's SHA-256 and, for a sealed PDF, its contract.</summary>
public sealed record SealVerification(SealVerdict Verdict, string Message, string? Sha256, SealedContract? Contract);

/// <summary>What a sealed PDF is: its contract, parties and times (UTC). Nothing that the PDF itself does not already show.</summary>
public sealed record SealedContract(
    string Reference,
    string Title,
    string CustomerName,
    string AdvisorName,
    DateTimeOffset? SignedAt,
    DateTimeOffset SealedAt,
    int Pages,
    string CertificateSubject);

/// <summary>
/// Tells whether a file is a PDF sealed by this installation and unmodified. It is when: its
/// digital signature is made with one of the installation's sealing certificates (the configured
/// one or one in <see cref="LiveContractDbContext.SigningKeys"/>), that signature is valid, its
/// <c>/ByteRange</c> covers the whole file, and the file's SHA-256 is that of a sealed document on
/// record. It is "modified" when it carries our seal but one of the last three fails, and "not
/// sealed" otherwise. Reads at most <see cref="DocumentOptions.MaxUploadBytes"/>, and checks at
/// most <see cref="MaxConcurrentChecks"/> files at once in the whole process (later callers wait);
/// never throws on bad input (a failing database still throws).
/// </summary>
public sealed class SealVerifier(
    IDbContextFactory<LiveContractDbContext> databases,
    SealingCertificateStore certificates,
    IOptions<DocumentOptions> documentOptions,
    IStringLocalizer<CustomerText> text)
{
    /// <summary>Most files checked at once, whoever asks (the verification page and the API together).</summary>
    public const int MaxConcurrentChecks = 4;

    /// <summary>
    /// The global cap on checks at once: each holds up to <see cref="MaxBytes"/> in memory, and
    /// anyone may ask, so further callers wait their turn (their cancellation still ends the wait).
    /// </summary>
    private static readonly SemaphoreSlim Checks = new(MaxConcurrentChecks, MaxConcurrentChecks);

    /// <summary>The first buffer when a stream does not tell its length; it doubles as needed up to <see cref="MaxBytes"/>.</summary>
    private const int InitialBufferBytes = 256 * 1024;

    /// <summary>The most bytes a file may have to be checked.</summary>
    public long MaxBytes => documentOptions.Value.MaxUploadBytes;

    /// <summary>Reads <paramref name="file"/> (up to <see cref="MaxBytes"/>) and verifies it.</summary>
    public async Task<SealVerification> VerifyAsync(Stream file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await Checks.WaitAsync(cancellationToken);
        try
        {
            var known = KnownLength(file);
            if (known > MaxBytes)
            {
                return TooLarge(null);
            }

            // Room for one byte more than expected, to notice a stream longer than it said.
            var buffer = new byte[known is { } length ? length + 1 : Math.Min(InitialBufferBytes, MaxBytes + 1)];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled > MaxBytes)
                    {
                        return TooLarge(null);
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, MaxBytes + 1));
                }

                var read = await file.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled > MaxBytes)
            {
                return TooLarge(null);
            }

            return await VerifyCoreAsync(buffer.AsMemory(0, filled), cancellationToken);
        }
        finally
        {
            Checks.Release();
        }
    }

    /// <summary>Verifies the bytes of a file.</summary>
    public async Task<SealVerification> VerifyAsync(byte[] file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        await Checks.WaitAsync(cancellationToken);
        try
        {
            return await VerifyCoreAsync(file, cancellationToken);
        }
        finally
        {
            Checks.Release();
        }
    }

    /// <summary>The remaining length of a seekable stream, when it can tell.</summary>
    private static long? KnownLength(Stream file)
    {
        try
        {
            return file.CanSeek ? Math.Max(0, file.Length - file.Position) : null;
        }
        catch (Exception e) when (e is NotSupportedException or IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    private SealVerification TooLarge(string? sha256) =>
        new(SealVerdict.NotSealed, text["Verify.Verdict.TooLarge", documentOptions.Value.MaxUploadBytes / (1024 * 1024)], sha256, null);

    private async Task<SealVerification> VerifyCoreAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            return new(SealVerdict.NotSealed, text["Verify.Verdict.Empty"], null, null);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Span));
        if (file.Length > MaxBytes)
        {
            return TooLarge(sha256);
        }

        var trusted = await certificates.TrustedThumbprintsAsync(cancellationToken);
        var inspection = PdfSignatureInspector.Inspect(file.Span, trusted);
        switch (inspection.Finding)
        {
            case SignatureFinding.NotPdf:
                return new(SealVerdict.NotSealed, text["Verify.Verdict.NotPdf"], sha256, null);
            case SignatureFinding.Unsigned:
                return new(SealVerdict.NotSealed, text["Verify.Verdict.Unsigned"], sha256, null);
            case SignatureFinding.Unreadable:
                return new(SealVerdict.NotSealed, text["Verify.Verdict.Unreadable"], sha256, null);
            case SignatureFinding.SignedByOthers:
                return new(SealVerdict.NotSealed, text["Verify.Verdict.SignedByOthers", inspection.Signer ?? ""], sha256, null);
            case SignatureFinding.Changed:
                return Modified(text["Verify.Verdict.Changed"], sha256);
            case SignatureFinding.Extended:
                return Modified(text["Verify.Verdict.Extended"], sha256);
        }

        var contract = await FindAsync(sha256, cancellationToken);
        return contract is null
            ? Modified(text["Verify.Verdict.NotIssued"], sha256)
            : new(SealVerdict.Sealed, text["Verify.Verdict.Sealed", contract.Reference], sha256, contract with { CertificateSubject = inspection.Signer ?? "" });
    }

    private static SealVerification Modified(string message, string sha256) => new(SealVerdict.Modified, message, sha256, null);

    private async Task<SealedContract?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Documents.AsNoTracking()
            .Where(d => d.Kind == DocumentKind.Sealed && d.Sha256 == sha256)
            .Join(db.Contracts, d => d.ContractId, c => c.Id, (d, c) => new SealedContract(
                c.Reference,
                c.Title,
                c.Customer!.FullName,
                c.Advisor!.DisplayName,
                c.SignedAt,
                d.UploadedAt,
                d.PageCount,
                ""))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
