using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Signing;

/// <summary>The signed PDF as it is downloaded: the name to save it under and its size.</summary>
public sealed record SealedPdf(Guid ContractId, Guid DocumentId, string FileName, long Size);

/// <summary>Where a signed PDF was downloaded from, as the audit trail records it.</summary>
public enum SealedDownloadVia
{
    /// <summary>The contract page or <c>GET /api/contracts/{id}/sealed</c>: the advisor or an admin.</summary>
    Contract,

    /// <summary><c>GET /api/sessions/{id}/sealed</c>: a participant of the live session.</summary>
    Session,

    /// <summary>The link in the "contract signed" email.</summary>
    EmailLink,
}

/// <summary>
/// Downloads of a signed contract's sealed PDF: for the contract's advisor and admins, for the
/// participants of its live session, and for whoever holds the emailed link. Each download is
/// recorded on the contract's audit trail (who, in which role, from where, by which way) before the
/// bytes go out; when that record cannot be written, nothing is sent.
/// </summary>
public sealed class SealedDocuments(
    IDbContextFactory<LiveContractDbContext> databases,
    EncryptedDocumentStorage storage,
    LiveSessionService sessions,
    SignedPdfLinks links,
    TimeProvider time,
    ILogger<SealedDocuments> logger)
{
    /// <summary>The signed contract has no sealed PDF yet: sealing runs in the background right after the last signature.</summary>
    public static readonly OperationError BeingPrepared = OperationError.ForCustomer(ErrorKind.Conflict, "Error.SignedPdf.BeingPrepared");

    public static readonly OperationError NotSigned = OperationError.ForCustomer(ErrorKind.Conflict, "Error.SignedPdf.NotSigned");

    /// <summary>The emailed link's time is up.</summary>
    public static readonly OperationError LinkExpired = OperationError.ForCustomer(ErrorKind.Conflict, "Error.SignedPdf.LinkExpired");

    /// <summary>The emailed link opens nothing (changed, cut short, or not one of ours).</summary>
    public static readonly OperationError UnknownLink = OperationError.ForCustomer(ErrorKind.NotFound, "Error.SignedPdf.UnknownLink");

    private static readonly OperationError NotRecorded = OperationError.ForCustomer(ErrorKind.Unavailable, "Error.SignedPdf.NotRecorded");

    /// <summary>The file name a signed PDF is saved under: <c>LC-2026-000042-signed.pdf</c>.</summary>
    public static string FileNameOf(string contractReference) => $"{contractReference}-signed.pdf";

    /// <summary>For the contract's advisor or an admin: writes the sealed PDF to the stream <paramref name="destination"/> returns, once it is known to exist.</summary>
    public async Task<Outcome<SealedPdf>> CopyForStaffAsync(Actor actor, Guid contractId, Func<SealedPdf, Stream> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            return OperationError.NotFound("That contract");
        }

        var who = AuditActor.For(actor);
        return await CopyAsync(contractId, who, SealedDownloadVia.Contract, destination, cancellationToken);
    }

    /// <summary>
    /// For a participant of the live session: the customer while their link works and the session
    /// is active or completed (a customer's link, and with it their sign-in, ends with the session;
    /// the emailed link stays), the contract's advisor or an admin at any time, as on the contract page.
    /// </summary>
    public async Task<Outcome<SealedPdf>> CopyForSessionAsync(SessionCaller caller, Guid sessionId, Func<SealedPdf, Stream> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        switch (caller)
        {
            case SessionCaller.Staff staff:
                var contractId = await db.LiveSessions.VisibleTo(staff.Actor).Where(s => s.Id == sessionId).Select(s => (Guid?)s.ContractId).SingleOrDefaultAsync(cancellationToken);
                return contractId is null
                    ? LiveSessionErrors.UnknownSession
                    : await CopyAsync(contractId.Value, AuditActor.For(staff.Actor), SealedDownloadVia.Session, destination, cancellationToken);

            case SessionCaller.Customer customer:
                if (await sessions.AuthorizeAsync(caller, sessionId, cancellationToken) is { } refused)
                {
                    return refused;
                }

                var session = await db.LiveSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId, cancellationToken);
                return await CopyAsync(session.ContractId, AuditActor.ForCustomer(session.CustomerId, customer.IpAddress), SealedDownloadVia.Session, destination, cancellationToken);

            default:
                throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller.");
        }
    }

    /// <summary>What the emailed link's token opens (the signed contract it names), or why it opens nothing; records nothing.</summary>
    public async Task<SignedPdfDownloadCheck> CheckLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        var check = links.Check(token);
        if (check.Grant is not { } grant)
        {
            return new SignedPdfDownloadCheck(null, check.Problem);
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().Where(c => c.Id == grant.ContractId)
            .Select(c => new { c.Reference, c.Title, c.Status, Sealed = c.Documents.Any(d => d.Kind == DocumentKind.Sealed) })
            .SingleOrDefaultAsync(cancellationToken);
        return contract is null || contract.Status != ContractStatus.Signed
            ? new SignedPdfDownloadCheck(null, SignedPdfLinkProblem.Unknown)
            : new SignedPdfDownloadCheck(new SignedPdfDownloadInfo(grant, contract.Reference, contract.Title, contract.Sealed), null);
    }

    /// <summary>
    /// The language the page of an emailed link is shown in: the contract's, for the customer's link (their email
    /// was in it too); null for an advisor's link or a link that opens nothing, which keep the request's culture.
    /// </summary>
    public async Task<string?> LanguageOfLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        if (links.Check(token).Grant is not { Recipient: SignerRole.Customer } grant)
        {
            return null;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Contracts.AsNoTracking().Where(c => c.Id == grant.ContractId).Select(c => c.Language).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>For whoever holds the emailed link: the sealed PDF of the contract it names, recorded as a download by its recipient.</summary>
    public async Task<Outcome<SealedPdf>> CopyForLinkAsync(string token, string? ipAddress, Func<SealedPdf, Stream> destination, CancellationToken cancellationToken = default)
    {
        var check = links.Check(token);
        if (check.Grant is not { } grant)
        {
            return check.Problem == SignedPdfLinkProblem.Expired ? LinkExpired : UnknownLink;
        }

        var who = grant.Recipient == SignerRole.Customer && Guid.TryParse(grant.RecipientId, out var customerId)
            ? AuditActor.ForCustomer(customerId, ipAddress)
            : new AuditActor(grant.RecipientId, AuditActor.AdvisorRole, ipAddress);
        return await CopyAsync(grant.ContractId, who, SealedDownloadVia.EmailLink, destination, cancellationToken);
    }

    private async Task<Outcome<SealedPdf>> CopyAsync(Guid contractId, AuditActor who, SealedDownloadVia via, Func<SealedPdf, Stream> destination, CancellationToken cancellationToken)
    {
        SealedPdf pdf;
        string storageKey;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var contract = await db.Contracts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
            if (contract is null)
            {
                return OperationError.NotFound("That contract");
            }

            if (contract.Status != ContractStatus.Signed)
            {
                return NotSigned;
            }

            var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.ContractId == contractId && d.Kind == DocumentKind.Sealed, cancellationToken);
            if (document is null)
            {
                return BeingPrepared;
            }

            pdf = new SealedPdf(contractId, document.Id, FileNameOf(contract.Reference), document.Size);
            storageKey = document.StorageKey;
            await RecordDownloadAsync(pdf, who, via, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.Is(e))
        {
            logger.LogError(e, "Recording a download of the signed PDF of contract {ContractId} failed", contractId);
            return NotRecorded;
        }

        await storage.CopyToAsync(storageKey, destination(pdf), cancellationToken);
        return pdf;
    }

    /// <summary>Appends <c>sealed.downloaded</c>, again when another event of the contract took the same place in its chain.</summary>
    private Task RecordDownloadAsync(SealedPdf pdf, AuditActor who, SealedDownloadVia via, CancellationToken cancellationToken) =>
        AuditWrites.RunOrThrowAsync(
            databases,
            async db =>
            {
                await AuditTrail.AppendAsync(
                    db,
                    AuditStreams.Contract(pdf.ContractId),
                    AuditEventTypes.SealedDownloaded,
                    who,
                    new { documentId = pdf.DocumentId, via = ViaName(via), role = who.Role },
                    time.GetUtcNow(),
                    cancellationToken);
                return await db.SaveChangesAsync(cancellationToken);
            },
            cancellationToken);

    private static string ViaName(SealedDownloadVia via) => via switch
    {
        SealedDownloadVia.Contract => "contract",
        SealedDownloadVia.Session => "session",
        _ => "email-link",
    };
}

/// <summary>What an emailed download link names, for the page it opens: the contract, and whether its signed PDF is ready.</summary>
public sealed record SignedPdfDownloadInfo(SignedPdfLinkGrant Grant, string ContractReference, string ContractTitle, bool IsSealed);

/// <summary>The answer for an emailed download link: what it opens, or why it opens nothing.</summary>
public sealed record SignedPdfDownloadCheck(SignedPdfDownloadInfo? Download, SignedPdfLinkProblem? Problem);
