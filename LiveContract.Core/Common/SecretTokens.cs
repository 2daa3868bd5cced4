using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace LiveContract.Core.Common;

/// <summary>Bearer secrets (API tokens, customer links): 256 random bits after a prefix, shown once; only their SHA-256 is stored.</summary>
public static class SecretTokens
{
    /// <summary>A new secret: <paramref name="prefix"/> and 43 base64url characters.</summary>
    public static string Create(string prefix) => prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored of a secret: its SHA-256, lower-case hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
