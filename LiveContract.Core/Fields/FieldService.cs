using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Fields;

/// <summary>
/// The fields of a contract's documents: listing them for the contract's advisor, an admin, or a
/// participant of its live session, and placing, changing and removing them, which only the
/// contract's own advisor may do and only while the contract is a draft. Each change checks the
/// field with <see cref="FieldDefinitionRules"/> against the real page (its crop box, read from the
/// stored PDF), touches the contract (its version grows) and writes its audit event
/// (<c>field.added</c>, <c>field.changed</c>, <c>field.removed</c>) in the same transaction.
/// </summary>
public sealed class FieldService(
    IDbContextFactory<LiveContractDbContext> databases,
    EncryptedDocumentStorage storage,
    LiveSessionService sessions,
    LiveSessionNotifier liveSessions,
    TimeProvider time,
    ILogger<FieldService> logger)
{
    private static readonly OperationError Concurrent =
        new(ErrorKind.Conflict, "The contract was changed by someone else at the same time. Reload it and try again.");

    private static readonly OperationError FormFieldStays =
        new(ErrorKind.Invalid, "A field found in the PDF's own form stays on its document; remove it and place a new field on the other document instead.");

    /// <summary>The contract's fields in reading order (see <see cref="LoadAsync"/>), for its advisor or an admin.</summary>
    public async Task<Outcome<IReadOnlyList<FieldDefinition>>> ListAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            return OperationError.NotFound("That contract");
        }

        return Listed(await LoadAsync(db, contractId, cancellationToken));
    }

    /// <summary>One field of the contract, for its advisor or an admin; a field of another contract is not found.</summary>
    public async Task<Outcome<FieldDefinition>> GetAsync(Actor actor, Guid contractId, Guid fieldId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            return OperationError.NotFound("That contract");
        }

        var field = await db.Fields.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fieldId && f.ContractId == contractId, cancellationToken);
        return field is null ? OperationError.NotFound("That field") : FieldDefinition.From(field);
    }

    /// <summary>
    /// The fields of the session's contract, for a participant of the live session: the customer
    /// while their link works (as <see cref="LiveSessionService.AuthorizeAsync"/> decides), the
    /// contract's advisor or an admin as on the contract page.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<FieldDefinition>>> ListForSessionAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        Guid? contractId;
        switch (caller)
        {
            case SessionCaller.Staff staff:
                contractId = await db.LiveSessions.VisibleTo(staff.Actor).Where(s => s.Id == sessionId).Select(s => (Guid?)s.ContractId).SingleOrDefaultAsync(cancellationToken);
                break;

            case SessionCaller.Customer:
                if (await sessions.AuthorizeAsync(caller, sessionId, cancellationToken) is { } refused)
                {
                    return refused;
                }

                contractId = await db.LiveSessions.Where(s => s.Id == sessionId).Select(s => (Guid?)s.ContractId).SingleAsync(cancellationToken);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller.");
        }

        return contractId is null
            ? LiveSessionErrors.UnknownSession
            : Listed(await LoadAsync(db, contractId.Value, cancellationToken));
    }

    /// <summary>
    /// Every field of the contract's documents, without any check of who asks (for the live
    /// session and sealing, which have authorized their caller): in contract order of the documents,
    /// then by page, then top to bottom (the higher top edge first), then left to right.
    /// </summary>
    public static async Task<IReadOnlyList<FieldDefinition>> LoadAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var documents = await db.Documents.AsNoTracking().Where(d => d.ContractId == contractId).ToListAsync(cancellationToken);
        var order = documents.InContractOrder().Select((d, index) => (d.Id, index)).ToDictionary(p => p.Id, p => p.index);
        var fields = await db.Fields.AsNoTracking().Where(f => f.ContractId == contractId).ToListAsync(cancellationToken);
        return fields
            .OrderBy(f => order.GetValueOrDefault(f.DocumentId, int.MaxValue))
            .ThenBy(f => f.Page)
            .ThenByDescending(f => f.Bottom + f.Height)
            .ThenBy(f => f.Left)
            .ThenBy(f => f.CreatedAt)
            .ThenBy(f => f.Id)
            .Select(FieldDefinition.From)
            .ToList();
    }

    /// <summary>Places a new field on a page of one of the contract's documents.</summary>
    public async Task<Outcome<FieldDefinition>> CreateAsync(Actor actor, Guid contractId, FieldDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        var checkedDraft = await CheckDraftAsync(actor, contractId, draft, cancellationToken);
        if (!checkedDraft.Succeeded)
        {
            return checkedDraft.Error!;
        }

        return await WriteAsync(actor, contractId, async (db, contract, now) =>
        {
            if (!await db.Documents.AnyAsync(d => d.Id == draft.DocumentId && d.ContractId == contractId && d.Kind == DocumentKind.Original, cancellationToken))
            {
                return OperationError.NotFound("That document");
            }

            var field = new Field
            {
                Id = Guid.NewGuid(),
                ContractId = contractId,
                Source = FieldSource.Placed,
                CreatedAt = now,
            };
            Apply(field, draft, now);
            db.Fields.Add(field);
            await AppendAsync(db, contract, actor, AuditEventTypes.FieldAdded, Describe(field, checkedDraft.Value!), now, cancellationToken);
            return field;
        }, cancellationToken);
    }

    /// <summary>Changes every property of the contract's field <paramref name="fieldId"/> to what <paramref name="draft"/> says.</summary>
    public async Task<Outcome<FieldDefinition>> UpdateAsync(Actor actor, Guid contractId, Guid fieldId, FieldDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        var checkedDraft = await CheckDraftAsync(actor, contractId, draft, cancellationToken);
        if (!checkedDraft.Succeeded)
        {
            return checkedDraft.Error!;
        }

        return await WriteAsync(actor, contractId, async (db, contract, now) =>
        {
            var field = await db.Fields.SingleOrDefaultAsync(f => f.Id == fieldId && f.ContractId == contractId, cancellationToken);
            if (field is null)
            {
                return OperationError.NotFound("That field");
            }

            if (field.Source == FieldSource.PdfForm && field.DocumentId != draft.DocumentId)
            {
                return FormFieldStays;
            }

            if (!await db.Documents.AnyAsync(d => d.Id == draft.DocumentId && d.ContractId == contractId && d.Kind == DocumentKind.Original, cancellationToken))
            {
                return OperationError.NotFound("That document");
            }

            var before = FieldDefinition.From(field);
            Apply(field, draft, now);
            var after = FieldDefinition.From(field);
            var data = Describe(field, checkedDraft.Value!);
            data["changed"] = ChangedProperties(before, after);
            await AppendAsync(db, contract, actor, AuditEventTypes.FieldChanged, data, now, cancellationToken);
            return field;
        }, cancellationToken);
    }

    /// <summary>Removes the contract's field <paramref name="fieldId"/>; returns it as it was.</summary>
    public async Task<Outcome<FieldDefinition>> DeleteAsync(Actor actor, Guid contractId, Guid fieldId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await WriteAsync(actor, contractId, async (db, contract, now) =>
        {
            var field = await db.Fields.SingleOrDefaultAsync(f => f.Id == fieldId && f.ContractId == contractId, cancellationToken);
            if (field is null)
            {
                return OperationError.NotFound("That field");
            }

            var fileName = await db.Documents.Where(d => d.Id == field.DocumentId).Select(d => d.FileName).SingleAsync(cancellationToken);
            db.Fields.Remove(field);
            await AppendAsync(db, contract, actor, AuditEventTypes.FieldRemoved, Describe(field, fileName), now, cancellationToken);
            return field;
        }, cancellationToken);
    }

    /// <summary>The field as the audit trail records it.</summary>
    private static Dictionary<string, object?> Describe(Field field, string fileName) => new()
    {
        ["fieldId"] = field.Id,
        ["documentId"] = field.DocumentId,
        ["fileName"] = fileName,
        ["page"] = field.Page,
        ["kind"] = field.Kind.ToString(),
        ["label"] = field.Label,
        ["party"] = field.Party.ToString(),
        ["required"] = field.Required,
        ["source"] = field.Source.ToString(),
    };

    private static Outcome<IReadOnlyList<FieldDefinition>> Listed(IReadOnlyList<FieldDefinition> fields) => new(fields, null);

    private static void Apply(Field field, FieldDraft draft, DateTimeOffset now)
    {
        var rules = draft.Rules ?? FieldRuleSet.None;
        field.DocumentId = draft.DocumentId;
        field.Page = draft.Page;
        field.Left = draft.Box.Left;
        field.Bottom = draft.Box.Bottom;
        field.Width = draft.Box.Width;
        field.Height = draft.Box.Height;
        field.Kind = draft.Kind;
        field.Label = draft.Label.Trim();
        field.Party = draft.Party;
        field.Required = draft.Required;
        field.MaxLength = rules.MaxLength;
        field.MinDate = rules.MinDate;
        field.MaxDate = rules.MaxDate;
        field.MinNumber = rules.MinNumber;
        field.MaxNumber = rules.MaxNumber;
        field.Pattern = string.IsNullOrEmpty(rules.Pattern) ? null : rules.Pattern;
        field.PatternMessage = field.Pattern is null ? null : rules.PatternMessage?.Trim();
        field.Options = (draft.Options ?? []).Select(o => o.Trim()).ToList();
        field.UpdatedAt = now;
    }

    private static List<string> ChangedProperties(FieldDefinition before, FieldDefinition after)
    {
        var changed = new List<string>();
        void Compare(string name, bool same)
        {
            if (!same)
            {
                changed.Add(name);
            }
        }

        Compare("document", before.DocumentId == after.DocumentId);
        Compare("page", before.Page == after.Page);
        Compare("box", before.Box == after.Box);
        Compare("kind", before.Kind == after.Kind);
        Compare("label", before.Label == after.Label);
        Compare("party", before.Party == after.Party);
        Compare("required", before.Required == after.Required);
        Compare("rules", before.Rules == after.Rules);
        Compare("options", before.Options.SequenceEqual(after.Options));
        return changed;
    }

    /// <summary>
    /// Checks the caller, the contract's state, the document and the draft against the real page,
    /// before any transaction (reading the PDF takes a moment); answers the document's file name.
    /// The write checks the caller and the state again.
    /// </summary>
    private async Task<Outcome<string>> CheckDraftAsync(Actor actor, Guid contractId, FieldDraft draft, CancellationToken cancellationToken)
    {
        Document? document;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var contract = await db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
            if (contract is null)
            {
                return OperationError.NotFound("That contract");
            }

            if (ContractRules.CanChangeFields(contract, actor) is { } refused)
            {
                return refused;
            }

            document = await db.Documents.AsNoTracking()
                .SingleOrDefaultAsync(d => d.Id == draft.DocumentId && d.ContractId == contractId && d.Kind == DocumentKind.Original, cancellationToken);
        }

        if (document is null)
        {
            return draft.DocumentId == Guid.Empty
                ? new OperationError(ErrorKind.Invalid, "Say which of the contract's documents the field goes on.")
                : OperationError.NotFound("That document");
        }

        if (draft.Box is null)
        {
            return FieldDefinitionRules.CheckBox(null, new FieldBox(0, 0, 0, 0))!;
        }

        if (FieldDefinitionRules.CheckPage(draft.Page, document.PageCount) is { } wrongPage)
        {
            return wrongPage;
        }

        var area = await ReadPageAreaAsync(document, draft.Page, cancellationToken);
        if (!area.Succeeded)
        {
            return area.Error!;
        }

        return FieldDefinitionRules.Check(draft, document.PageCount, area.Value!) is { } invalid ? invalid : document.FileName;
    }

    private async Task<Outcome<FieldBox>> ReadPageAreaAsync(Document document, int page, CancellationToken cancellationToken)
    {
        try
        {
            using var pdf = new MemoryStream(checked((int)document.Size));
            await storage.CopyToAsync(document.StorageKey, pdf, cancellationToken);
            pdf.Position = 0;
            return PdfPageArea.Read(pdf, page);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Reading page {Page} of document {DocumentId} to check a field's box failed", page, document.Id);
            return new OperationError(ErrorKind.Unavailable, "The document could not be read to check where the field goes; nothing was changed. Try again in a moment.");
        }
    }

    /// <summary>
    /// Runs one change of a field in a transaction with its audit event, after checking the caller
    /// and the contract's state again; once committed, the contract's open live session gets the new fields.
    /// </summary>
    private async Task<Outcome<FieldDefinition>> WriteAsync(
        Actor actor,
        Guid contractId,
        Func<LiveContractDbContext, Contract, DateTimeOffset, Task<Outcome<Field>>> change,
        CancellationToken cancellationToken)
    {
        Outcome<FieldDefinition> written;
        try
        {
            written = await AuditWrites.RunAsync<FieldDefinition>(
                databases,
                async db =>
                {
                    var contract = await db.Contracts.VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
                    if (contract is null)
                    {
                        return OperationError.NotFound("That contract");
                    }

                    if (ContractRules.CanChangeFields(contract, actor) is { } refused)
                    {
                        return refused;
                    }

                    var now = time.GetUtcNow();
                    var changed = await change(db, contract, now);
                    if (!changed.Succeeded)
                    {
                        return changed.Error!;
                    }

                    contract.Touch(now);
                    await db.SaveChangesAsync(cancellationToken);
                    return FieldDefinition.From(changed.Value!);
                },
                cancellationToken,
                alsoOnVersionConflict: true);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Concurrent;
        }

        if (written.Succeeded)
        {
            await liveSessions.FieldsChangedAsync(actor, contractId);
        }

        return written;
    }

    private static Task AppendAsync(LiveContractDbContext db, Contract contract, Actor actor, string type, object data, DateTimeOffset now, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(db, AuditStreams.Contract(contract.Id), type, AuditActor.For(actor), data, now, cancellationToken);
}
