using Bunit;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using LiveContract.Web.Components;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// A French or German customer meets refusals and the session's news in their own language (issue #18), even when
/// the person on the other side of the session reads another one.
/// </summary>
public sealed class LiveSessionErrorLanguageTests : LiveSessionTestContext
{
    public LiveSessionErrorLanguageTests()
    {
        // The layout around the router asks whether the page is interactive, as on a circuit.
        Context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task A_french_customer_is_told_in_french_that_the_session_has_ended()
    {
        using var culture = Languages.Use("fr");
        var (sessionId, customer) = await StartSessionAsync();
        await Sessions.EndAsync(Advisor, sessionId);
        SignInAsCustomer(customer);

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.Equal("Cette session en direct est terminée.", page.Find("[role=alert]").TextContent.Trim()));
        Assert.Equal("Session en direct", page.Find("h1").TextContent.Trim());
    }

    [Fact]
    public async Task Each_circuit_hears_the_sessions_news_and_refusals_in_its_own_language()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var french = await JoinInAsync("fr", customer, sessionId);
        var german = await JoinInAsync("de", AdvisorCaller, sessionId);

        await WaitUntilAsync(() => french.State!.Announcement is not null, "the customer hears the advisor join");
        Assert.Equal($"{AdvisorName} a rejoint la session.", french.State!.Announcement);

        await Sessions.EndAsync(Advisor, sessionId);

        await WaitUntilAsync(() => french.State!.Ended && german.State!.Ended, "both see the end");
        Assert.Equal("La session est terminée.", french.State!.Announcement);
        Assert.Equal("Die Sitzung ist beendet.", german.State!.Announcement);
        using (Languages.Use("de"))
        {
            var again = await NewClient().JoinAsync(customer, sessionId, () => Task.CompletedTask);
            Assert.Equal("Diese Live-Sitzung ist beendet.", again.Error!.Message);
        }
    }

    [Fact]
    public void A_visitor_whose_link_no_longer_works_is_told_so_in_french()
    {
        using var culture = Languages.Use("fr");
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"sessions/{Guid.NewGuid()}");

        var routes = Context.Render<Routes>();

        routes.WaitForAssertion(() => Assert.Equal("Vous ne participez pas à cette session en direct", routes.Find("h1").TextContent.Trim()));
        var alert = routes.Find("[role=alert]").TextContent;
        Assert.Contains("Votre lien a pris fin, a expiré ou a été retiré. Demandez un nouveau lien à votre conseiller.", alert, StringComparison.Ordinal);
        Assert.Equal("connectez-vous", routes.Find("[role=alert] a").TextContent.Trim());
    }

    [Theory]
    [InlineData("fr", "Page introuvable", "Désolé, il n'y a rien à cette adresse.")]
    [InlineData("de", "Nicht gefunden", "Leider gibt es unter dieser Adresse nichts.")]
    public void An_address_that_opens_nothing_is_said_so_in_the_visitors_language(string language, string title, string text)
    {
        using var culture = Languages.Use(language);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("nothing-here");

        var routes = Context.Render<Routes>();

        routes.WaitForAssertion(() => Assert.Equal(title, routes.Find("h1").TextContent.Trim()));
        Assert.Contains(text, routes.Find("h1").ParentElement!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>Joins as a circuit whose culture is <paramref name="language"/> would.</summary>
    private async Task<LiveSessionClient> JoinInAsync(string language, SessionCaller caller, Guid sessionId)
    {
        using var culture = Languages.Use(language);
        return await JoinAsync(caller, sessionId);
    }
}
