using System.Security.Cryptography;

namespace LiveContract.Core.Documents.Storage;

/// <summary>
/// Storage keys of documents: random, and made only of <c>a-z</c>, <c>0-9</c> and <c>-</c>, so a
/// key can never name a path outside the store (no separators, no <c>..</c>).
/// </summary>
public static class DocumentKey
{
    /// <summary>The longest key a store accepts.</summary>
    public const int MaxLength = 128;

    /// <summary>A new random key: 128 bits as 32 lowercase hexadecimal characters.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="key"/> has 1 to <see cref="MaxLength"/> characters, each a-z, 0-9 or '-'.</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> <see cref="IsValid">is valid</see>.</summary>
    public static void Validate(string? key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException(
                $"'{key}' is not a document key: use 1 to {MaxLength} characters among a-z, 0-9 and '-'.", nameof(key));
        }
    }
}
