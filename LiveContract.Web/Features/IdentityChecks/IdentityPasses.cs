using Microsoft.AspNetCore.DataProtection;

namespace LiveContract.Web.Features.IdentityChecks;

/// <summary>
/// A device's pass for one customer link, for programs (hub clients and API callers with the link
/// as bearer token), which keep no cookie: the accepted join code's id and the link's id, protected
/// with the installation's Data Protection keys, sent back in the <see cref="HeaderName"/> header.
/// Browsers keep the same pass as a claim of the customer cookie.
/// </summary>
internal sealed class IdentityPasses(IDataProtectionProvider protection)
{
    public const string HeaderName = "X-LiveContract-Identity";

    private readonly IDataProtector protector = protection.CreateProtector("LiveContract.IdentityPass.v1");

    public string Issue(Guid linkId, Guid checkId) => protector.Protect($"{linkId:N}.{checkId:N}");

    /// <summary>The check id the pass carries for <paramref name="linkId"/>, or null for a pass that is forged, damaged or of another link.</summary>
    public Guid? Read(string? pass, Guid linkId)
    {
        if (string.IsNullOrWhiteSpace(pass))
        {
            return null;
        }

        try
        {
            var parts = protector.Unprotect(pass.Trim()).Split('.');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var link) && link == linkId && Guid.TryParseExact(parts[1], "N", out var check)
                ? check
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
