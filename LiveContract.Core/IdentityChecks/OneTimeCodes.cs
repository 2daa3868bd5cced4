using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveContract.Core.IdentityChecks;

/// <summary>Six-digit one-time codes: made at random, kept only as an HMAC-SHA256 under a salt of their own, compared in constant time.</summary>
public static class OneTimeCodes
{
    public const int Length = 6;

    public const int SaltLength = 16;

    /// <summary>A new code of <see cref="Length"/> digits, uniformly random.</summary>
    public static string Create() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltLength);

    public static byte[] Hash(string code, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(code);
        return HMACSHA256.HashData(salt, Encoding.ASCII.GetBytes(code));
    }

    /// <summary>Whether <paramref name="entered"/> (spaces and dashes ignored) is the code behind <paramref name="hash"/>.</summary>
    public static bool Matches(string? entered, byte[] salt, byte[] hash)
    {
        var code = Normalize(entered);
        return code is not null && CryptographicOperations.FixedTimeEquals(Hash(code, salt), hash);
    }

    /// <summary>The digits typed, without the spaces or dashes people add; null when that is not six digits.</summary>
    public static string? Normalize(string? entered)
    {
        if (entered is null)
        {
            return null;
        }

        var digits = new StringBuilder(Length);
        foreach (var c in entered)
        {
            if (c is ' ' or '-' or '\u00a0')
            {
                continue;
            }

            if (c is < '0' or > '9' || digits.Length == Length)
            {
                return null;
            }

            digits.Append(c);
        }

        return digits.Length == Length ? digits.ToString() : null;
    }
}
