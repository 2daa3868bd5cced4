using System.Net;
using System.Net.Http.Headers;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.Signing;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>
/// What a customer is refused with reads in their language (issue #18): the join page's code check and a document
/// link that no longer works, in French with the French culture cookie and in the same English as before without it.
/// </summary>
public sealed class CustomerLinkErrorLanguageTests
{
    private const string FrenchCookie = ".AspNetCore.Culture=c%3Dfr%7Cuic%3Dfr";

    [Fact]
    public async Task A_french_customer_is_told_in_french_that_the_code_is_wrong()
    {
        await using var scenario = await SigningScenario.CreateAsync(settings: IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync(language: "fr");
        var join = $"join/{session.Token}";
        using var web = scenario.App.CreateWebClient();

        using var first = await web.GetAsync(join);
        using var asked = await web.SubmitFormAsync(join, new Dictionary<string, string>());
        var askedPage = await asked.Content.ReadAsStringAsync();
        using var sent = await web.PostFormAsync(join, IdentityCodeMail.FormFields(askedPage, "send-code"));
        var sentPage = await sent.Content.ReadAsStringAsync();
        var code = await FrenchCodeAsync(scenario.Live.Installation.PickupDirectory);
        var wrong = IdentityCodeMail.FormFields(sentPage, "verify-code");
        wrong["code"] = IdentityCodeMail.WrongCode(code);
        using var refused = await web.PostFormAsync(join, wrong);
        var refusedPage = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Contains("<html lang=\"fr\">", refusedPage, StringComparison.Ordinal);
        Assert.Contains("Ce code n'est pas le bon ; il vous reste 4 essais.", refusedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("That code is not right", refusedPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_link_that_no_longer_works_is_refused_in_the_language_of_the_culture_cookie()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(language: "fr");
        using var french = CustomerClient(scenario.App, session.Token, FrenchCookie);
        using var english = CustomerClient(scenario.App, session.Token, cookie: null);
        var stale = $"documents/{Guid.NewGuid()}/content?token=stale";

        using var inFrench = await french.GetAsync(stale);
        using var inEnglish = await english.GetAsync(stale);

        Assert.Equal(HttpStatusCode.Forbidden, inFrench.StatusCode);
        Assert.Equal("Ce lien a expiré ou ne vous concerne pas. Rouvrez le document depuis son contrat.", await inFrench.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.Forbidden, inEnglish.StatusCode);
        Assert.Equal("This link has expired or is not yours. Open the document again from its contract.", await inEnglish.ProblemDetailAsync());
    }

    /// <summary>The code of the French code message (<c>Votre code pour …</c>) to the customer, once it has arrived.</summary>
    private static async Task<string> FrenchCodeAsync(string directory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var message = Mailbox.Read(directory).FirstOrDefault(m => (m.Subject ?? "").StartsWith("Votre code pour", StringComparison.Ordinal)
                && m.To.Mailboxes.Any(a => a.Address == LiveSessionScenario.CustomerEmail));
            if (message is not null)
            {
                return IdentityCodeMail.CodeIn(message.TextBody ?? "");
            }

            Assert.True(DateTime.UtcNow < deadline, "The French code message did not arrive.");
            await Task.Delay(100);
        }
    }

    /// <summary>A program holding the customer's link, sending the culture cookie when one is given.</summary>
    private static HttpClient CustomerClient(LiveContractApp app, string token, string? cookie)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return client;
    }
}
