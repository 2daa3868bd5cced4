namespace LiveContract.Core.Common;

/// <summary>How much of a client's IP address and user agent is kept (the columns that store them).</summary>
public static class ClientLimits
{
    public const int MaxIpAddressLength = 64;

    public const int MaxUserAgentLength = 512;

    /// <summary><paramref name="value"/> cut to <paramref name="length"/> characters; null when empty.</summary>
    public static string? Clip(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
