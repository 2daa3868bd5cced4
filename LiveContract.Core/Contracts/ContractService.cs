using System.ComponentModel.DataAnnotations;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Contracts;

/// <summary>
/// Creating, finding and moving contracts through their lifecycle. Every call names the actor and
/// sees only what that actor may see: an advisor their own contracts, an admin all. Another
/// advisor's contract is reported as not found. Each change writes its audit event
/// (<see cref="AuditEventTypes"/>) in the same transaction, so a change that fails leaves no event.
/// </summary>
public sealed class ContractService(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time, LiveSessionNotifier liveSessions)
{
    public async Task<Outcome<ContractDetails>> CreateAsync(Actor actor, NewContract request, CancellationToken cancellationToken = default)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var customer = await FindOrAddCustomerAsync(db, request, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var number = await NextNumberAsync(db, now.Year, cancellationToken);
        var contract = new Contract
        {
            Id = Guid.NewGuid(),
            Reference = $"LC-{now.Year}-{number:000000}",
            Title = request.Title.Trim(),
            AdvisorId = actor.UserId,
            CustomerId = customer.Id,
            Status = ContractStatus.Draft,
            AdvisorMustSign = request.AdvisorMustSign,
            Language = request.Language,
            CustomerTimeZone = TimeZoneOrNull(request.CustomerTimeZone),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Contracts.Add(contract);

        // A new stream: nobody else can be appending to it yet.
        await AuditTrail.AppendAsync(
            db,
            AuditStreams.Contract(contract.Id),
            AuditEventTypes.ContractCreated,
            AuditActor.For(actor),
            new
            {
                reference = contract.Reference,
                title = contract.Title,
                customerId = customer.Id,
                customerName = customer.FullName,
                customerEmail = customer.Email,
                advisorMustSign = contract.AdvisorMustSign,
                language = contract.Language,
                customerTimeZone = contract.CustomerTimeZone,
            },
            now,
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(actor, contract.Id, cancellationToken)).Value!;
    }

    public async Task<PagedResult<ContractSummary>> ListAsync(Actor actor, ContractQuery query, CancellationToken cancellationToken = default)
    {
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, ContractQuery.MaxPageSize);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contracts = db.Contracts.AsNoTracking().VisibleTo(actor);
        if (query.Status is { } status)
        {
            contracts = contracts.Where(c => c.Status == status);
        }

        if (actor.IsAdmin && !string.IsNullOrEmpty(query.AdvisorId))
        {
            contracts = contracts.Where(c => c.AdvisorId == query.AdvisorId);
        }

        if (!string.IsNullOrWhiteSpace(query.Search) && IsWholeReference(query.Search.Trim()))
        {
            // A whole reference names one contract: the unique index finds it without reading the others.
            var reference = query.Search.Trim().ToUpperInvariant();
            contracts = contracts.Where(c => c.Reference == reference);
        }
        else if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            contracts = contracts.Where(c =>
                c.Title.ToLower().Contains(term)
                || c.Reference.ToLower().Contains(term)
                || c.Customer!.FullName.ToLower().Contains(term)
                || c.Customer!.Email.Contains(term));
        }

        var total = await contracts.CountAsync(cancellationToken);
        var items = await Sort(contracts, query.Sort, query.Descending)
            .Skip((page - 1) * size)
            .Take(size)
            .Select(c => new ContractSummary(
                c.Id,
                c.Reference,
                c.Title,
                c.Customer!.FullName,
                c.Customer.Email,
                c.Advisor!.DisplayName,
                c.Status,
                c.Documents.Count,
                c.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<ContractSummary>(items, total, page, size);
    }

    /// <summary>Whether <paramref name="term"/> is a whole reference such as <c>LC-2026-000042</c> (any case).</summary>
    private static bool IsWholeReference(string term) =>
        term.Length == 14
        && term.StartsWith("LC-", StringComparison.OrdinalIgnoreCase)
        && term[7] == '-'
        && term.AsSpan(3, 4).IndexOfAnyExceptInRange('0', '9') < 0
        && term.AsSpan(8).IndexOfAnyExceptInRange('0', '9') < 0;

    public async Task<Outcome<ContractDetails>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().VisibleTo(actor)
            .Include(c => c.Customer)
            .Include(c => c.Advisor)
            .Include(c => c.Documents)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return contract is null ? OperationError.NotFound("That contract") : ToDetails(contract);
    }

    /// <summary>
    /// Applies the changes that the rules allow, all or none. Moving to the status a contract already
    /// has succeeds without change, so a repeated click or request is harmless. Records
    /// <c>contract.updated</c> (each changed field's old and new value) and
    /// <c>contract.status_changed</c> with the change.
    /// </summary>
    public async Task<Outcome<ContractDetails>> UpdateAsync(Actor actor, Guid id, ContractChanges changes, CancellationToken cancellationToken = default)
    {
        var applied = await AuditWrites.RunAsync(databases, db => ApplyAsync(db, actor, id, changes, cancellationToken), cancellationToken);
        if (!applied.Succeeded)
        {
            return applied.Error!;
        }

        if (applied.Value is { NewStatus: { } status })
        {
            await liveSessions.StatusChangedAsync(actor, id, status);
        }

        return (await GetAsync(actor, id, cancellationToken)).Value!;
    }

    internal static ContractDetails ToDetails(Contract c) => new(
        c.Id,
        c.Reference,
        c.Title,
        c.Customer!.FullName,
        c.Customer.Email,
        c.AdvisorId,
        c.Advisor!.DisplayName,
        c.Status,
        c.AdvisorMustSign,
        c.Language,
        c.CustomerTimeZone,
        c.CreatedAt,
        c.UpdatedAt,
        c.ReviewStartedAt,
        c.SignedAt,
        c.Version,
        c.Documents.InContractOrder().Select(ToSummary).ToList());

    /// <summary>One attempt at <see cref="UpdateAsync"/> in <paramref name="db"/>; the new status when it changed.</summary>
    private async Task<Outcome<Update>> ApplyAsync(LiveContractDbContext db, Actor actor, Guid id, ContractChanges changes, CancellationToken cancellationToken)
    {
        var contract = await db.Contracts.VisibleTo(actor).Include(c => c.Documents).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contract is null)
        {
            return OperationError.NotFound("That contract");
        }

        if (ContractRules.CanChange(contract.AdvisorId, actor) is { } forbidden)
        {
            return forbidden;
        }

        var now = time.GetUtcNow();
        var stream = AuditStreams.Contract(id);
        var who = AuditActor.For(actor);
        var changed = false;
        ContractStatus? newStatus = null;
        if ((changes.Title is not null && changes.Title.Trim() != contract.Title)
            || (changes.AdvisorMustSign is { } mustSign && mustSign != contract.AdvisorMustSign)
            || (changes.Language is not null && changes.Language != contract.Language)
            || (changes.CustomerTimeZone is not null && TimeZoneOrNull(changes.CustomerTimeZone) != contract.CustomerTimeZone))
        {
            if (ContractRules.CanEditDetails(contract.Status) is { } refused)
            {
                return refused;
            }

            var edits = new Dictionary<string, object>();
            if (changes.Title is not null)
            {
                if (ValidateTitle(changes.Title) is { } invalid)
                {
                    return invalid;
                }

                var title = changes.Title.Trim();
                if (title != contract.Title)
                {
                    edits["title"] = new { from = contract.Title, to = title };
                    contract.Title = title;
                }
            }

            if (changes.AdvisorMustSign is { } countersign && countersign != contract.AdvisorMustSign)
            {
                edits["advisorMustSign"] = new { from = contract.AdvisorMustSign, to = countersign };
                contract.AdvisorMustSign = countersign;
            }

            if (changes.Language is { } language && language != contract.Language)
            {
                if (ContractRules.CheckLanguage(language) is { } unknown)
                {
                    return unknown;
                }

                edits["language"] = new { from = contract.Language, to = language };
                contract.Language = language;
            }

            if (changes.CustomerTimeZone is not null && TimeZoneOrNull(changes.CustomerTimeZone) is var zone && zone != contract.CustomerTimeZone)
            {
                if (zone is not null && ContractRules.CheckTimeZone(zone) is { } unknown)
                {
                    return unknown;
                }

                edits["customerTimeZone"] = new { from = contract.CustomerTimeZone, to = zone };
                contract.CustomerTimeZone = zone;
            }

            await AuditTrail.AppendAsync(db, stream, AuditEventTypes.ContractUpdated, who, edits, now, cancellationToken);
            changed = true;
        }

        if (changes.Status is { } target && target != contract.Status)
        {
            var originals = contract.Documents.Where(d => d.Kind == Documents.DocumentKind.Original).ToList();
            var signatures = await db.Signatures.CountAsync(s => s.ContractId == id, cancellationToken);
            if (ContractRules.CanMove(contract.Status, target, originals.Count, signatures) is { } refused)
            {
                return refused;
            }

            var from = contract.Status;
            contract.Status = target;
            contract.ReviewStartedAt = target == ContractStatus.Review ? now : null;
            foreach (var document in originals)
            {
                document.PinnedSha256 = target == ContractStatus.Review ? document.Sha256 : null;
            }

            await AuditTrail.AppendAsync(
                db,
                stream,
                AuditEventTypes.StatusChanged,
                who,
                new
                {
                    from = from.ToString(),
                    to = target.ToString(),
                    pinnedDocuments = originals
                        .Where(d => d.PinnedSha256 is not null)
                        .OrderBy(d => d.UploadedAt).ThenBy(d => d.FileName)
                        .Select(d => new { documentId = d.Id, fileName = d.FileName, sha256 = d.PinnedSha256 })
                        .ToList(),
                },
                now,
                cancellationToken);
            changed = true;
            newStatus = target;
        }

        if (changed)
        {
            contract.Touch(now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new OperationError(ErrorKind.Conflict, "The contract was changed by someone else at the same time. Reload it and try again.");
            }
        }

        return new Update(newStatus);
    }

    internal static DocumentSummary ToSummary(Documents.Document d) =>
        new(d.Id, d.ContractId, d.FileName, d.Size, d.PageCount, d.Sha256, d.PinnedSha256, d.Kind, d.UploadedAt);

    private static IQueryable<Contract> Sort(IQueryable<Contract> contracts, ContractSort sort, bool descending) => (sort, descending) switch
    {
        (ContractSort.Reference, false) => contracts.OrderBy(c => c.Reference),
        (ContractSort.Reference, true) => contracts.OrderByDescending(c => c.Reference),
        (ContractSort.Title, false) => contracts.OrderBy(c => c.Title).ThenBy(c => c.Reference),
        (ContractSort.Title, true) => contracts.OrderByDescending(c => c.Title).ThenBy(c => c.Reference),
        (ContractSort.Customer, false) => contracts.OrderBy(c => c.Customer!.FullName).ThenBy(c => c.Reference),
        (ContractSort.Customer, true) => contracts.OrderByDescending(c => c.Customer!.FullName).ThenBy(c => c.Reference),
        (ContractSort.Status, false) => contracts.OrderBy(c => c.Status).ThenBy(c => c.Reference),
        (ContractSort.Status, true) => contracts.OrderByDescending(c => c.Status).ThenBy(c => c.Reference),
        (ContractSort.CreatedAt, false) => contracts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Reference),
        (ContractSort.CreatedAt, true) => contracts.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Reference),
        (_, false) => contracts.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Reference),
        _ => contracts.OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Reference),
    };

    /// <summary>The customer with this email, created if new; two creators racing on one email share one customer.</summary>
    private static async Task<Customer> FindOrAddCustomerAsync(LiveContractDbContext db, NewContract request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var email = request.CustomerEmail.Trim().ToLowerInvariant();
        if (await db.Customers.SingleOrDefaultAsync(c => c.Email == email, cancellationToken) is { } existing)
        {
            return existing;
        }

        var customer = new Customer { Id = Guid.NewGuid(), Email = email, FullName = request.CustomerName.Trim(), CreatedAt = now };
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return customer;
        }
        catch (DbUpdateException)
        {
            db.Entry(customer).State = EntityState.Detached;
            return await db.Customers.SingleAsync(c => c.Email == email, cancellationToken);
        }
    }

    private static async Task<int> NextNumberAsync(LiveContractDbContext db, int year, CancellationToken cancellationToken)
    {
        // One atomic statement on both providers: the row lock (or SQLite's write lock) serialises creators.
        var numbers = await db.Database.SqlQueryRaw<int>(
            """
            INSERT INTO "ReferenceCounters" ("Year", "Last") VALUES ({0}, 1)
            ON CONFLICT ("Year") DO UPDATE SET "Last" = "ReferenceCounters"."Last" + 1
            RETURNING "Last" AS "Value"
            """,
            year).ToListAsync(cancellationToken);
        return numbers.Single();
    }

    private static OperationError? Validate(NewContract request)
    {
        if (ValidateTitle(request.Title) is { } title)
        {
            return title;
        }

        if (string.IsNullOrWhiteSpace(request.CustomerName) || request.CustomerName.Trim().Length > ContractRules.MaxNameLength)
        {
            return Invalid($"Enter the customer's full name (at most {ContractRules.MaxNameLength} characters).");
        }

        if (FreeText.Check(request.CustomerName, "customer's name") is { } hidden)
        {
            return hidden;
        }

        if (ContractRules.CheckLanguage(request.Language) is { } language)
        {
            return language;
        }

        if (TimeZoneOrNull(request.CustomerTimeZone) is { } zone && ContractRules.CheckTimeZone(zone) is { } timeZone)
        {
            return timeZone;
        }

        var email = request.CustomerEmail?.Trim() ?? "";
        return email.Length is 0 or > ContractRules.MaxEmailLength || !new EmailAddressAttribute().IsValid(email) || !email.Contains('.', StringComparison.Ordinal)
            ? Invalid($"'{email}' is not an email address the customer can receive their link at.")
            : null;
    }

    private static OperationError? ValidateTitle(string title) =>
        string.IsNullOrWhiteSpace(title) || title.Trim().Length > ContractRules.MaxTitleLength
            ? Invalid($"Enter a title (at most {ContractRules.MaxTitleLength} characters).")
            : FreeText.Check(title, "title");

    private static string? TimeZoneOrNull(string? timeZone) => string.IsNullOrWhiteSpace(timeZone) ? null : timeZone.Trim();

    private static OperationError Invalid(string message) => new(ErrorKind.Invalid, message);

    /// <summary>What one update did: the status it moved the contract to, if it did.</summary>
    private sealed record Update(ContractStatus? NewStatus);
}

internal static class ContractVisibility
{
    public static IQueryable<Contract> VisibleTo(this IQueryable<Contract> contracts, Actor actor) =>
        actor.IsAdmin ? contracts : contracts.Where(c => c.AdvisorId == actor.UserId);
}
