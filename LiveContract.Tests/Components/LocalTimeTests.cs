using Bunit;
using LiveContract.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>A time on the reader's clock, named as the browser names its zone, with the UTC time in its tooltip.</summary>
public sealed class LocalTimeTests : ComponentTestContext
{
    /// <summary>What Chromium's <c>Intl.DateTimeFormat</c> names each zone's offsets in English (see LocalTime.razor.js); India's has only an offset.</summary>
    private static readonly Dictionary<string, BrowserTimeZone.OffsetName[]> Names = new()
    {
        ["Europe/Paris"] = [new(60, "CET"), new(120, "CEST")],
        ["America/New_York"] = [new(-300, "EST"), new(-240, "EDT")],
        ["Etc/UTC"] = [new(0, "UTC")],
        ["Asia/Kolkata"] = [new(330, null)],
    };

    [Theory]
    [InlineData("Europe/Paris", "2026-12-07T13:02:00Z", "14:02 CET")]
    [InlineData("Europe/Paris", "2026-07-15T12:00:00Z", "14:00 CEST")]
    [InlineData("America/New_York", "2026-12-07T13:02:00Z", "08:02 EST")]
    [InlineData("America/New_York", "2026-07-15T12:00:00Z", "08:00 EDT")]
    [InlineData("Etc/UTC", "2026-12-07T13:02:00Z", "13:02 UTC")]
    [InlineData("Asia/Kolkata", "2026-12-07T13:02:00Z", "18:32 UTC+5:30")]
    public void A_time_shows_in_utc_until_the_browser_says_its_zone_then_on_its_clock_with_the_utc_as_tooltip(string zone, string utc, string expected)
    {
        var reading = TimeZoneModule.Setup<BrowserTimeZone.Reading>("readTimeZone");
        var at = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        var utcText = $"{at.UtcDateTime:HH:mm} UTC";

        var time = Context.Render<LocalTime>(p => p.Add(t => t.At, at).Add(t => t.Format, "HH:mm"));
        Assert.Equal(utcText, time.Find("time").TextContent);

        reading.SetResult(new BrowserTimeZone.Reading(zone, Names[zone]));

        time.WaitForAssertion(() => Assert.Equal(expected, time.Find("time").TextContent));
        Assert.Equal(utcText, time.Find("time").GetAttribute("title"));
        Assert.Equal(at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), time.Find("time").GetAttribute("datetime"));
    }

    [Fact]
    public void A_zone_the_server_does_not_know_leaves_times_in_utc()
    {
        TimeZoneModule.Setup<BrowserTimeZone.Reading>("readTimeZone").SetResult(new BrowserTimeZone.Reading("Mars/Olympus_Mons", []));

        var time = Context.Render<LocalTime>(p => p.Add(t => t.At, new DateTimeOffset(2026, 12, 7, 13, 2, 0, TimeSpan.Zero)));

        Assert.Equal("2026-12-07 13:02 UTC", time.Find("time").TextContent);
        Assert.Null(Context.Services.GetRequiredService<BrowserTimeZone>().ZoneId);
    }
}
