using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Audit;

/// <summary>What a sign-in page saw: the email as typed (recorded only masked, see <see cref="AccountAudit.Mask"/>), the account it names (if any), whether that account was already locked before this attempt, and the outcome.</summary>
public sealed record SignInAttempt(string TypedEmail, string? UserId, bool WasLockedOut, bool Succeeded, string? IpAddress);

/// <summary>
/// Records sign-ins and password changes on the system stream. Identity saves these changes itself,
/// so each event is written in its own transaction right after the outcome; a failure to write one
/// is logged (never the password, never the typed email) and does not undo or block the sign-in.
/// </summary>
public sealed class AccountAudit(IDbContextFactory<LiveContractDbContext> databases, TimeProvider time, ILogger<AccountAudit> logger)
{
    /// <summary>How much of a typed email's domain a refused sign-in of an unknown account keeps (Identity's email column holds 256).</summary>
    public const int MaxTypedEmailLength = 256;

    /// <summary>What a refused sign-in of an unknown account keeps when the text typed is not an email address.</summary>
    public const string NotAnEmailAddress = "(not an email address)";

    public const string WrongPassword = "wrong password";
    public const string UnknownAccount = "unknown account";
    public const string LockedOut = "locked out";
    public const string LockedByAdministrator = "locked by an administrator";
    public const string Deactivated = "deactivated";

    public const string OwnChange = "own change";
    public const string EmailedLink = "emailed link";

    /// <summary>
    /// Writes <see cref="AuditEventTypes.UserSignedIn"/> or <see cref="AuditEventTypes.UserSignInFailed"/> with
    /// the reason. Failed passwords lock no account (see docs/security.md), so sign-ins no longer
    /// write <see cref="AuditEventTypes.UserLockedOut"/>; older trails keep theirs.
    /// </summary>
    public Task RecordSignInAsync(SignInAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RecordAsync(attempt.Succeeded ? AuditEventTypes.UserSignedIn : AuditEventTypes.UserSignInFailed, attempt.UserId, async db =>
        {
            var now = time.GetUtcNow();
            var user = attempt.UserId is null ? null : await FindAsync(db, attempt.UserId, cancellationToken);
            if (user is null)
            {
                await AppendAsync(db, AuditEventTypes.UserSignInFailed, AuditActor.Anonymous(attempt.IpAddress), new { userId = (string?)null, email = Mask(attempt.TypedEmail), reason = UnknownAccount }, now);
                return;
            }

            if (attempt.Succeeded)
            {
                await AppendAsync(db, AuditEventTypes.UserSignedIn, AuditActor.ForUser(user.Id, user.IsAdmin, attempt.IpAddress), new { userId = user.Id, email = user.Email }, now);
                return;
            }

            var reason = !attempt.WasLockedOut ? WrongPassword
                : user.DeactivatedAt is not null ? Deactivated
                : IsLockedForGood(user.LockoutEnd) ? LockedByAdministrator
                : LockedOut;
            await AppendAsync(db, AuditEventTypes.UserSignInFailed, AuditActor.Anonymous(attempt.IpAddress), new { userId = user.Id, email = user.Email, reason }, now);
        }, cancellationToken);
    }

    /// <summary>
    /// What an unknown account's refused sign-in keeps of the text typed, which stays on the
    /// append-only system stream for ever and may be anything (a password typed in the wrong box):
    /// for an email address (one <c>@</c>, no white space) its first character, <c>***</c> and the
    /// domain (<c>s***@example.com</c>); otherwise <see cref="NotAnEmailAddress"/>.
    /// </summary>
    public static string Mask(string? typed)
    {
        var text = typed?.Trim() ?? "";
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@', at + 1) >= 0 || text.Any(char.IsWhiteSpace))
        {
            return NotAnEmailAddress;
        }

        return ClientLimits.Clip(string.Concat(text.AsSpan(0, 1), "***", text.AsSpan(at)), MaxTypedEmailLength)!;
    }

    /// <summary>Writes <see cref="AuditEventTypes.UserPasswordChanged"/>: <paramref name="how"/> is <see cref="OwnChange"/> or <see cref="EmailedLink"/>.</summary>
    public Task RecordPasswordChangedAsync(string userId, string how, string? ipAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(how);
        return RecordAsync(AuditEventTypes.UserPasswordChanged, userId, async db =>
        {
            if (await FindAsync(db, userId, cancellationToken) is { } user)
            {
                await AppendAsync(db, AuditEventTypes.UserPasswordChanged, AuditActor.ForUser(user.Id, user.IsAdmin, ipAddress), new { userId = user.Id, email = user.Email, how }, time.GetUtcNow());
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Whether a locked account was blocked by an administrator rather than by failures: five wrong
    /// authenticator codes lock until a moment (15 minutes later); an administrator's lock and a deactivation
    /// lock for ever (<see cref="DateTimeOffset.MaxValue"/>, read back a little earlier: the
    /// databases keep 100 µs or 1 µs, not .NET's 100 ns).
    /// </summary>
    private static bool IsLockedForGood(DateTimeOffset? lockoutEnd) => lockoutEnd > DateTimeOffset.MaxValue.AddYears(-1);

    private static async Task<Account?> FindAsync(LiveContractDbContext db, string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.Email, u.LockoutEnd, u.DeactivatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var isAdmin = await db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin), cancellationToken);
        return new Account(user.Id, user.Email, user.LockoutEnd, user.DeactivatedAt, isAdmin);
    }

    private Task AppendAsync(LiveContractDbContext db, string type, AuditActor actor, object data, DateTimeOffset now) =>
        AuditTrail.AppendAsync(db, AuditStreams.System, type, actor, data, now);

    private async Task RecordAsync(string type, string? userId, Func<LiveContractDbContext, Task> append, CancellationToken cancellationToken)
    {
        try
        {
            await AuditWrites.RunOrThrowAsync(databases, async db =>
            {
                await append(db);
                return await db.SaveChangesAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record the audit event {Type} for user {UserId}", type, userId ?? "(unknown account)");
        }
    }

    private sealed record Account(string Id, string? Email, DateTimeOffset? LockoutEnd, DateTimeOffset? DeactivatedAt, bool IsAdmin);
}
