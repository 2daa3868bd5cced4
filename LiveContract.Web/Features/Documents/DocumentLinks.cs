using System.Globalization;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.Documents;

/// <summary>
/// Short-lived signed links to a document's bytes, bound to the person they were made for: a staff
/// user (<c>user:{id}</c>) or a customer link (<c>link:{id}</c>). The token is encrypted and
/// authenticated with the app's Data Protection keys and carries its expiry; the content endpoint
/// checks it, then checks the person may still see the document.
/// </summary>
public sealed class DocumentLinks(IDataProtectionProvider protection, IOptions<DocumentOptions> options, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("LiveContract.DocumentLinks").ToTimeLimitedDataProtector();

    public sealed record Link(string Url, DateTimeOffset ExpiresAt);

    /// <summary>A path relative to the app's base for a staff user, valid for <see cref="DocumentOptions.LinkLifetime"/>.</summary>
    public Link Create(Guid documentId, string userId) => CreateFor(documentId, UserKey(userId));

    /// <summary>A path relative to the app's base for a live session's participant (staff or customer), valid for <see cref="DocumentOptions.LinkLifetime"/>.</summary>
    public Link Create(Guid documentId, SessionCaller caller) => CreateFor(documentId, KeyOf(caller));

    /// <summary>Whether <paramref name="token"/> is an unexpired, untouched link to this document for this caller.</summary>
    public bool IsValid(string? token, Guid documentId, SessionCaller caller)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        try
        {
            var payload = protector.Unprotect(token, out var expiration);
            return expiration > time.GetUtcNow()
                && string.Equals(payload, Payload(documentId, KeyOf(caller)), StringComparison.Ordinal);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private Link CreateFor(Guid documentId, string principalKey)
    {
        var expires = time.GetUtcNow() + options.Value.LinkLifetime;
        var token = protector.Protect(Payload(documentId, principalKey), expires);
        return new Link($"documents/{documentId}/content?token={Uri.EscapeDataString(token)}", expires);
    }

    private static string KeyOf(SessionCaller caller) => caller switch
    {
        SessionCaller.Staff staff => UserKey(staff.Actor.UserId),
        SessionCaller.Customer customer => string.Create(CultureInfo.InvariantCulture, $"link:{customer.LinkId:N}"),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private static string UserKey(string userId) => $"user:{userId}";

    private static string Payload(Guid documentId, string principalKey) =>
        string.Create(CultureInfo.InvariantCulture, $"{documentId:N}|{principalKey}");
}
