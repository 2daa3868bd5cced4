using System.Globalization;
using LiveContract.Core.Documents;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.Documents;

/// <summary>
/// Short-lived signed links to a document's bytes, bound to the person they were made for. The
/// token is encrypted and authenticated with the app's Data Protection keys and carries its expiry;
/// the content endpoint checks it, then checks the person may still see the document.
/// </summary>
public sealed class DocumentLinks(IDataProtectionProvider protection, IOptions<DocumentOptions> options, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("LiveContract.DocumentLinks").ToTimeLimitedDataProtector();

    public sealed record Link(string Url, DateTimeOffset ExpiresAt);

    /// <summary>A path relative to the app's base, valid for <see cref="DocumentOptions.LinkLifetime"/>.</summary>
    public Link Create(Guid documentId, string userId)
    {
        var expires = time.GetUtcNow() + options.Value.LinkLifetime;
        var token = protector.Protect($"{documentId:N}|{userId}", expires);
        return new Link($"documents/{documentId}/content?token={Uri.EscapeDataString(token)}", expires);
    }

    /// <summary>Whether <paramref name="token"/> is an unexpired, untouched link to this document for this user.</summary>
    public bool IsValid(string? token, Guid documentId, string userId)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        try
        {
            var payload = protector.Unprotect(token, out var expiration);
            return expiration > time.GetUtcNow()
                && string.Equals(payload, string.Create(CultureInfo.InvariantCulture, $"{documentId:N}|{userId}"), StringComparison.Ordinal);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
