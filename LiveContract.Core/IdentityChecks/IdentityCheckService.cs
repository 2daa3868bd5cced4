using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Email;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.IdentityChecks;

/// <summary>
/// The identity check of a customer link's holder: a six-digit one-time code sent to the
/// contract's customer (by email, or by text message when the contract has their phone), asked the
/// first time a device joins and again before signing. A code works for
/// <see cref="IdentityCheckOptions.CodeLifetime"/>, <see cref="IdentityCheckOptions.MaxAttempts"/>
/// wrong tries and once; codes are limited per link (one per
/// <see cref="IdentityCheckOptions.ResendInterval"/>, <see cref="IdentityCheckOptions.MaxCodesPerHour"/>
/// an hour, for each purpose) and per client address. Every step is an event on the contract's audit trail. The
/// advisor may turn the check off for a contract, or record an in-person or video check instead.
/// </summary>
public sealed class IdentityCheckService(
    IDbContextFactory<LiveContractDbContext> databases,
    IEmailSender emailSender,
    ISmsSender smsSender,
    AddressLimits addressLimits,
    IOptions<IdentityCheckOptions> options,
    TimeProvider time,
    IStringLocalizer<CustomerText> customerText,
    ILogger<IdentityCheckService> logger)
{
    private const string CodeRequests = "code";
    private const string CodeAttempts = "attempt";

    private static readonly OperationError LinkClosed =
        OperationError.ForCustomer(ErrorKind.Forbidden, "Error.Code.LinkClosed");

    private static readonly OperationError NoCodeNeeded =
        OperationError.ForCustomer(ErrorKind.Conflict, "Error.Code.NoCodeNeeded");

    private static readonly OperationError AskFirst =
        OperationError.ForCustomer(ErrorKind.Conflict, "Error.Code.AskFirst");

    private static readonly OperationError NotSixDigits =
        OperationError.ForCustomer(ErrorKind.Invalid, "Error.Code.NotSixDigits");

    private static readonly OperationError NoPhone =
        OperationError.ForCustomer(ErrorKind.Conflict, "Error.Code.NoPhone");

    private static readonly OperationError SignedContract =
        new(ErrorKind.Conflict, "This contract is signed and final: its identity check can no longer change.");

    private IdentityCheckOptions Settings => options.Value;

    /// <summary>Whether the contract's customer must enter codes: the installation asks for them, the advisor did not turn the check off and recorded no check of their own.</summary>
    public static bool CodeRequired(Contract contract, IdentityCheckOptions settings)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Enabled && !contract.IdentityCheckOff && contract.AdvisorCheck is null;
    }

    /// <summary>Whether <paramref name="checkId"/> is a code accepted for the link <paramref name="linkId"/>: the pass of a device that joined.</summary>
    public static Task<bool> HasPassedAsync(LiveContractDbContext db, Guid linkId, Guid? checkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return checkId is { } id
            ? db.IdentityCodes.AnyAsync(c => c.Id == id && c.LinkId == linkId && c.VerifiedAt != null, cancellationToken)
            : Task.FromResult(false);
    }

    /// <summary>The signing code this device (<paramref name="deviceCheckId"/>) of the link passed within <see cref="IdentityCheckOptions.SigningFreshness"/>, or null.</summary>
    public static async Task<IdentityCode?> FreshSigningCodeAsync(LiveContractDbContext db, Guid linkId, Guid? deviceCheckId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var latest = await db.IdentityCodes.AsNoTracking()
            .Where(c => c.LinkId == linkId && c.Purpose == CodePurpose.Sign && c.DeviceCheckId == deviceCheckId && c.VerifiedAt != null)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return latest?.VerifiedAt >= since ? latest : null;
    }

    /// <summary>Whether <paramref name="checkId"/> is a code accepted for the link <paramref name="linkId"/>.</summary>
    public async Task<bool> HasPassedAsync(Guid linkId, Guid? checkId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await HasPassedAsync(db, linkId, checkId, cancellationToken);
    }

    /// <summary>What the link's contract asks of its customer, or null when the link is unknown.</summary>
    public async Task<IdentityRequirement?> RequirementAsync(Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await ContractOfLinkAsync(db, linkId, cancellationToken);
        return contract is null ? null : RequirementOf(contract);
    }

    /// <summary>
    /// Sends a new code for <paramref name="purpose"/> to the link's customer by <paramref name="channel"/>;
    /// it replaces any code of that purpose still waiting. For signing, <paramref name="deviceCheckId"/>
    /// is the device's join pass, and only that device may use the code.
    /// </summary>
    public async Task<Outcome<SentCode>> SendCodeAsync(Guid linkId, CodePurpose purpose, CodeChannel channel, Guid? deviceCheckId, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var ip = ClientLimits.Clip(ipAddress, ClientLimits.MaxIpAddressLength);
        if (!addressLimits.TryTake(CodeRequests, ip, Settings.MaxCodesPerAddressPerHour))
        {
            return OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Code.TooManyAskedFromNetwork");
        }

        var code = OneTimeCodes.Create();
        var issued = await AuditWrites.RunAsync<(IdentityCode Row, Contract Contract, string Address)>(
            databases,
            async db =>
            {
                var link = await db.SessionLinks.AsNoTracking().Include(l => l.Session).SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken);
                var now = time.GetUtcNow();
                if (link is null || link.RevokedAt is not null || link.ExpiresAt <= now || link.Session!.Status != LiveSessionStatus.Active)
                {
                    return LinkClosed;
                }

                var contract = await db.Contracts.AsNoTracking().Include(c => c.Customer).SingleAsync(c => c.Id == link.Session.ContractId, cancellationToken);
                if (!CodeRequired(contract, Settings))
                {
                    return NoCodeNeeded;
                }

                if (channel == CodeChannel.Sms && (contract.CustomerPhone is null || !smsSender.IsConfigured))
                {
                    return NoPhone;
                }

                var recent = await db.IdentityCodes.Where(c => c.LinkId == linkId && c.Purpose == purpose && c.CreatedAt > now.AddHours(-1)).Select(c => c.CreatedAt).ToListAsync(cancellationToken);
                if (TooSoon(recent, now, Settings) is { } wait)
                {
                    return wait;
                }

                await db.IdentityCodes
                    .Where(c => c.LinkId == linkId && c.Purpose == purpose && c.VerifiedAt == null && c.ClosedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(c => c.ClosedAt, now), cancellationToken);
                var address = channel == CodeChannel.Sms ? contract.CustomerPhone! : contract.Customer!.Email;
                var salt = OneTimeCodes.NewSalt();
                var row = new IdentityCode
                {
                    Id = Guid.NewGuid(),
                    ContractId = contract.Id,
                    LinkId = linkId,
                    Purpose = purpose,
                    Channel = channel,
                    Destination = channel == CodeChannel.Sms ? ContactPoints.MaskPhone(address) : ContactPoints.MaskEmail(address),
                    Salt = salt,
                    CodeHash = OneTimeCodes.Hash(code, salt),
                    DeviceCheckId = purpose == CodePurpose.Sign ? deviceCheckId : null,
                    CreatedAt = now,
                    ExpiresAt = now + Settings.CodeLifetime,
                };
                db.IdentityCodes.Add(row);
                await AuditTrail.AppendAsync(
                    db,
                    AuditStreams.Contract(contract.Id),
                    AuditEventTypes.IdentityCodeSent,
                    AuditActor.ForCustomer(contract.CustomerId, ip),
                    new { linkId, purpose = purpose.ToString(), channel = channel.ToString(), to = row.Destination, expiresAt = row.ExpiresAt },
                    now,
                    cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return (row, contract, address);
            },
            cancellationToken);
        if (!issued.Succeeded)
        {
            return issued.Error!;
        }

        var (sent, of, to) = issued.Value;
        try
        {
            string? sms = null;
            EmailMessage? email = null;
            using (Languages.Use(of.Language))
            {
                if (channel == CodeChannel.Sms)
                {
                    sms = IdentityCheckEmails.Sms(customerText, of.Reference, code, purpose, Settings.CodeLifetime);
                }
                else
                {
                    email = IdentityCheckEmails.Code(customerText, to, of.Customer!.FullName, of.Reference, code, purpose, Settings.CodeLifetime);
                }
            }

            if (sms is not null)
            {
                await smsSender.SendAsync(to, sms, cancellationToken);
            }
            else
            {
                await emailSender.SendAsync(email!, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Sending identity code {CodeId} of contract {ContractId} by {Channel} failed", sent.Id, of.Id, channel);
            return OperationError.ForCustomer(ErrorKind.Unavailable, channel == CodeChannel.Sms ? "Error.Code.SmsNotSent" : "Error.Code.EmailNotSent");
        }

        return new SentCode(channel, sent.Destination, sent.ExpiresAt);
    }

    /// <summary>
    /// Checks the code entered for <paramref name="purpose"/> against the link's waiting code: right
    /// (it is used up and becomes the pass), wrong (one try fewer; the last wrong try ends it) or expired.
    /// </summary>
    public async Task<Outcome<PassedCheck>> VerifyAsync(Guid linkId, CodePurpose purpose, string? entered, Guid? deviceCheckId, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var ip = ClientLimits.Clip(ipAddress, ClientLimits.MaxIpAddressLength);
        if (OneTimeCodes.Normalize(entered) is null)
        {
            return NotSixDigits;
        }

        if (!addressLimits.TryTake(CodeAttempts, ip, Settings.MaxAttemptsPerAddressPerHour))
        {
            return OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Code.TooManyTriedFromNetwork");
        }

        return await AuditWrites.RunAsync<PassedCheck>(
            databases,
            async db =>
            {
                var now = time.GetUtcNow();
                var contract = await ContractOfLinkAsync(db, linkId, cancellationToken);
                if (contract is null)
                {
                    return LinkClosed;
                }

                var waiting = await db.IdentityCodes
                    .Where(c => c.LinkId == linkId && c.Purpose == purpose && c.VerifiedAt == null && c.ClosedAt == null)
                    .Where(c => purpose == CodePurpose.Join || c.DeviceCheckId == deviceCheckId)
                    .OrderByDescending(c => c.CreatedAt)
                    .FirstOrDefaultAsync(cancellationToken);
                if (waiting is null)
                {
                    return AskFirst;
                }

                var stream = AuditStreams.Contract(contract.Id);
                var who = AuditActor.ForCustomer(contract.CustomerId, ip);
                var verdict = Judge(waiting, entered, now, Settings);
                var data = new Dictionary<string, object?> { ["codeId"] = waiting.Id, ["linkId"] = linkId, ["purpose"] = purpose.ToString() };
                OperationError? refusal = null;
                switch (verdict)
                {
                    case CodeVerdict.Accepted:
                        waiting.VerifiedAt = now;
                        data["channel"] = waiting.Channel.ToString();
                        data["to"] = waiting.Destination;
                        await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityCodeAccepted, who, data, now, cancellationToken);
                        break;
                    case CodeVerdict.Expired:
                        waiting.ClosedAt = now;
                        await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityCodeExpired, who, data, now, cancellationToken);
                        refusal = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Code.Expired");
                        break;
                    default:
                        waiting.FailedAttempts++;
                        var left = Settings.MaxAttempts - waiting.FailedAttempts;
                        data["triesLeft"] = left;
                        await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityCodeRefused, who, data, now, cancellationToken);
                        if (left <= 0)
                        {
                            waiting.ClosedAt = now;
                            data.Remove("triesLeft");
                            await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityCodeExhausted, who, data, now, cancellationToken);
                            refusal = OperationError.ForCustomer(ErrorKind.Conflict, "Error.Code.WrongLastTry", Settings.MaxAttempts);
                        }
                        else
                        {
                            refusal = left == 1
                                ? OperationError.ForCustomer(ErrorKind.Invalid, "Error.Code.WrongOneTryLeft")
                                : OperationError.ForCustomer(ErrorKind.Invalid, "Error.Code.WrongTriesLeft", left);
                        }

                        break;
                }

                await db.SaveChangesAsync(cancellationToken);
                return refusal is null ? new PassedCheck(waiting.Id, purpose, now) : refusal;
            },
            cancellationToken,
            alsoOnVersionConflict: true);
    }

    /// <summary>Why another code cannot be sent now (too soon after the last, or too many this hour), or null.</summary>
    public static OperationError? TooSoon(IReadOnlyCollection<DateTimeOffset> sentInLastHour, DateTimeOffset now, IdentityCheckOptions settings)
    {
        ArgumentNullException.ThrowIfNull(sentInLastHour);
        ArgumentNullException.ThrowIfNull(settings);
        var lastHour = sentInLastHour.Where(at => at > now.AddHours(-1)).ToList();
        if (lastHour.Count > 0 && now - lastHour.Max() < settings.ResendInterval)
        {
            var wait = Math.Max(1, (int)Math.Ceiling((settings.ResendInterval - (now - lastHour.Max())).TotalSeconds));
            return wait == 1
                ? OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Code.WaitOneSecond")
                : OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Code.WaitSeconds", wait);
        }

        return lastHour.Count >= settings.MaxCodesPerHour
            ? OperationError.ForCustomer(ErrorKind.TooManyRequests, "Error.Code.TooManyForLink", settings.MaxCodesPerHour)
            : null;
    }

    /// <summary>What <paramref name="entered"/> is worth against <paramref name="code"/> at <paramref name="now"/>.</summary>
    public static CodeVerdict Judge(IdentityCode code, string? entered, DateTimeOffset now, IdentityCheckOptions settings)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(settings);
        if (code.VerifiedAt is not null || code.ClosedAt is not null || code.FailedAttempts >= settings.MaxAttempts)
        {
            return CodeVerdict.Closed;
        }

        if (now >= code.ExpiresAt)
        {
            return CodeVerdict.Expired;
        }

        return OneTimeCodes.Matches(entered, code.Salt, code.CodeHash) ? CodeVerdict.Accepted : CodeVerdict.Wrong;
    }

    /// <summary>The contract's identity check as its advisor (or an admin) sees it.</summary>
    public async Task<Outcome<IdentityCheckSettings>> GetSettingsAsync(Actor actor, Guid contractId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().VisibleTo(actor).Include(c => c.Customer).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
        return contract is null ? OperationError.NotFound("That contract") : await SettingsOfAsync(db, contract, cancellationToken);
    }

    /// <summary>Turns the contract's identity check on or off and sets or removes the customer's phone (the contract's advisor; not once signed).</summary>
    public async Task<Outcome<IdentityCheckSettings>> ChangeAsync(Actor actor, Guid contractId, IdentityCheckChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(change);
        string? phone = null;
        if (change.CustomerPhone is { } typed && typed.Trim().Length > 0)
        {
            phone = ContactPoints.NormalizePhone(typed);
            if (phone is null)
            {
                return new OperationError(ErrorKind.Invalid, "Enter the customer's mobile number in international form, starting with + and the country code, such as +44 7700 900123.");
            }
        }

        return await ChangeContractAsync(actor, contractId, async (db, contract, now) =>
        {
            var stream = AuditStreams.Contract(contract.Id);
            var who = AuditActor.For(actor);
            var changed = false;
            if (change.Required is { } required && contract.IdentityCheckOff == required)
            {
                contract.IdentityCheckOff = !required;
                contract.IdentityCheckOffById = required ? null : actor.UserId;
                await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityCheckWaived, who, new { off = !required }, now, cancellationToken);
                changed = true;
            }

            if (change.CustomerPhone is not null && contract.CustomerPhone != phone)
            {
                contract.CustomerPhone = phone;
                await AuditTrail.AppendAsync(db, stream, AuditEventTypes.IdentityPhoneSet, who, new { phone = phone is null ? null : ContactPoints.MaskPhone(phone) }, now, cancellationToken);
                changed = true;
            }

            return changed;
        }, cancellationToken);
    }

    /// <summary>Records the identity check the advisor did in person or by video; it stands in for codes, for joining and for signing.</summary>
    public async Task<Outcome<IdentityCheckSettings>> RecordAdvisorCheckAsync(Actor actor, Guid contractId, AdvisorCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var documentType = request.DocumentType?.Trim() ?? "";
        var ending = request.DocumentEnding?.Trim().ToUpperInvariant() ?? "";
        if (!Enum.IsDefined(request.Method))
        {
            return new OperationError(ErrorKind.Invalid, "Say how you checked the customer's identity: InPerson or Video.");
        }

        if (documentType.Length is < 2 or > AdvisorIdentityCheck.MaxDocumentTypeLength || documentType.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return new OperationError(ErrorKind.Invalid, $"Name the document you saw, such as passport or driving licence (2 to {AdvisorIdentityCheck.MaxDocumentTypeLength} characters).");
        }

        if (ending.Length != 4 || !ending.All(char.IsAsciiLetterOrDigit))
        {
            return new OperationError(ErrorKind.Invalid, "Enter the last four letters or digits of the document's number (never the whole number).");
        }

        return await ChangeContractAsync(actor, contractId, async (db, contract, now) =>
        {
            contract.AdvisorCheck = new AdvisorIdentityCheck
            {
                Method = request.Method,
                DocumentType = documentType,
                DocumentEnding = ending,
                CheckedById = actor.UserId,
                CheckedAt = AuditTrail.Normalize(now),
            };
            await AuditTrail.AppendAsync(
                db,
                AuditStreams.Contract(contract.Id),
                AuditEventTypes.IdentityCheckRecorded,
                AuditActor.For(actor),
                new { method = request.Method.ToString(), documentType, documentEnding = ending },
                now,
                cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The sentence the customer's signature carries about the check passed: the code (from
    /// <paramref name="signingCode"/>), the advisor's check, or why there was none.
    /// </summary>
    public static async Task<string> SentenceForSignatureAsync(LiveContractDbContext db, Contract contract, IdentityCheckOptions settings, IdentityCode? signingCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(settings);
        if (contract.AdvisorCheck is { } check)
        {
            return IdentityCheckSentences.ByAdvisor(check.Method, await NameOfAsync(db, check.CheckedById, cancellationToken), check.DocumentType, check.DocumentEnding, check.CheckedAt);
        }

        if (!settings.Enabled)
        {
            return IdentityCheckSentences.TurnedOffForInstallation;
        }

        if (contract.IdentityCheckOff)
        {
            return IdentityCheckSentences.TurnedOff(await NameOfAsync(db, contract.IdentityCheckOffById, cancellationToken));
        }

        return signingCode is { VerifiedAt: { } at }
            ? IdentityCheckSentences.ByCode(signingCode.Destination, at)
            : throw new InvalidOperationException("A customer signature that needs a code was about to be recorded without one.");
    }

    private IdentityRequirement RequirementOf(Contract contract) => new(
        CodeRequired(contract, Settings),
        ContactPoints.MaskEmail(contract.Customer!.Email),
        contract.CustomerPhone is { } phone && smsSender.IsConfigured ? ContactPoints.MaskPhone(phone) : null,
        Settings.CodeLifetime);

    private static Task<Contract?> ContractOfLinkAsync(LiveContractDbContext db, Guid linkId, CancellationToken cancellationToken) =>
        db.Contracts.AsNoTracking()
            .Include(c => c.Customer)
            .Where(c => db.LiveSessions.Any(s => s.ContractId == c.Id && s.Links.Any(l => l.Id == linkId)))
            .SingleOrDefaultAsync(cancellationToken);

    private async Task<Outcome<IdentityCheckSettings>> ChangeContractAsync(
        Actor actor,
        Guid contractId,
        Func<LiveContractDbContext, Contract, DateTimeOffset, Task<bool>> change,
        CancellationToken cancellationToken)
    {
        var changed = await AuditWrites.RunAsync<Contract>(
            databases,
            async db =>
            {
                var contract = await db.Contracts.VisibleTo(actor).Include(c => c.Customer).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
                if (contract is null)
                {
                    return OperationError.NotFound("That contract");
                }

                if (ContractRules.CanChange(contract.AdvisorId, actor) is { } forbidden)
                {
                    return forbidden;
                }

                if (contract.Status == ContractStatus.Signed)
                {
                    return SignedContract;
                }

                var now = time.GetUtcNow();
                if (await change(db, contract, now))
                {
                    contract.Touch(now);
                    await db.SaveChangesAsync(cancellationToken);
                }

                return contract;
            },
            cancellationToken,
            alsoOnVersionConflict: true);
        if (!changed.Succeeded)
        {
            return changed.Error!;
        }

        await using var read = await databases.CreateDbContextAsync(cancellationToken);
        return await SettingsOfAsync(read, changed.Value!, cancellationToken);
    }

    private async Task<IdentityCheckSettings> SettingsOfAsync(LiveContractDbContext db, Contract contract, CancellationToken cancellationToken)
    {
        var offBy = contract.IdentityCheckOff ? await NameOfAsync(db, contract.IdentityCheckOffById, cancellationToken) : null;
        var advisorCheck = contract.AdvisorCheck is { } check
            ? new AdvisorCheckInfo(check.Method, check.DocumentType, check.DocumentEnding, await NameOfAsync(db, check.CheckedById, cancellationToken), check.CheckedAt)
            : null;
        var summary = advisorCheck is not null
            ? IdentityCheckSentences.ByAdvisor(advisorCheck.Method, advisorCheck.CheckedBy, advisorCheck.DocumentType, advisorCheck.DocumentEnding, advisorCheck.CheckedAt)
            : !Settings.Enabled ? IdentityCheckSentences.TurnedOffForInstallation
            : offBy is not null ? IdentityCheckSentences.TurnedOff(offBy)
            : $"The customer confirms their identity with a code sent to {ContactPoints.MaskEmail(contract.Customer!.Email)}"
              + (contract.CustomerPhone is { } phone && smsSender.IsConfigured ? $" or by text message to {ContactPoints.MaskPhone(phone)}" : "")
              + ", before joining and again before signing.";
        return new IdentityCheckSettings(Settings.Enabled, contract.IdentityCheckOff, offBy, contract.CustomerPhone, smsSender.IsConfigured, advisorCheck, summary);
    }

    private static async Task<string> NameOfAsync(LiveContractDbContext db, string? userId, CancellationToken cancellationToken) =>
        userId is null ? "the advisor" : await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken) ?? "the advisor";
}

/// <summary>What an entered code is worth.</summary>
public enum CodeVerdict
{
    Accepted,
    Wrong,
    Expired,

    /// <summary>Already used, replaced or worn out: it takes no more tries.</summary>
    Closed,
}
