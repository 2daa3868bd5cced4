using System.Net;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>An address that leads nowhere answers 404 with a page that says so, in the reader's language.</summary>
public sealed class NotFoundPageTests
{
    [Fact]
    public async Task A_mistyped_address_says_there_is_nothing_there_in_the_readers_language()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        await app.CreateStaffAsync();
        using var web = app.CreateWebClient();

        using var english = await web.GetAsync("no-such-page");
        using var chosen = await web.GetAsync("culture?culture=fr&redirectUri=/verify");
        using var french = await web.GetAsync("contracts/not-a-guid/nothing");

        Assert.Equal(HttpStatusCode.NotFound, english.StatusCode);
        Assert.Contains(">Not found</h1>", WebUtility.HtmlDecode(await english.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, french.StatusCode);
        Assert.Contains(">Page introuvable</h1>", WebUtility.HtmlDecode(await french.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
