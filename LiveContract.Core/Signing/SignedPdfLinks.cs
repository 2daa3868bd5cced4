using System.Globalization;
using System.Security.Cryptography;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LiveContract.Core.Signing;

/// <summary>How long the download link in the "contract signed" email works.</summary>
public sealed class SignedPdfLinkOptions
{
    public const string Section = "Signing";

    /// <summary>How long the emailed link to the signed PDF stays valid.</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Throws <see cref="ConfigurationErrorException"/> when the lifetime cannot work.</summary>
    public void Validate()
    {
        if (DownloadLinkLifetime <= TimeSpan.Zero)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(DownloadLinkLifetime)} must be a positive time, such as 30.00:00:00 (30 days).");
        }
    }
}

/// <summary>Who an emailed download link was sent to, for which contract, and until when it works.</summary>
public sealed record SignedPdfLinkGrant(Guid ContractId, SignerRole Recipient, string RecipientId, DateTimeOffset ExpiresAt);

/// <summary>Why an emailed download link opens nothing.</summary>
public enum SignedPdfLinkProblem
{
    /// <summary>Not a link this installation made (forged, mistyped or cut short).</summary>
    Unknown,
    Expired,
}

/// <summary>The answer for an emailed download link: a grant, or the problem.</summary>
public sealed record SignedPdfLinkCheck(SignedPdfLinkGrant? Grant, SignedPdfLinkProblem? Problem);

/// <summary>
/// The links to a signed contract's PDF that the "contract signed" email carries: <c>/signed/{token}</c>,
/// where the token is the contract, the recipient and an expiry, encrypted and authenticated with
/// Data Protection (keys shared by every server through the database), so nothing is stored and a
/// changed token opens nothing. Valid for <see cref="SignedPdfLinkOptions.DownloadLinkLifetime"/>.
/// </summary>
public sealed class SignedPdfLinks(IDataProtectionProvider dataProtection, IOptions<SignedPdfLinkOptions> options, IPublicUrl publicUrl, TimeProvider time)
{
    public const string PathPrefix = "signed/";

    private const string Version = "v1";

    private readonly IDataProtector protector = dataProtection.CreateProtector("LiveContract.Signing.SignedPdfLink.v1");

    /// <summary>The absolute link for <paramref name="recipientId"/> (the customer's id or the advisor's user id) under the public address (<see cref="IPublicUrl"/>), and when it stops working.</summary>
    public (string Url, DateTimeOffset ExpiresAt) Create(Guid contractId, SignerRole recipient, string recipientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipientId);
        var settings = options.Value;
        settings.Validate();
        var expiresAt = time.GetUtcNow() + settings.DownloadLinkLifetime;
        var payload = string.Join(
            '|',
            Version,
            contractId.ToString("N"),
            recipient.ToString(),
            expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            recipientId);
        return (publicUrl.Resolve(PathPrefix + protector.Protect(payload)).AbsoluteUri, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>What the token (the last segment of the link) grants, or why it grants nothing.</summary>
    public SignedPdfLinkCheck Check(string? token)
    {
        string payload;
        try
        {
            payload = protector.Unprotect(token ?? "");
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return new SignedPdfLinkCheck(null, SignedPdfLinkProblem.Unknown);
        }

        var parts = payload.Split('|', 5);
        if (parts.Length != 5
            || parts[0] != Version
            || !Guid.TryParseExact(parts[1], "N", out var contractId)
            || !Enum.TryParse<SignerRole>(parts[2], out var recipient)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return new SignedPdfLinkCheck(null, SignedPdfLinkProblem.Unknown);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return expiresAt <= time.GetUtcNow()
            ? new SignedPdfLinkCheck(null, SignedPdfLinkProblem.Expired)
            : new SignedPdfLinkCheck(new SignedPdfLinkGrant(contractId, recipient, parts[4], expiresAt), null);
    }
}
