using System.Buffers;
using LiveContract.Core.Common;

namespace LiveContract.Core.LiveSessions;

/// <summary>Customer link tokens (<see cref="SecretTokens"/> with the <see cref="Prefix"/> <c>lcs_</c>), shown once in the link.</summary>
public static class LiveSessionTokens
{
    public const string Prefix = "lcs_";

    /// <summary>The length of every token issued: the prefix and 43 base64url characters.</summary>
    public const int Length = 47;

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Create() => SecretTokens.Create(Prefix);

    /// <summary>Whether <paramref name="token"/> has the shape of one we issue; anything else is not worth a database look-up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length }
        && token.StartsWith(Prefix, StringComparison.Ordinal)
        && !token.AsSpan(Prefix.Length).ContainsAnyExcept(Base64UrlCharacters);

    public static string Hash(string token) => SecretTokens.Hash(token);
}
