using AngleSharp.Dom;

namespace LiveContract.Tests.Components;

/// <summary>
/// A link to a file is a real download: <c>download</c> makes the browser save the response and
/// keeps Blazor's navigation from intercepting the click, and <c>data-enhance-nav="false"</c> keeps
/// enhanced navigation from fetching it first (which downloaded the file, and audited it, twice).
/// </summary>
internal static class DownloadAnchors
{
    public static void AssertDownloadsOnce(IElement anchor)
    {
        Assert.Equal("a", anchor.LocalName);
        Assert.True(anchor.HasAttribute("download"), $"{anchor.GetAttribute("href")} has no download attribute");
        Assert.Equal("false", anchor.GetAttribute("data-enhance-nav"));
    }
}
