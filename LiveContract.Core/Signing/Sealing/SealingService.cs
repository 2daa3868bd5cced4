using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Fields;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using LiveContract.Core.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Turns a Signed contract into its sealed PDF: the documents as reviewed (each read back from the
/// document store and checked against the hash pinned at Review) with every field's value printed
/// at its place and their own forms flattened, the certificate of completion (which lists every
/// field), and the organisation's PDF digital signature over the whole file. The PDF is stored encrypted
/// under a new key first; then one transaction inserts its <see cref="Document"/>
/// (<see cref="DocumentKind.Sealed"/>) and the <c>contract.sealed</c> audit event. Sealing is
/// idempotent and safe under concurrency: a contract that has its sealed PDF gets that one back;
/// of two sealers racing (two requests, two servers) only the one that takes the contract's
/// <see cref="SealingLease"/> builds and stores a PDF while the other waits for it; and should two
/// build anyway (a lease that ran out), the database's unique index lets one insert, the other
/// deletes its stored bytes and returns the winner's document. Whatever fails,
/// nothing half-sealed remains: no row without bytes, no bytes without a row. The sealer that
/// stored the PDF tells the contract's live session (<see cref="LiveSessionNotifier.ContractSealedAsync"/>),
/// so those still in it get the download at once, whichever server they are on.
/// </summary>
/// <remarks>
/// Refusals (<see cref="Outcome{T}"/>): <see cref="ErrorKind.NotFound"/> no such contract (or not
/// visible to the actor); <see cref="ErrorKind.Conflict"/> not Signed yet, or a document or
/// signature does not match what was reviewed, or the PDF cannot be built (retrying will not
/// help); <see cref="ErrorKind.Unavailable"/> the database, the document store or the sealing key
/// failed, or another server is still sealing the contract (retrying may help; nothing was kept).
/// </remarks>
public sealed class SealingService(
    IDbContextFactory<LiveContractDbContext> databases,
    EncryptedDocumentStorage storage,
    SealingCertificateStore certificates,
    CertificateFonts fonts,
    IPublicUrl publicUrl,
    IOptions<SealingOptions> options,
    IOptions<DocumentOptions> documentOptions,
    LiveSessionNotifier sessions,
    TimeProvider time,
    ILogger<SealingService> logger)
{
    /// <summary>Attempts at the final transaction when it loses a race for the audit stream's next number.</summary>
    private const int CommitAttempts = 3;

    /// <summary>How often a sealer waiting for another's lease looks again.</summary>
    private static readonly TimeSpan LeasePollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Seals the contract on behalf of <paramref name="actor"/>, who must be able to see it (its advisor, or an admin).</summary>
    public async Task<Outcome<DocumentSummary>> SealAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
            {
                return OperationError.NotFound("That contract");
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(e, "Reading contract {ContractId} to seal it failed", contractId);
            return DatabaseUnavailable();
        }

        return await SealAsync(contractId, cancellationToken);
    }

    /// <summary>
    /// Seals the contract as LiveContract itself (the background worker, start-up recovery), or
    /// returns its sealed PDF when it has one.
    /// </summary>
    public async Task<Outcome<DocumentSummary>> SealAsync(Guid contractId, CancellationToken cancellationToken = default)
    {
        var holder = SealingLease.NewHolder();
        var waited = await TakeLeaseAsync(contractId, holder, cancellationToken);
        if (waited is { } answer)
        {
            return answer;
        }

        try
        {
            var prepared = await PrepareAsync(contractId, cancellationToken);
            if (!prepared.Succeeded)
            {
                return prepared.Error!;
            }

            return prepared.Value!.Existing ?? await CommitAsync(prepared.Value.Seal!, cancellationToken);
        }
        finally
        {
            await ReleaseLeaseAsync(contractId, holder);
        }
    }

    /// <summary>
    /// Takes the contract's sealing lease for <paramref name="holder"/> (null: go on and seal), or,
    /// while another sealer holds it, waits up to <see cref="SealingOptions.LeaseWait"/> for that
    /// sealer's PDF and returns it; when the wait ends first, answers that the contract is being
    /// sealed elsewhere (<see cref="ErrorKind.Unavailable"/>: try again later). With no such
    /// contract, or one already sealed, it returns null too and the sealing itself answers.
    /// </summary>
    private async Task<Outcome<DocumentSummary>?> TakeLeaseAsync(Guid contractId, string holder, CancellationToken cancellationToken)
    {
        var polls = (int)Math.Ceiling(options.Value.LeaseWait / LeasePollInterval);
        for (var poll = 0; ; poll++)
        {
            try
            {
                await using var db = await databases.CreateDbContextAsync(cancellationToken);
                var now = time.GetUtcNow();
                if (await SealingLease.TryTakeAsync(db, contractId, holder, now, now + options.Value.LeaseDuration, cancellationToken))
                {
                    return null;
                }

                var state = await db.Contracts.AsNoTracking()
                    .Where(c => c.Id == contractId)
                    .Select(c => new { c.Reference, c.SealingLeaseUntil, Sealed = c.Documents.Any(d => d.Kind == DocumentKind.Sealed) })
                    .SingleOrDefaultAsync(cancellationToken);
                if (state is null || state.Sealed)
                {
                    return null;
                }

                if (poll >= polls)
                {
                    logger.LogInformation("Contract {Reference} ({ContractId}) is being sealed by another sealer until {LeaseUntil}", state.Reference, contractId, state.SealingLeaseUntil);
                    return new OperationError(ErrorKind.Unavailable, $"{state.Reference} is being sealed by another server right now; its sealed PDF will be there in a moment. Try again then.");
                }
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                logger.LogError(e, "Taking the sealing lease of contract {ContractId} failed", contractId);
                return DatabaseUnavailable();
            }

            await Task.Delay(LeasePollInterval, cancellationToken);
        }
    }

    /// <summary>Releases <paramref name="holder"/>'s lease whatever happened; a failure only delays other sealers until the lease ends.</summary>
    private async Task ReleaseLeaseAsync(Guid contractId, string holder)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await SealingLease.ReleaseAsync(db, contractId, holder, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            logger.LogWarning(e, "Releasing the sealing lease of contract {ContractId} failed; it ends by itself within {LeaseDuration}", contractId, options.Value.LeaseDuration);
        }
    }

    /// <summary>
    /// The first half of <see cref="SealAsync(Guid, CancellationToken)"/>: the existing sealed PDF,
    /// or a new one built in memory (nothing stored yet).
    /// </summary>
    internal async Task<Outcome<PreparedSeal>> PrepareAsync(Guid contractId, CancellationToken cancellationToken)
    {
        SealSources sources;
        try
        {
            var loaded = await LoadAsync(contractId, cancellationToken);
            if (!loaded.Succeeded)
            {
                return loaded.Error!;
            }

            if (loaded.Value!.Existing is { } existing)
            {
                return new PreparedSeal(existing, null);
            }

            sources = loaded.Value.Sources!;
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(e, "Reading contract {ContractId} to seal it failed", contractId);
            return DatabaseUnavailable();
        }

        var documents = await ReadDocumentsAsync(sources, cancellationToken);
        if (!documents.Succeeded)
        {
            return documents.Error!;
        }

        if (await CheckExpansionAsync(sources, documents.Value!, cancellationToken) is { } tooLarge)
        {
            return tooLarge;
        }

        SealingCertificate certificate;
        try
        {
            certificate = await certificates.GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or CryptographicException or DbException or DbUpdateException)
        {
            logger.LogError(e, "The sealing certificate is not available; contract {ContractId} was not sealed", contractId);
            return new OperationError(ErrorKind.Unavailable, "The sealing certificate is not available right now; nothing was sealed. Try again in a moment.");
        }

        // Kept to what both databases store, so the time the session hears is the time read back later.
        var sealedAt = AuditTrail.Normalize(time.GetUtcNow());
        var contract = sources.Contract;
        logger.LogInformation("Building the sealed PDF of contract {Reference} ({ContractId})", contract.Reference, contract.Id);
        var verificationUrl = publicUrl.Resolve("verify").AbsoluteUri;
        List<BurnedField> burned;
        List<CertificateField> listed;
        List<CertificateEvent> timeline;
        using (Languages.Use(contract.Language))
        {
            (burned, listed) = FieldsOf(sources);
            timeline = sources.Events.Select(e => new CertificateEvent(e.At, TimelineLine(e, sources.Names))).ToList();
        }

        var certificateOfCompletion = new CertificateOfCompletion(
            contract.Id,
            contract.Reference,
            contract.Title,
            new CertificateParty(contract.Customer!.FullName, contract.Customer.Email),
            new CertificateParty(contract.Advisor!.DisplayName, contract.Advisor.Email ?? ""),
            contract.SignedAt,
            sealedAt,
            sources.Signatures.Select(s => new CertificateSignature(
                s.Role.ToString(), s.FullName, s.SignerEmail, s.SignedAt, s.IpAddress, s.UserAgent, s.ConsentSha256, s.Image, s.FieldValuesSha256, s.IdentityCheck)).ToList(),
            sources.Documents.Select(d => new CertificateDocument(d.FileName, d.PageCount, d.PinnedSha256!)).ToList(),
            listed,
            timeline,
            new CertificateAuditChain(sources.Chain.Events, sources.Chain.HeadHash, sources.Chain.Problem),
            verificationUrl,
            certificate.Certificate.Subject,
            certificate.Thumbprint,
            contract.Language);

        byte[] sealedPdf;
        int pages;
        try
        {
            var (unsigned, pageCount) = SealedPdfComposer.Compose(documents.Value!, burned, certificateOfCompletion, fonts);
            var text = new SealSignatureText(
                certificate.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
                $"Contract {contract.Reference} (id {contract.Id:D}), signed by all parties, sealed by LiveContract",
                options.Value.Organisation.Trim(),
                verificationUrl);
            sealedPdf = PdfSealSignature.Sign(unsigned, certificate, text, sealedAt);
            pages = pageCount;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            logger.LogError(e, "Building the sealed PDF of contract {Reference} ({ContractId}) failed", contract.Reference, contract.Id);
            return new OperationError(ErrorKind.Conflict, $"The sealed PDF of {contract.Reference} could not be built; nothing was sealed. The server log has the details.");
        }

        return new PreparedSeal(null, new NewSeal(
            contract.Id,
            contract.Reference,
            contract.AdvisorId,
            sealedPdf,
            pages,
            Convert.ToHexStringLower(SHA256.HashData(sealedPdf)),
            certificate.Thumbprint,
            sealedAt));
    }

    /// <summary>
    /// The second half: stores the bytes under a new key, then inserts the document row and the
    /// audit event in one transaction. Losing the race to another sealer deletes the stored bytes
    /// and returns the winner; any failure deletes them too.
    /// </summary>
    internal async Task<Outcome<DocumentSummary>> CommitAsync(NewSeal seal, CancellationToken cancellationToken)
    {
        string storageKey;
        try
        {
            storageKey = await storage.SaveAsync(new MemoryStream(seal.Pdf, writable: false), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Storing the sealed PDF of contract {Reference} ({ContractId}) failed", seal.Reference, seal.ContractId);
            return new OperationError(ErrorKind.Unavailable, "The document store could not save the sealed PDF; nothing was kept. Try again in a moment.");
        }

        // From here on the bytes are stored: the row and the audit event are written whatever the
        // caller's cancellation says (a shutdown must not abandon a commit half-acknowledged), and
        // the bytes are deleted only when no row can refer to them.
        var document = new Document
        {
            Id = Guid.NewGuid(),
            ContractId = seal.ContractId,
            FileName = SealedDocuments.FileNameOf(seal.Reference),
            Size = seal.Pdf.Length,
            PageCount = seal.Pages,
            Sha256 = seal.Sha256,
            StorageKey = storageKey,
            Kind = DocumentKind.Sealed,
            UploadedById = seal.AdvisorId,
            UploadedAt = seal.SealedAt,
        };
        var progress = new InsertProgress();
        var kept = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    progress.CommitStarted = false;
                    await InsertAsync(document, seal, progress, CancellationToken.None);
                    kept = true;
                    logger.LogInformation(
                        "Sealed contract {Reference} ({ContractId}): {Pages} pages, SHA-256 {Sha256}, certificate {Thumbprint}",
                        seal.Reference, seal.ContractId, seal.Pages, seal.Sha256, seal.CertificateThumbprint);
                    await sessions.ContractSealedAsync(seal.ContractId, new SessionSealedPdf(document.Id, seal.SealedAt));
                    return ContractService.ToSummary(document);
                }
                catch (Exception e) when (e is DbUpdateException or DbException)
                {
                    var lookup = await FindSealedAsync(seal.ContractId);
                    if (lookup.Document is { } winner)
                    {
                        if (winner.Id == document.Id)
                        {
                            // The commit reached the database but its acknowledgement was lost: the row is ours.
                            kept = true;
                            logger.LogWarning(e, "Recording the sealed PDF of contract {Reference} ({ContractId}) reported a failure, but the database has it", seal.Reference, seal.ContractId);
                            await sessions.ContractSealedAsync(seal.ContractId, new SessionSealedPdf(document.Id, seal.SealedAt));
                        }
                        else
                        {
                            logger.LogInformation("Contract {Reference} ({ContractId}) was sealed by another sealer at the same time; using that sealed PDF", seal.Reference, seal.ContractId);
                        }

                        return winner;
                    }

                    if (!lookup.Answered && progress.CommitStarted)
                    {
                        // Whether the commit happened cannot be told: keep the bytes rather than risk a row without them.
                        kept = true;
                        logger.LogError(
                            e,
                            "Recording the sealed PDF of contract {Reference} ({ContractId}) failed during the commit and the database cannot be asked whether it happened; the stored bytes {StorageKey} are kept",
                            seal.Reference, seal.ContractId, storageKey);
                        return DatabaseUnavailable();
                    }

                    if (attempt == CommitAttempts)
                    {
                        logger.LogError(e, "Recording the sealed PDF of contract {Reference} ({ContractId}) failed", seal.Reference, seal.ContractId);
                        return DatabaseUnavailable();
                    }
                }
            }
        }
        finally
        {
            if (!kept && (!progress.CommitStarted || !await MayBeRecordedAsync(seal.ContractId, document.Id)))
            {
                await DeleteBlobAsync(storageKey);
            }
        }
    }

    /// <summary>After an unexpected failure during the commit: whether the row may be there (ours is, or the database cannot tell).</summary>
    private async Task<bool> MayBeRecordedAsync(Guid contractId, Guid documentId)
    {
        var lookup = await FindSealedAsync(contractId);
        return !lookup.Answered || lookup.Document?.Id == documentId;
    }

    private async Task InsertAsync(Document document, NewSeal seal, InsertProgress progress, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Documents.Add(document);
        await AuditTrail.AppendAsync(
            db,
            AuditStreams.Contract(seal.ContractId),
            AuditEventTypes.ContractSealed,
            AuditActor.System,
            new
            {
                documentId = document.Id,
                fileName = document.FileName,
                sha256 = seal.Sha256,
                pages = seal.Pages,
                certificateThumbprint = seal.CertificateThumbprint,
            },
            seal.SealedAt,
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        progress.CommitStarted = true;
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<Outcome<LoadedContract>> LoadAsync(Guid contractId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking()
            .Include(c => c.Customer)
            .Include(c => c.Advisor)
            .Include(c => c.Documents)
            .AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
        if (contract is null)
        {
            return OperationError.NotFound("That contract");
        }

        if (contract.Documents.SingleOrDefault(d => d.Kind == DocumentKind.Sealed) is { } sealedDocument)
        {
            return new LoadedContract(ContractService.ToSummary(sealedDocument), null);
        }

        if (contract.Status != ContractStatus.Signed)
        {
            return Refused($"{contract.Reference} is not signed yet: it is sealed once every required signer has signed.");
        }

        var documents = contract.Documents.OriginalsInContractOrder();
        if (documents.Count == 0)
        {
            return Refused($"{contract.Reference} has no documents to seal.");
        }

        if (documents.FirstOrDefault(d => d.PinnedSha256 is null || d.PinnedSha256 != d.Sha256) is { } changed)
        {
            return NotAsReviewed(contract, changed);
        }

        var signatures = await db.Signatures.AsNoTracking().Where(s => s.ContractId == contractId).ToListAsync(cancellationToken);
        signatures = signatures.OrderBy(s => s.SignedAt).ThenBy(s => s.Role).ToList();
        if (CheckSignatures(contract, documents, signatures) is { } refused)
        {
            return refused;
        }

        var stream = AuditStreams.Contract(contractId);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        var chain = await AuditTrail.VerifyAsync(db, stream, cancellationToken);
        var names = await AuditActorNames.LoadAsync(db, events, cancellationToken);
        if (!chain.IsOk)
        {
            logger.LogWarning("The audit chain of contract {Reference} ({ContractId}) does not verify: {Problem}", contract.Reference, contractId, chain.Problem);
        }

        var (fields, values) = await ContractFieldValues.LoadAsync(db, contractId, cancellationToken);
        var setters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [contract.CustomerId.ToString("D")] = contract.Customer!.FullName,
            [contract.AdvisorId] = contract.Advisor!.DisplayName,
        };
        var others = values.Values.Select(v => v.SetById).Where(id => !setters.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var user in await db.Users.AsNoTracking().Where(u => others.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken))
            {
                setters[user.Id] = user.DisplayName;
            }
        }

        return new LoadedContract(null, new SealSources(contract, documents, signatures, fields, values, setters, events, names, chain));
    }

    /// <summary>
    /// The contract's fields in reading order (document, page, top to bottom, left to right): what
    /// to print on the pages, and how the certificate lists them. A signature spot shows the drawn
    /// signature of its party's signer; a field on a document that is not sealed is left out. Read
    /// in the contract's culture: a date or number prints as the language writes it, while the
    /// certificate lists the stored value (what the signatures' hashes cover) with that writing beside it.
    /// </summary>
    private static (List<BurnedField> Burned, List<CertificateField> Listed) FieldsOf(SealSources sources)
    {
        var burned = new List<BurnedField>();
        var listed = new List<CertificateField>();
        var documents = sources.Documents.Select((d, i) => (d.Id, Index: i)).ToDictionary(d => d.Id, d => d.Index);
        foreach (var field in sources.Fields.Where(f => documents.ContainsKey(f.DocumentId)))
        {
            var index = documents[field.DocumentId];
            var box = field.Box;
            var fileName = sources.Documents[index].FileName;
            var party = field.Party.ToString();
            if (field.Kind == FieldKind.SignatureSpot)
            {
                var role = field.Party == FieldParty.Customer ? SignerRole.Customer : SignerRole.Advisor;
                var signature = sources.Signatures.FirstOrDefault(s => s.Role == role);
                burned.Add(new BurnedField(index, field.Page, box, field.Kind, signature?.FullName ?? "", signature?.Image));
                listed.Add(new CertificateField(
                    fileName, field.Page, field.Label, party, signature is null ? "—" : L("Certificate.SignedBy", signature.FullName), signature?.FullName, signature?.SignedAt));
                continue;
            }

            var value = sources.Values.GetValueOrDefault(field.Id);
            var text = value?.Value ?? "";
            var written = FieldValueFormats.Display(field.Kind, text, CultureInfo.CurrentCulture);
            burned.Add(new BurnedField(index, field.Page, box, field.Kind, written));
            var shown = field.Kind == FieldKind.Checkbox
                ? (text == "true" ? L("Certificate.Ticked") : "—")
                : (string.IsNullOrWhiteSpace(text) ? "—" : written == text ? text : $"{text} ({written})");
            listed.Add(new CertificateField(
                fileName,
                field.Page,
                field.Label,
                party,
                shown,
                value is null ? null : sources.Setters.GetValueOrDefault(value.SetById, AuditActorNames.UnknownName),
                value?.SetAt));
        }

        return (burned, listed);
    }

    /// <summary>Every required signer signed, and each signed exactly the documents pinned at Review.</summary>
    private static OperationError? CheckSignatures(Contract contract, List<Document> documents, List<Signature> signatures)
    {
        var missing = SignatureRules.RequiredSigners(contract).Where(role => signatures.All(s => s.Role != role)).ToList();
        if (missing.Count > 0)
        {
            return Refused($"{contract.Reference} has no {missing[0].ToString().ToLowerInvariant()} signature, so it cannot be sealed.");
        }

        var pinned = documents.Select(d => d.PinnedSha256!).Order(StringComparer.Ordinal).ToList();
        foreach (var signature in signatures)
        {
            if (!SignedHashes(signature.DocumentHashes).Order(StringComparer.Ordinal).SequenceEqual(pinned))
            {
                return Refused(
                    $"The {signature.Role.ToString().ToLowerInvariant()} signature of {contract.Reference} covers other documents than the ones pinned at Review; nothing was sealed.");
            }
        }

        return null;
    }

    /// <summary>The <c>sha256</c> of each entry of a signature's <see cref="Signature.DocumentHashes"/>; empty when it cannot be read.</summary>
    private static List<string> SignedHashes(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.EnumerateArray()
                .Select(entry => entry.EnumerateObject().FirstOrDefault(p => p.Name.Equals("sha256", StringComparison.OrdinalIgnoreCase)).Value)
                .Select(value => value.ValueKind == JsonValueKind.String ? value.GetString()! : "")
                .ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Each document's bytes from the store, checked against the hash pinned at Review.</summary>
    private async Task<Outcome<List<byte[]>>> ReadDocumentsAsync(SealSources sources, CancellationToken cancellationToken)
    {
        var contents = new List<byte[]>();
        foreach (var document in sources.Documents)
        {
            using var buffer = new MemoryStream(checked((int)document.Size));
            try
            {
                await storage.CopyToAsync(document.StorageKey, buffer, cancellationToken);
            }
            catch (DocumentIntegrityException)
            {
                return NotAsReviewed(sources.Contract, document);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reading document {DocumentId} of contract {ContractId} to seal it failed", document.Id, document.ContractId);
                return new OperationError(ErrorKind.Unavailable, $"The document store could not return '{document.FileName}'; nothing was sealed. Try again in a moment.");
            }

            var bytes = buffer.ToArray();
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != document.PinnedSha256)
            {
                return NotAsReviewed(sources.Contract, document);
            }

            contents.Add(bytes);
        }

        return contents;
    }

    /// <summary>
    /// Refuses, for good, documents over the limits of what a PDF may expand to (uploads are checked
    /// against them; a document stored before, or under larger limits, is caught here before PdfPig
    /// inflates anything). The refusal is recorded once on the contract's audit trail
    /// (<see cref="AuditEventTypes.SealingRefused"/>), which keeps the background sealer from trying
    /// it again at every start; a failure to record it only means the next start checks again.
    /// </summary>
    private async Task<OperationError?> CheckExpansionAsync(SealSources sources, List<byte[]> contents, CancellationToken cancellationToken)
    {
        var limits = documentOptions.Value.ExpansionLimits;
        for (var index = 0; index < contents.Count; index++)
        {
            using var pdf = new MemoryStream(contents[index], writable: false);
            if (PdfInspector.CheckExpansion(pdf, limits) is not { } refused)
            {
                continue;
            }

            var contract = sources.Contract;
            var document = sources.Documents[index];
            var reason = $"'{document.FileName}' is over the limits of what a document may expand to. {refused.Message}";
            logger.LogError("Contract {Reference} ({ContractId}) cannot be sealed: {Reason}", contract.Reference, contract.Id, reason);
            try
            {
                await RecordRefusalAsync(contract.Id, document, reason, cancellationToken);
            }
            catch (Exception e) when (DatabaseFailures.Is(e))
            {
                logger.LogWarning(e, "Recording that contract {ContractId} cannot be sealed failed; the next start checks it again", contract.Id);
            }

            return Refused($"{contract.Reference} cannot be sealed: {reason} Nothing was sealed, and it is not retried by itself.");
        }

        return null;
    }

    /// <summary>Appends <see cref="AuditEventTypes.SealingRefused"/> unless the contract's trail already has one.</summary>
    private Task RecordRefusalAsync(Guid contractId, Document document, string reason, CancellationToken cancellationToken) =>
        AuditWrites.RunOrThrowAsync(
            databases,
            async db =>
            {
                var stream = AuditStreams.Contract(contractId);
                if (await db.AuditEvents.AnyAsync(e => e.Stream == stream && e.Type == AuditEventTypes.SealingRefused, cancellationToken))
                {
                    return 0;
                }

                await AuditTrail.AppendAsync(
                    db,
                    stream,
                    AuditEventTypes.SealingRefused,
                    AuditActor.System,
                    new { documentId = document.Id, fileName = document.FileName, reason },
                    time.GetUtcNow(),
                    cancellationToken);
                return await db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);

    /// <summary>The contract's sealed PDF, if any; <c>Answered</c> is false when the database could not be asked.</summary>
    private async Task<(bool Answered, DocumentSummary? Document)> FindSealedAsync(Guid contractId)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            var document = await db.Documents.AsNoTracking()
                .SingleOrDefaultAsync(d => d.ContractId == contractId && d.Kind == DocumentKind.Sealed, CancellationToken.None);
            return (true, document is null ? null : ContractService.ToSummary(document));
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Looking for the sealed PDF of contract {ContractId} failed", contractId);
            return (false, null);
        }
    }

    private async Task DeleteBlobAsync(string storageKey)
    {
        try
        {
            await storage.DeleteAsync(storageKey, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Deleting the unused sealed PDF {StorageKey} failed; it is encrypted and no row refers to it", storageKey);
        }
    }

    /// <summary>One line of the timeline in the current UI culture (the contract's language): what happened, then who (name, role, IP address).</summary>
    private static string TimelineLine(AuditEvent audit, AuditActorNames names)
    {
        var what = AuditDescriptions.Describe(audit.Type, audit.Data);
        if (audit.ActorId is null)
        {
            return $"{what} · {AuditActorNames.SystemName}";
        }

        var where = string.IsNullOrEmpty(audit.IpAddress) ? "" : $", {audit.IpAddress}";
        return $"{what} · {names.NameOf(audit)} ({AuditDescriptions.Role(audit.ActorRole)}{where})";
    }

    /// <summary>A text of the certificate in the current UI culture (the contract's language).</summary>
    private static string L(string key, params object[] arguments) => CustomerText.Standalone[key, arguments].Value;

    private static OperationError NotAsReviewed(Contract contract, Document document) =>
        Refused($"'{document.FileName}' of {contract.Reference} is not the document that was reviewed: its SHA-256 differs from the one pinned at Review. Nothing was sealed.");

    private static OperationError Refused(string message) => new(ErrorKind.Conflict, message);

    private static OperationError DatabaseUnavailable() =>
        new(ErrorKind.Unavailable, "The database is not available right now; nothing was sealed. Try again in a moment.");

    /// <summary>What <see cref="PrepareAsync"/> found: the existing sealed PDF, or a new one to commit.</summary>
    internal sealed record PreparedSeal(DocumentSummary? Existing, NewSeal? Seal);

    /// <summary>A sealed PDF built but not yet stored.</summary>
    internal sealed record NewSeal(
        Guid ContractId,
        string Reference,
        string AdvisorId,
        byte[] Pdf,
        int Pages,
        string Sha256,
        string CertificateThumbprint,
        DateTimeOffset SealedAt);

    /// <summary>How far <see cref="InsertAsync"/> got: once the commit is sent, the row may exist even if it throws.</summary>
    private sealed class InsertProgress
    {
        public bool CommitStarted { get; set; }
    }

    private sealed record LoadedContract(DocumentSummary? Existing, SealSources? Sources);

    private sealed record SealSources(
        Contract Contract,
        List<Document> Documents,
        List<Signature> Signatures,
        IReadOnlyList<FieldDefinition> Fields,
        IReadOnlyDictionary<Guid, FieldValue> Values,
        Dictionary<string, string> Setters,
        List<AuditEvent> Events,
        AuditActorNames Names,
        ChainCheck Chain);
}
