using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace LiveContract.Core.LiveSessions;

/// <summary>Customer link tokens: 256 random bits, shown once in the link; only their SHA-256 is stored.</summary>
internal static class LiveSessionTokens
{
    public const string Prefix = "lcs_";

    /// <summary>The length of every token issued: the prefix and 43 base64url characters.</summary>
    public const int Length = 47;

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Create() => Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="token"/> has the shape of one we issue; anything else is not worth a database look-up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length }
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && !token.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlCharacters);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
