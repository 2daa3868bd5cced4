using System.Security.Cryptography;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Fields;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Documents;

/// <summary>
/// Adding, listing, reading and removing a contract's documents. An upload streams to a temporary
/// file (hashed and size-checked as it arrives, never whole in memory), is checked to be a readable
/// PDF, then stored encrypted; only then is its row written. A failure at any step leaves neither
/// an orphan blob nor a row pointing at nothing. Adding and removing write their audit event
/// (<c>document.uploaded</c>, <c>document.removed</c>) in the same transaction as the row. An
/// upload also takes over the PDF's own form fields (<see cref="PdfFormFields"/>) as fields of the
/// contract, in the same transaction; removing the document removes its fields.
/// </summary>
public sealed class DocumentService(
    IDbContextFactory<LiveContractDbContext> databases,
    EncryptedDocumentStorage storage,
    IOptions<DocumentOptions> options,
    DataDirectory dataDirectory,
    TimeProvider time,
    LiveSessionNotifier liveSessions,
    ILogger<DocumentService> logger)
{
    private const int BufferSize = 81920;

    public async Task<Outcome<DocumentSummary>> UploadAsync(Actor actor, Guid contractId, string? fileName, Stream content, CancellationToken cancellationToken = default)
    {
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var contract = await db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
            if (contract is null)
            {
                return OperationError.NotFound("That contract");
            }

            if (ContractRules.CanChangeDocuments(contract, actor) is { } refused)
            {
                return refused;
            }
        }

        var settings = options.Value;
        await using var spool = CreateSpoolFile();
        var received = await SpoolAsync(content, spool, settings, cancellationToken);
        if (!received.Succeeded)
        {
            return received.Error!;
        }

        var inspection = PdfInspector.Inspect(spool, settings.MaxPages, settings.ExpansionLimits);
        if (!inspection.Succeeded)
        {
            return inspection.Error!;
        }

        var formFields = PdfFormFields.Detect(spool, logger);

        string storageKey;
        try
        {
            storageKey = await storage.SaveAsync(spool, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Storing an uploaded document for contract {ContractId} failed", contractId);
            return new OperationError(ErrorKind.Unavailable, "The document store could not save the file; nothing was kept. Try again in a moment.");
        }

        var document = new Document
        {
            Id = Guid.NewGuid(),
            ContractId = contractId,
            FileName = FileNames.ForDisplay(fileName),
            Size = spool.Length,
            PageCount = inspection.Value!.PageCount,
            Sha256 = received.Value!,
            StorageKey = storageKey,
            Kind = DocumentKind.Original,
            UploadedById = actor.UserId,
            UploadedAt = time.GetUtcNow(),
        };
        var saved = await SaveRowAsync(actor, document, formFields, cancellationToken);
        if (!saved.Succeeded)
        {
            await DeleteBlobAsync(storageKey);
            return saved;
        }

        await liveSessions.DocumentsChangedAsync(actor, contractId);
        return saved;
    }

    public async Task<Outcome<IReadOnlyList<DocumentSummary>>> ListAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            return OperationError.NotFound("That contract");
        }

        var documents = await db.Documents.AsNoTracking().Where(d => d.ContractId == contractId).ToListAsync(cancellationToken);
        return documents.InContractOrder().Select(ContractService.ToSummary).ToList();
    }

    public async Task<Outcome<DocumentSummary>> GetAsync(Actor actor, Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var document = await VisibleDocuments(db, actor).SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        return document is null ? OperationError.NotFound("That document") : ContractService.ToSummary(document);
    }

    /// <summary>
    /// Writes the document's PDF bytes, decrypted, to the stream <paramref name="destination"/>
    /// returns once the document is found and visible (so a caller can set headers from it first).
    /// </summary>
    public async Task<Outcome<DocumentSummary>> CopyContentAsync(Actor actor, Guid documentId, Func<DocumentSummary, Stream> destination, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var document = await VisibleDocuments(db, actor).SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return OperationError.NotFound("That document");
        }

        var summary = ContractService.ToSummary(document);
        await storage.CopyToAsync(document.StorageKey, destination(summary), cancellationToken);
        return summary;
    }

    public async Task<Outcome<DocumentSummary>> RemoveAsync(Actor actor, Guid documentId, CancellationToken cancellationToken = default)
    {
        Outcome<Document> removed;
        try
        {
            removed = await AuditWrites.RunAsync(databases, db => RemoveRowAsync(db, actor, documentId, cancellationToken), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Concurrent();
        }

        if (!removed.Succeeded)
        {
            return removed.Error!;
        }

        // The row is gone first: a blob left behind by a failing store is unreachable and encrypted.
        var document = removed.Value!;
        await DeleteBlobAsync(document.StorageKey);
        await liveSessions.DocumentsChangedAsync(actor, document.ContractId);
        return ContractService.ToSummary(document);
    }

    private async Task<Outcome<Document>> RemoveRowAsync(LiveContractDbContext db, Actor actor, Guid documentId, CancellationToken cancellationToken)
    {
        var document = await VisibleDocuments(db, actor).SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return OperationError.NotFound("That document");
        }

        var contract = await db.Contracts.SingleAsync(c => c.Id == document.ContractId, cancellationToken);
        if (ContractRules.CanChangeDocuments(contract, actor) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        db.Documents.Remove(document);
        contract.Touch(now);
        await AuditTrail.AppendAsync(
            db,
            AuditStreams.Contract(contract.Id),
            AuditEventTypes.DocumentRemoved,
            AuditActor.For(actor),
            new { documentId = document.Id, fileName = document.FileName, sha256 = document.Sha256 },
            now,
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return document;
    }

    private async Task<Outcome<DocumentSummary>> SaveRowAsync(Actor actor, Document document, IReadOnlyList<PdfFormField> formFields, CancellationToken cancellationToken)
    {
        try
        {
            return await AuditWrites.RunAsync<DocumentSummary>(
                databases,
                async db =>
                {
                    var contract = await db.Contracts.VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == document.ContractId, cancellationToken);
                    if (contract is null)
                    {
                        return OperationError.NotFound("That contract");
                    }

                    // The contract may have left Draft while the file was streaming in.
                    if (ContractRules.CanChangeDocuments(contract, actor) is { } refused)
                    {
                        return refused;
                    }

                    db.Documents.Add(document);
                    db.Fields.AddRange(formFields.Select(f => ToField(f, document)));
                    contract.Touch(document.UploadedAt);
                    await AuditTrail.AppendAsync(
                        db,
                        AuditStreams.Contract(contract.Id),
                        AuditEventTypes.DocumentUploaded,
                        AuditActor.For(actor),
                        UploadedData(document, formFields.Count),
                        document.UploadedAt,
                        cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    return ContractService.ToSummary(document);
                },
                cancellationToken,
                alsoOnVersionConflict: true);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Concurrent();
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            logger.LogError(e, "Saving the document row for contract {ContractId} failed", document.ContractId);
            return new OperationError(ErrorKind.Unavailable, "The database could not record the document; nothing was kept. Try again in a moment.");
        }
    }

    /// <summary>The data of <c>document.uploaded</c>; formFields (how many of the PDF's own form fields became fields) only when there were any.</summary>
    private static object UploadedData(Document document, int formFields) => formFields == 0
        ? new { documentId = document.Id, fileName = document.FileName, size = document.Size, pages = document.PageCount, sha256 = document.Sha256 }
        : new { documentId = document.Id, fileName = document.FileName, size = document.Size, pages = document.PageCount, sha256 = document.Sha256, formFields };

    /// <summary>A new field row for one of the uploaded PDF's own form fields (a fresh id on every attempt of the save).</summary>
    private static Field ToField(PdfFormField formField, Document document)
    {
        var draft = formField.Draft;
        var rules = draft.Rules ?? FieldRuleSet.None;
        return new Field
        {
            Id = Guid.NewGuid(),
            ContractId = document.ContractId,
            DocumentId = document.Id,
            Page = draft.Page,
            Left = draft.Box.Left,
            Bottom = draft.Box.Bottom,
            Width = draft.Box.Width,
            Height = draft.Box.Height,
            Kind = draft.Kind,
            Label = draft.Label,
            Party = draft.Party,
            Required = draft.Required,
            MaxLength = rules.MaxLength,
            Options = (draft.Options ?? []).ToList(),
            Source = FieldSource.PdfForm,
            PdfFieldName = formField.Name,
            CreatedAt = document.UploadedAt,
            UpdatedAt = document.UploadedAt,
        };
    }

    private static IQueryable<Document> VisibleDocuments(LiveContractDbContext db, Actor actor) =>
        db.Documents.Where(d => db.Contracts.VisibleTo(actor).Any(c => c.Id == d.ContractId));

    /// <summary>
    /// A private temporary file for the plaintext upload. On Unix its name is removed at once, so the
    /// bytes vanish with the handle even if the process crashes; elsewhere it is deleted on close.
    /// </summary>
    private FileStream CreateSpoolFile()
    {
        var folder = dataDirectory.Resolve("tmp");
        TemporaryFiles.EnsureFolder(folder);
        var path = Path.Combine(folder, $"upload-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            return TemporaryFiles.CreateNew(path, FileAccess.ReadWrite, FileOptions.DeleteOnClose);
        }

        var spool = TemporaryFiles.CreateNew(path, FileAccess.ReadWrite);
        File.Delete(path);
        return spool;
    }

    /// <summary>Copies the upload into the spool file, returning its SHA-256, or the limit it broke.</summary>
    private static async Task<Outcome<string>> SpoolAsync(Stream content, FileStream spool, DocumentOptions settings, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > settings.MaxUploadBytes)
            {
                return new OperationError(ErrorKind.Invalid, settings.TooLargeMessage);
            }

            hash.AppendData(buffer, 0, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await spool.FlushAsync(cancellationToken);
        spool.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task DeleteBlobAsync(string storageKey)
    {
        try
        {
            await storage.DeleteAsync(storageKey, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Deleting the stored blob {StorageKey} failed; it is encrypted and no row refers to it", storageKey);
        }
    }

    private static OperationError Concurrent() =>
        new(ErrorKind.Conflict, "The contract was changed by someone else at the same time. Reload it and try again.");
}
