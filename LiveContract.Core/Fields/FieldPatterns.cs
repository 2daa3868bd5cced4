using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LiveContract.Core.Fields;

/// <summary>
/// A field's pattern as every value is checked against it: the whole value must match,
/// culture-invariant, with .NET's non-backtracking engine (time linear in the value, so no pattern
/// and value can keep a live session busy) and a timeout besides. Placing a field compiles its
/// pattern exactly this way, so a pattern accepted there is one values can be checked against.
/// </summary>
public static class FieldPatterns
{
    /// <summary>How long a pattern may take to check one value.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    private const int CacheLimit = 1024;

    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    /// <summary>The regular expression for <paramref name="pattern"/>; throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> when it is not one this engine runs.</summary>
    public static Regex WholeValue(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (Compiled.TryGetValue(pattern, out var known))
        {
            return known;
        }

        if (Compiled.Count >= CacheLimit)
        {
            Compiled.Clear();
        }

        var regex = new Regex($"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Timeout);
        return Compiled.GetOrAdd(pattern, regex);
    }

    /// <summary>Whether <paramref name="pattern"/> compiles as <see cref="WholeValue"/> needs it.</summary>
    public static bool IsValid(string pattern)
    {
        try
        {
            WholeValue(pattern);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
