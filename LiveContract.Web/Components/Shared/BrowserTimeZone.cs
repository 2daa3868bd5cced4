using System.Globalization;
using Microsoft.JSInterop;

namespace LiveContract.Web.Components.Shared;

/// <summary>
/// The reader's time zone, learned once per circuit from the browser (its IANA zone and the short
/// names it gives that zone's offsets), so screens show times as the reader's clock does, named
/// ("14:02 CET"). Until it is known (prerendering, static pages, a browser that does not say) times
/// are shown in UTC and say so. .NET on Linux knows a zone's rules but not its abbreviations, so
/// the browser names them: <c>Intl.DateTimeFormat</c> in English, where CET, EST or GMT is the usual
/// name, else an offset ("UTC+5:30").
/// </summary>
public sealed class BrowserTimeZone(IJSRuntime js, ILogger<BrowserTimeZone> logger)
{
    /// <summary>The script that reads the browser's zone (<c>readTimeZone</c>, answering a <see cref="Reading"/>).</summary>
    public const string ModulePath = "./Components/Shared/LocalTime.razor.js";

    private Task? learning;
    private TimeZoneInfo? zone;
    private Dictionary<int, string> names = [];

    /// <summary>Raised once, when the zone has been learned; times shown before then are shown again.</summary>
    public event Action? Changed;

    /// <summary>The zone's IANA name, or null while times are shown in UTC.</summary>
    public string? ZoneId => zone?.Id;

    /// <summary>Asks the browser for its zone the first time; later calls share that answer.</summary>
    public Task LearnAsync() => learning ??= LearnFromBrowserAsync();

    /// <summary>The time on the reader's clock with the zone's name, e.g. "2026-12-07 14:02 CET".</summary>
    public string Format(DateTimeOffset at, string format)
    {
        if (zone is null)
        {
            return FormatUtc(at, format);
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        return $"{local.ToString(format, CultureInfo.InvariantCulture)} {NameOf(local.Offset)}";
    }

    /// <summary>The time in UTC, saying so, e.g. "2026-12-07 13:02 UTC".</summary>
    public static string FormatUtc(DateTimeOffset at, string format) =>
        $"{at.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)} UTC";

    private string NameOf(TimeSpan offset)
    {
        if (names.TryGetValue((int)offset.TotalMinutes, out var name))
        {
            return name;
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = Math.Abs(offset.Hours);
        return offset.Minutes == 0 ? $"UTC{sign}{hours}" : $"UTC{sign}{hours}:{Math.Abs(offset.Minutes):00}";
    }

    private async Task LearnFromBrowserAsync()
    {
        Reading? answer;
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            answer = await module.InvokeAsync<Reading?>("readTimeZone");
        }
        catch (JSDisconnectedException)
        {
            return;
        }
        catch (JSException e)
        {
            logger.LogDebug(e, "The browser did not say its time zone; times stay in UTC");
            return;
        }

        if (answer?.TimeZone is not { Length: > 0 } id || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            return;
        }

        names = (answer.Names ?? []).Where(n => !string.IsNullOrWhiteSpace(n.Name)).GroupBy(n => n.OffsetMinutes).ToDictionary(g => g.Key, g => g.First().Name!);
        zone = found;
        Changed?.Invoke();
    }

    /// <summary>What <c>readTimeZone</c> answers: the IANA zone and the short name of each offset it has around now.</summary>
    public sealed record Reading(string? TimeZone, IReadOnlyList<OffsetName>? Names);

    /// <summary>A UTC offset in minutes and the browser's short name for it, or null when it has only an offset to say.</summary>
    public sealed record OffsetName(int OffsetMinutes, string? Name);
}
