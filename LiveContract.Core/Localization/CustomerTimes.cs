using System.Globalization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Core.Localization;

/// <summary>Times as a customer reads them in an email: in their time zone when the contract knows it, else in UTC, said so.</summary>
public static class CustomerTimes
{
    /// <summary><paramref name="at"/> in the current culture, in <paramref name="timeZone"/> (an IANA name) or in UTC.</summary>
    public static string Format(IStringLocalizer<CustomerText> text, DateTimeOffset at, string? timeZone)
    {
        var culture = CultureInfo.CurrentCulture;
        if (timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            var local = TimeZoneInfo.ConvertTime(at, zone);
            return text["Email.TimeZone", local.ToString("D", culture), local.ToString("t", culture), timeZone].Value;
        }

        var utc = at.ToUniversalTime();
        return text["Email.TimeUtc", utc.ToString("D", culture), utc.ToString("t", culture)].Value;
    }
}
