using System.Reflection;

namespace LiveContract.Core.Audit;

/// <summary>
/// The names of audit events (<see cref="AuditEvent.Type"/>): those on a contract's stream, then
/// those on the system stream (<see cref="AuditStreams.System"/>).
/// </summary>
public static class AuditEventTypes
{
    /// <summary>Every type above, so a family (<c>user.</c>) can be filtered as a list of exact types the (Stream, Type, Sequence) index serves.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditEventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    public const string ContractCreated = "contract.created";
    public const string ContractUpdated = "contract.updated";
    public const string StatusChanged = "contract.status_changed";
    public const string DocumentUploaded = "document.uploaded";
    public const string DocumentRemoved = "document.removed";
    /// <summary>The advisor placed a field. Data: fieldId, documentId, fileName, page, kind, label, party, required, source.</summary>
    public const string FieldAdded = "field.added";

    /// <summary>The advisor changed a field. Data: as <see cref="FieldAdded"/> (the field as it is now), plus changed (the names of what changed).</summary>
    public const string FieldChanged = "field.changed";

    /// <summary>The advisor removed a field. Data: as <see cref="FieldAdded"/> (the field as it was).</summary>
    public const string FieldRemoved = "field.removed";
    public const string SessionStarted = "session.started";
    public const string SessionEnded = "session.ended";

    /// <summary>The contract became Signed, which completed its live session (written in the same transaction, by the system). Data: sessionId.</summary>
    public const string SessionCompleted = "session.completed";
    public const string LinkSent = "session.link_sent";
    public const string LinkRevoked = "session.link_revoked";
    public const string LinkUsed = "session.link_used";
    public const string ParticipantJoined = "session.participant_joined";
    public const string ParticipantLeft = "session.participant_left";
    public const string PagesViewed = "session.pages_viewed";
    /// <summary>A field's value was saved (one event per saved value; typing in between is not recorded). Data: fieldId, label, party (whose field), value, version, setAt.</summary>
    public const string FieldValueSet = "field.value_set";

    public const string SignatureRecorded = "signature.recorded";
    public const string ContractSigned = "contract.signed";
    public const string ContractSealed = "contract.sealed";

    /// <summary>
    /// Sealing was refused for good: a document is over the limits of what a PDF may expand to
    /// (<see cref="Documents.DocumentOptions"/>). Written once; the background sealer does not try
    /// such a contract again (only "Seal now" does). Data: documentId, fileName, reason.
    /// </summary>
    public const string SealingRefused = "contract.sealing_refused";
    public const string SealedDownloaded = "sealed.downloaded";

    /// <summary>A one-time code went to the customer. Data: linkId, purpose (Join, Sign), channel (Email, Sms), to (masked), expiresAt.</summary>
    public const string IdentityCodeSent = "identity.code_sent";

    /// <summary>The customer entered the right code. Data: codeId, linkId, purpose, channel, to (masked).</summary>
    public const string IdentityCodeAccepted = "identity.code_accepted";

    /// <summary>A wrong code was entered. Data: codeId, linkId, purpose, triesLeft.</summary>
    public const string IdentityCodeRefused = "identity.code_refused";

    /// <summary>A code was tried after it expired. Data: codeId, linkId, purpose.</summary>
    public const string IdentityCodeExpired = "identity.code_expired";

    /// <summary>A code took its last wrong try and no longer works. Data: codeId, linkId, purpose.</summary>
    public const string IdentityCodeExhausted = "identity.code_exhausted";

    /// <summary>The advisor turned the contract's identity check off (off: true) or on again (off: false).</summary>
    public const string IdentityCheckWaived = "identity.check_waived";

    /// <summary>The advisor recorded an identity check they did. Data: method (InPerson, Video), documentType, documentEnding.</summary>
    public const string IdentityCheckRecorded = "identity.checked_by_advisor";

    /// <summary>The advisor set or removed the customer's phone number for codes. Data: phone (masked, or null).</summary>
    public const string IdentityPhoneSet = "identity.phone_set";

    /// <summary>An admin gave the contract to another advisor. Data: fromAdvisorId, fromAdvisorName, toAdvisorId, toAdvisorName.</summary>
    public const string ContractReassigned = "contract.reassigned";

    // The system stream. Data of every user event: userId, email (the account concerned), plus what is named.
    // Sign-in events are written right after Identity's outcome (AccountAudit); refused ones have the
    // anonymous actor (role "Anonymous") with the IP address.

    /// <summary>A person signed in with their password.</summary>
    public const string UserSignedIn = "user.signed_in";

    /// <summary>
    /// A sign-in was refused. Data: userId (null for an unknown account), email (the account's own
    /// address; for an unknown account only a mask of the text typed, <c>s***@example.com</c> or
    /// "(not an email address)", since it stays for ever and may be a password typed in the wrong box),
    /// reason ("wrong password", "unknown account", "locked out" (by failures), "locked by an administrator", "deactivated").
    /// </summary>
    public const string UserSignInFailed = "user.sign_in_failed";

    /// <summary>Too many failed sign-ins locked the account. Data: until. Written by versions whose failed passwords locked accounts; kept to read their trails.</summary>
    public const string UserLockedOut = "user.locked_out";

    /// <summary>Data: displayName, role.</summary>
    public const string UserCreated = "user.created";

    public const string UserLocked = "user.locked";

    public const string UserUnlocked = "user.unlocked";

    /// <summary>An admin set the person's password.</summary>
    public const string UserPasswordSet = "user.password_set";

    /// <summary>A set-password or reset link was emailed.</summary>
    public const string UserPasswordLinkSent = "user.password_link_sent";

    /// <summary>The person changed their own password, or chose one through an emailed link. Data: how ("own change", "emailed link").</summary>
    public const string UserPasswordChanged = "user.password_changed";

    /// <summary>Data: from, to (role lists).</summary>
    public const string UserRolesChanged = "user.roles_changed";

    /// <summary>The advisor left: no sign-in, their API tokens revoked (each with token.revoked). Data: reassignedToId, reassignedToName, contractsReassigned, sessionsEnded, tokensRevoked.</summary>
    public const string UserDeactivated = "user.deactivated";

    public const string UserReactivated = "user.reactivated";

    /// <summary>The owner created a personal API token. Data: tokenId, name, prefix, ownerId.</summary>
    public const string TokenCreated = "token.created";

    /// <summary>The owner or an admin (the actor says which) revoked a token. Data: tokenId, name, prefix, ownerId.</summary>
    public const string TokenRevoked = "token.revoked";

    /// <summary>
    /// The server started with settings other than those last recorded (<see cref="SettingsAudit"/>).
    /// Data: changes { setting: { from, to } } and settings { setting: value } (all, as now); nothing secret.
    /// </summary>
    public const string SettingsChanged = "settings.changed";

    /// <summary>An admin recomputed every chain. Data: streams, events, broken (how many failed), brokenStreams (the first 100 of them).</summary>
    public const string ChainsVerified = "audit.chains_verified";
}
