using System.Globalization;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Email;
using LiveContract.Core.Fields;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing;

/// <summary>
/// Signing a contract in its live session. The customer always signs; the advisor countersigns
/// when the contract asks for it; the role a person signs in comes from who they are in the session,
/// never from the request, so nobody signs for someone else, and an administrator never signs.
/// <para>
/// A signature is one transaction: the signature row and its audit event, and, when it is the last
/// one required, the contract's move to Signed and its audit event. Every signing transaction bumps
/// the contract's concurrency token, so of two signers racing exactly one commits first and the
/// other re-reads and goes on; the unique index on (contract, role) keeps one signature per signer,
/// and a repeat by someone who has signed returns their signature (a double click, a second tab).
/// After the commit the session hears of it, the contract is queued for sealing and, once Signed,
/// the parties are emailed a link to the signed PDF; none of these undoes the signature if it fails.
/// </para>
/// <para>
/// The live session completes in the same transaction as the Signed transition
/// (<see cref="LiveSessionService.CompleteInTransactionAsync"/>), so a signed contract never has an
/// active session; the leaves still in their grace period are written first, as before an end.
/// </para>
/// <para>
/// The contract's fields: before the transaction the live session holds its field values (no
/// change is accepted meanwhile) and saves them; the transaction refuses to sign while a required
/// field of the signer is not filled in properly, and stores the fingerprint of every value
/// (<see cref="FieldValuesHash"/>) on the signature and in its audit event. The session's
/// values are frozen for good once it hears of the signature; a refused signature releases them.
/// </para>
/// </summary>
public sealed class SigningService(
    IDbContextFactory<LiveContractDbContext> databases,
    LiveSessionService sessions,
    ILiveSessionCoordinator coordinator,
    ISealRequests sealRequests,
    SignedPdfLinks links,
    IEmailSender emailSender,
    IOptions<IdentityCheckOptions> identityChecks,
    IStringLocalizer<CustomerText> customerText,
    TimeProvider time,
    ILogger<SigningService> logger)
{
    /// <summary>How often a signature is tried again after losing a race to another writer of the contract.</summary>
    private const int MaxAttempts = 6;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly OperationError AdminsNeverSign = new(
        ErrorKind.Forbidden,
        "Administrators never sign contracts; only the customer and, when asked, the contract's advisor sign.");

    // The refusals a signer can meet are worded in the reader's language when read (OperationError.ForCustomer);
    // those only staff meet stay English.

    /// <summary>The refusal for a customer who has not confirmed their identity with a recent code.</summary>
    public static readonly OperationError IdentityCodeNeeded = OperationError.ForCustomer(ErrorKind.Forbidden, "SignRefusal.IdentityCodeNeeded");

    private static readonly OperationError WrongConsent = OperationError.ForCustomer(ErrorKind.Invalid, "SignRefusal.WrongConsent");

    private static readonly OperationError DocumentChanged = OperationError.ForCustomer(ErrorKind.Conflict, "SignRefusal.DocumentChanged");

    private static readonly OperationError NotRecorded = OperationError.ForCustomer(ErrorKind.Unavailable, "SignRefusal.NotRecorded");

    /// <summary>
    /// Where the session's contract stands with signing, as a participant of the active session (its
    /// advisor, or the customer by link) sees it; an admin reads it as on the contract page
    /// (<see cref="GetContractStateAsync"/>): admins read every contract, read-only, and never sign.
    /// </summary>
    public async Task<Outcome<SigningState>> GetStateAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await ReadingAdminAsync(caller, sessionId, cancellationToken) is { } admin)
        {
            return await GetContractStateAsync(admin.Actor, admin.ContractId, cancellationToken);
        }

        if (await sessions.AuthorizeAsync(caller, sessionId, cancellationToken) is { } refused)
        {
            return refused;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contractId = await db.LiveSessions.Where(s => s.Id == sessionId).Select(s => s.ContractId).SingleAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == contractId, cancellationToken);
        var signatures = await SignaturesAsync(db, contractId, cancellationToken);
        var role = RoleOf(caller);
        return ToState(contract, signatures, await SealedDocumentIdAsync(db, contractId, cancellationToken), role, WhyCannotSign(contract, signatures, role))
            with { MissingFields = await MissingFieldsAsync(db, contractId, role, cancellationToken) };
    }

    /// <summary>
    /// Why the caller may not read the session's signing (its state, the consent text), or null when
    /// they may: the same rule as <see cref="GetStateAsync"/>.
    /// </summary>
    public async Task<OperationError?> AuthorizeReadAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await ReadingAdminAsync(caller, sessionId, cancellationToken) is not null
            ? null
            : await sessions.AuthorizeAsync(caller, sessionId, cancellationToken);
    }

    /// <summary>
    /// Where the contract stands with signing, for its advisor or an admin (the contract page). An
    /// admin looking at another advisor's contract is no signer; the advisor signs in the live session.
    /// </summary>
    public async Task<Outcome<SigningState>> GetContractStateAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
        if (contract is null)
        {
            return OperationError.NotFound("That contract");
        }

        var signatures = await SignaturesAsync(db, contractId, cancellationToken);
        var sealedId = await SealedDocumentIdAsync(db, contractId, cancellationToken);
        var sealingProblem = await SealingProblemAsync(db, contract, sealedId, cancellationToken);
        if (contract.AdvisorId != actor.UserId)
        {
            return ToState(contract, signatures, sealedId, null, AdminsNeverSign.Message) with { SealingProblem = sealingProblem };
        }

        var why = WhyCannotSign(contract, signatures, SignerRole.Advisor);
        if (why is null && !await db.LiveSessions.AnyAsync(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active, cancellationToken))
        {
            why = "Signatures are given in the live session; start it to sign.";
        }

        return ToState(contract, signatures, sealedId, SignerRole.Advisor, why)
            with { MissingFields = await MissingFieldsAsync(db, contractId, SignerRole.Advisor, cancellationToken), SealingProblem = sealingProblem };
    }

    /// <summary>
    /// Records the caller's signature of the session's contract: the customer's, or the advisor's
    /// countersignature. A repeat by a signer who has signed returns their signature unchanged.
    /// Emails the parties a download link under the public address once the contract is Signed.
    /// </summary>
    public async Task<Outcome<SignResult>> SignAsync(SessionCaller caller, Guid sessionId, SignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            if (await sessions.AuthorizeAsync(caller, sessionId, cancellationToken) is { } refused)
            {
                return refused;
            }
        }
        catch (Exception e) when (DatabaseFailures.Is(e))
        {
            logger.LogError(e, "Recording a signature in live session {SessionId} failed", sessionId);
            return NotRecorded;
        }

        if (SigningConsent.Find(request.ConsentSha256) is null)
        {
            return WrongConsent;
        }

        if ((SignatureRules.CheckFullName(request.FullName) ?? SignatureRules.CheckImage(request.SignaturePng)) is { } invalid)
        {
            return invalid;
        }

        // Leaves still in their grace period belong before the session completes (a guess: should a
        // racing signature complete it instead, they are written right after).
        if (await WouldCompleteAsync(caller, sessionId, cancellationToken))
        {
            await sessions.FlushPresenceAsync(sessionId);
        }

        // Values typed into the session go to the database first, and none changes while the signature is recorded.
        var held = await coordinator.HoldFieldsAsync(sessionId, cancellationToken);
        if (held.Error is { } notHeld && notHeld != LiveSessionErrors.UnknownSession && notHeld != LiveSessionErrors.Ended)
        {
            return notHeld;
        }

        try
        {
            Outcome<Recorded> signed;
            try
            {
                signed = await RecordAsync(caller, sessionId, request, cancellationToken);
            }
            catch (Exception e) when (DatabaseFailures.Is(e))
            {
                logger.LogError(e, "Recording a signature in live session {SessionId} failed", sessionId);
                return NotRecorded;
            }

            if (!signed.Succeeded)
            {
                return signed.Error!;
            }

            var signing = signed.Value!;
            if (signing.IsNew)
            {
                // Tells the session, which freezes its values before the hold is released.
                await AfterCommitAsync(caller, sessionId, signing);
            }

            return signing.Result;
        }
        finally
        {
            if (held.Succeeded)
            {
                await coordinator.ReleaseFieldsAsync(sessionId, CancellationToken.None);
            }
        }
    }

    /// <summary>The drawn signature (PNG) of <paramref name="role"/>, for the contract's advisor or an admin.</summary>
    public async Task<Outcome<byte[]>> GetSignatureImageAsync(Actor actor, Guid contractId, SignerRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Contracts.VisibleTo(actor).AnyAsync(c => c.Id == contractId, cancellationToken))
        {
            return OperationError.NotFound("That contract");
        }

        var image = await db.Signatures.Where(s => s.ContractId == contractId && s.Role == role).Select(s => s.Image).SingleOrDefaultAsync(cancellationToken);
        return image is null ? OperationError.NotFound($"The {role.ToString().ToLowerInvariant()}'s signature") : image;
    }

    /// <summary>The signing transaction, tried again when another writer of the contract committed first.</summary>
    private async Task<Outcome<Recorded>> RecordAsync(SessionCaller caller, Guid sessionId, SignRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(caller, sessionId, request, cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                logger.LogDebug(e, "Signature in live session {SessionId} lost a race (attempt {Attempt}); reading again", sessionId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    private async Task<Outcome<Recorded>> TryRecordAsync(SessionCaller caller, Guid sessionId, SignRequest request, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // On SQLite this takes the write lock at once, so signers of one database take turns; on
        // PostgreSQL the concurrency token decides, and the loser's SaveChanges fails and retries.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await db.LiveSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId, cancellationToken);
        if (session.Status == LiveSessionStatus.Ended)
        {
            return LiveSessionErrors.Ended;
        }

        // A completed session's contract is signed: a repeat gets its signature back, anything else a refusal, below.

        var contractId = session.ContractId;
        var contract = await db.Contracts
            .Include(c => c.Customer)
            .Include(c => c.Advisor)
            .Include(c => c.Documents)
            .SingleAsync(c => c.Id == contractId, cancellationToken);
        var signatures = await SignaturesAsync(db, contractId, cancellationToken);
        var role = RoleOf(caller);

        if (signatures.FirstOrDefault(s => s.Role == role) is { } existing)
        {
            var sealedId = await SealedDocumentIdAsync(db, contractId, cancellationToken);
            var state = ToState(contract, signatures, sealedId, role, WhyCannotSign(contract, signatures, role));
            return new Recorded(new SignResult(ToInfo(existing), false, state), contract, signatures, IsNew: false);
        }

        if (WhyCannotSign(contract, signatures, role) is { } why)
        {
            return new OperationError(role == SignerRole.Advisor && !contract.AdvisorMustSign ? ErrorKind.Forbidden : ErrorKind.Conflict, why);
        }

        var fields = await ContractFieldValues.LoadAsync(db, contractId, cancellationToken);
        var texts = fields.Texts;
        var missing = FieldValueRules.Missing(fields.Fields, texts, PartyOf(role), partySigned: true);
        if (missing.Count > 0)
        {
            return new OperationError(ErrorKind.Conflict, FieldValueRules.FillInFirst(missing, CultureInfo.CurrentUICulture));
        }

        // The first signature freezes every value, so the other party's required fields must be done
        // by then too: afterwards nobody could fill them, and the contract could never be signed.
        if (signatures.Count == 0 && OtherPartyMissing(fields, role) is { } otherMissing)
        {
            return new OperationError(ErrorKind.Conflict, otherMissing);
        }

        var fullName = request.FullName.Trim();
        var expectedName = role == SignerRole.Customer ? contract.Customer!.FullName : contract.Advisor!.DisplayName;
        if (SignatureRules.CheckSignerName(fullName, expectedName, role) is { } wrongName)
        {
            return wrongName;
        }

        string? identityCheck = null;
        if (caller is SessionCaller.Customer customer)
        {
            IdentityCode? code = null;
            var settings = identityChecks.Value;
            if (IdentityCheckService.CodeRequired(contract, settings))
            {
                var since = time.GetUtcNow() - settings.SigningFreshness;
                code = await IdentityCheckService.FreshSigningCodeAsync(db, customer.LinkId, customer.IdentityCheckId, since, cancellationToken);
                if (code is null)
                {
                    return IdentityCodeNeeded;
                }
            }

            identityCheck = await IdentityCheckService.SentenceForSignatureAsync(db, contract, settings, code, cancellationToken);
        }

        var originals = contract.Documents.OriginalsInContractOrder();
        if (originals.Count == 0 || originals.Any(d => d.PinnedSha256 is null || d.Sha256 != d.PinnedSha256))
        {
            return DocumentChanged;
        }

        // Kept to what both databases store, so the time returned is the time read back later.
        var now = AuditTrail.Normalize(time.GetUtcNow());
        var documents = originals.Select(d => new SignedDocument(d.Id, d.FileName, d.Sha256)).ToList();
        var signature = new Signature
        {
            Id = Guid.NewGuid(),
            ContractId = contractId,
            LiveSessionId = sessionId,
            Role = role,
            SignerId = role == SignerRole.Customer ? contract.CustomerId.ToString() : contract.AdvisorId,
            FullName = fullName,
            SignerEmail = role == SignerRole.Customer ? contract.Customer!.Email : contract.Advisor!.Email ?? "",
            Image = request.SignaturePng,
            ConsentSha256 = request.ConsentSha256,
            DocumentHashes = JsonSerializer.Serialize(documents, JsonOptions),
            FieldValuesSha256 = FieldValuesHash.Compute(fields.Fields, texts),
            SignedAt = now,
            IpAddress = ClientLimits.Clip(request.IpAddress, ClientLimits.MaxIpAddressLength),
            UserAgent = ClientLimits.Clip(request.UserAgent, ClientLimits.MaxUserAgentLength),
            IdentityCheck = identityCheck,
        };
        db.Signatures.Add(signature);
        contract.Touch(now);
        var stream = AuditStreams.Contract(contractId);
        var actor = AuditActorOf(caller, contract, signature.IpAddress);
        await AuditTrail.AppendAsync(
            db,
            stream,
            AuditEventTypes.SignatureRecorded,
            actor,
            new
            {
                signatureId = signature.Id,
                role = role.ToString(),
                signature.FullName,
                signature.SignerEmail,
                signature.ConsentSha256,
                documents,
                signature.FieldValuesSha256,
                signature.IpAddress,
                signature.UserAgent,
                signature.IdentityCheck,
                liveSessionId = sessionId,
            },
            now,
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // The signature goes in while the contract is in Review (the database allows no other time);
        // the last one moves it to Signed in the same transaction.
        signatures = [.. signatures, signature];
        var nowSigned = SignatureRules.RequiredSigners(contract).All(r => signatures.Any(s => s.Role == r));
        if (nowSigned)
        {
            contract.Status = ContractStatus.Signed;
            contract.SignedAt = now;
            contract.Touch(now);
            await AuditTrail.AppendAsync(
                db,
                stream,
                AuditEventTypes.ContractSigned,
                actor,
                new { signedAt = now, signatures = signatures.Select(s => new { signatureId = s.Id, role = s.Role.ToString(), s.FullName, s.SignedAt }) },
                now,
                cancellationToken);
            await sessions.CompleteInTransactionAsync(db, sessionId, contractId, contract.CustomerId, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Contract {ContractId} signed by its {Role}{Final}", contractId, role, nowSigned ? "; it is now Signed" : "");
        var result = new SignResult(ToInfo(signature), nowSigned, ToState(contract, signatures, null, role, WhyCannotSign(contract, signatures, role)));
        return new Recorded(result, contract, signatures, IsNew: true);
    }

    /// <summary>Tells the session, queues sealing and sends the emails; each failure is logged and changes nothing.</summary>
    private async Task AfterCommitAsync(SessionCaller caller, Guid sessionId, Recorded signing)
    {
        var contract = signing.Contract;
        var signature = signing.Result.Signature;
        var liveActor = caller is SessionCaller.Customer
            ? new LiveSessionActor(contract.CustomerId.ToString(), ParticipantRole.Customer)
            : new LiveSessionActor(contract.AdvisorId, ParticipantRole.Advisor);
        try
        {
            await coordinator.PublishContractSignedAsync(sessionId, liveActor, signature.Role.ToString(), signature.SignedAt);
            if (signing.Result.ContractSigned)
            {
                await coordinator.PublishStatusAsync(sessionId, liveActor, ContractStatus.Signed);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Telling live session {SessionId} about the signature failed", sessionId);
        }

        if (!signing.Result.ContractSigned)
        {
            return;
        }

        // Leaves that started while the signature was being recorded (or a racing signature completed the session).
        await sessions.FlushPresenceAsync(sessionId);
        try
        {
            sealRequests.Request(contract.Id);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Queueing contract {ContractId} for sealing failed; it is sealed at the next start-up or on demand", contract.Id);
        }

        var signerNames = signing.Signatures.OrderBy(s => s.SignedAt).Select(s => s.FullName).ToList();
        await EmailAsync(contract, SignerRole.Customer, contract.CustomerId.ToString(), contract.Customer!.Email, contract.Customer.FullName, signerNames);
        if (!string.IsNullOrEmpty(contract.Advisor!.Email))
        {
            await EmailAsync(contract, SignerRole.Advisor, contract.AdvisorId, contract.Advisor.Email, contract.Advisor.DisplayName, signerNames);
        }
    }

    private async Task EmailAsync(Contract contract, SignerRole recipient, string recipientId, string email, string name, IReadOnlyList<string> signerNames)
    {
        try
        {
            var (link, expiresAt) = links.Create(contract.Id, recipient, recipientId);
            // The customer reads it in the contract's language and time zone; the advisor, staff, in English and UTC.
            var customer = recipient == SignerRole.Customer;
            EmailMessage message;
            using (Languages.Use(customer ? contract.Language : Languages.Default))
            {
                message = SigningEmails.ContractSigned(
                    customerText, email, name, contract.Reference, contract.Title, signerNames, link, expiresAt, customer ? contract.CustomerTimeZone : null);
            }

            await emailSender.SendAsync(message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Emailing the signed contract {ContractId} to its {Recipient} failed; they can download it from the contract or the session", contract.Id, recipient);
        }
    }

    /// <summary>Whether the caller's signature would be the last one required, as things stand before signing.</summary>
    private async Task<bool> WouldCompleteAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var contract = await db.LiveSessions.Where(s => s.Id == sessionId && s.Status == LiveSessionStatus.Active)
                .Select(s => s.Contract)
                .SingleOrDefaultAsync(cancellationToken);
            if (contract is null)
            {
                return false;
            }

            var signed = await db.Signatures.Where(s => s.ContractId == contract.Id).Select(s => s.Role).ToListAsync(cancellationToken);
            return SignatureRules.RequiredSigners(contract).Except(signed).SequenceEqual([RoleOf(caller)]);
        }
        catch (Exception e) when (DatabaseFailures.Is(e))
        {
            // Signing answers for the database; the leaves are written after, if it completes.
            return false;
        }
    }

    /// <summary>The admin and the session's contract when <paramref name="caller"/> is an admin who is not that contract's advisor (so no participant); otherwise null.</summary>
    private async Task<(Actor Actor, Guid ContractId)?> ReadingAdminAsync(SessionCaller caller, Guid sessionId, CancellationToken cancellationToken)
    {
        if (caller is not SessionCaller.Staff { Actor.IsAdmin: true } staff)
        {
            return null;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var session = await db.LiveSessions.VisibleTo(staff.Actor).Where(s => s.Id == sessionId)
            .Select(s => new { s.ContractId, s.Contract!.AdvisorId })
            .SingleOrDefaultAsync(cancellationToken);
        return session is not null && session.AdvisorId != staff.Actor.UserId ? (staff.Actor, session.ContractId) : null;
    }

    private static SignerRole RoleOf(SessionCaller caller) => caller switch
    {
        SessionCaller.Customer => SignerRole.Customer,
        SessionCaller.Staff => SignerRole.Advisor,
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller."),
    };

    private static FieldParty PartyOf(SignerRole role) => role == SignerRole.Customer ? FieldParty.Customer : FieldParty.Advisor;

    /// <summary>Why the first signature must wait for the other party's required fields, or null when they are done; in the caller's language.</summary>
    private string? OtherPartyMissing(ContractFieldValues fields, SignerRole role)
    {
        var other = role == SignerRole.Customer ? FieldParty.Advisor : FieldParty.Customer;
        var missing = FieldValueRules.Missing(fields.Fields, fields.Texts, other, partySigned: true);
        if (missing.Count == 0)
        {
            return null;
        }

        var names = string.Join(", ", missing.Select(f => FieldValueRules.NameOf(f, CultureInfo.CurrentUICulture)));
        return other == FieldParty.Advisor
            ? customerText["SignRefusal.AdvisorFillsInFirst", names].Value
            : customerText["SignRefusal.CustomerFillsInFirst", names].Value;
    }

    /// <summary>The labels of <paramref name="role"/>'s required fields not filled in properly, as signing would find them now.</summary>
    private static async Task<IReadOnlyList<string>> MissingFieldsAsync(LiveContractDbContext db, Guid contractId, SignerRole role, CancellationToken cancellationToken)
    {
        var fields = await ContractFieldValues.LoadAsync(db, contractId, cancellationToken);
        return FieldValueRules.Missing(fields.Fields, fields.Texts, PartyOf(role), partySigned: true).Select(f => f.Label).ToList();
    }

    private static AuditActor AuditActorOf(SessionCaller caller, Contract contract, string? ipAddress) => caller switch
    {
        SessionCaller.Customer => AuditActor.ForCustomer(contract.CustomerId, ipAddress),
        SessionCaller.Staff staff => AuditActor.For(staff.Actor with { IpAddress = ipAddress ?? staff.Actor.IpAddress }),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown kind of session caller."),
    };


    /// <summary>Why <paramref name="role"/> cannot sign <paramref name="contract"/> now, or null when they can; in the caller's language.</summary>
    private string? WhyCannotSign(Contract contract, IReadOnlyList<Signature> signatures, SignerRole role) =>
        role == SignerRole.Advisor && !contract.AdvisorMustSign ? customerText["SignRefusal.OnlyCustomerSigns"].Value
        : signatures.Any(s => s.Role == role) ? customerText["SignRefusal.AlreadySigned"].Value
        : contract.Status switch
        {
            ContractStatus.Draft => customerText["SignRefusal.NotInReview"].Value,
            ContractStatus.Signed => customerText["SignRefusal.SignedAndFinal"].Value,
            _ => null,
        };

    private static async Task<List<Signature>> SignaturesAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken) =>
        (await db.Signatures.AsNoTracking().Where(s => s.ContractId == contractId).ToListAsync(cancellationToken))
            .OrderBy(s => s.SignedAt)
            .ThenBy(s => s.Role)
            .ToList();

    /// <summary>The reason of the contract's latest <see cref="AuditEventTypes.SealingRefused"/> while it is Signed without a sealed PDF; otherwise null.</summary>
    private static async Task<string?> SealingProblemAsync(LiveContractDbContext db, Contract contract, Guid? sealedId, CancellationToken cancellationToken)
    {
        if (contract.Status != ContractStatus.Signed || sealedId is not null)
        {
            return null;
        }

        var stream = AuditStreams.Contract(contract.Id);
        var data = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Stream == stream && e.Type == AuditEventTypes.SealingRefused)
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.Data)
            .FirstOrDefaultAsync(cancellationToken);
        if (data is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? $"This contract cannot be sealed: {reason.GetString()}"
            : "This contract cannot be sealed.";
    }

    private static Task<Guid?> SealedDocumentIdAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken) =>
        db.Documents.Where(d => d.ContractId == contractId && d.Kind == DocumentKind.Sealed).Select(d => (Guid?)d.Id).SingleOrDefaultAsync(cancellationToken);

    private static SigningState ToState(Contract contract, IReadOnlyList<Signature> signatures, Guid? sealedDocumentId, SignerRole? callerRole, string? whyCallerCannotSign) => new(
        contract.Id,
        contract.Status,
        SignatureRules.RequiredSigners(contract),
        signatures.Select(ToInfo).ToList(),
        callerRole,
        whyCallerCannotSign,
        sealedDocumentId);

    private static SignatureInfo ToInfo(Signature s) => new(s.Id, s.Role, s.FullName, s.SignedAt, s.IpAddress, s.UserAgent, s.ConsentSha256);

    /// <summary>A document as a signature records it: what was signed is exactly these bytes.</summary>
    private sealed record SignedDocument(Guid DocumentId, string FileName, string Sha256);

    /// <summary>A signing transaction's result, with what the steps after the commit need.</summary>
    private sealed record Recorded(SignResult Result, Contract Contract, IReadOnlyList<Signature> Signatures, bool IsNew);
}
