using LiveContract.Core.Audit;
using LiveContract.Core.Documents;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>
/// The emailed signed-PDF page downloads the file once: one request to the file endpoint and one
/// <c>sealed.downloaded</c> event (enhanced navigation used to fetch it first, then reload it).
/// Signed contracts' times show on the reader's clock.
/// </summary>
public sealed class SignedPdfDownloadJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string RequestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private static readonly Dictionary<string, string?> RequestLogging = new() { [$"Logging:LogLevel:{RequestLog}"] = "Information" };

    [Fact]
    public async Task The_emailed_page_downloads_the_signed_pdf_with_one_request_and_one_audit_event()
    {
        // Counted by the server, which logs every request it starts: Chromium reports no page
        // request event (nor a route) for the download itself, only for fetches and navigations.
        using var log = new RecordingLogger();
        await using var scenario = await SigningScenario.CreateAsync(settings: RequestLogging, logging: log);
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));
        var email = (await scenario.Live.WaitForMessagesAsync(LiveSessionScenario.CustomerEmail, 2)).Single(m => m.Subject == $"Signed: {session.Contract.Reference}");
        var link = Mailbox.SignedLink(email)!;
        await WaitForSealedAsync(scenario, session.ContractId);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = scenario.App.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var pageRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.EndsWith("/pdf", StringComparison.Ordinal))
            {
                pageRequests.Add($"{request.ResourceType} {request.Url}");
            }
        };
        await page.GotoAsync(link);
        var button = page.GetByRole(AriaRole.Link, new() { Name = "Download the signed PDF" });
        await Expect(button).ToHaveAttributeAsync("download", "");

        var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        Assert.Null(await download.FailureAsync());
        Assert.Equal($"{session.Contract.Reference}-signed.pdf", download.SuggestedFilename);
        // A second request, when there is one, follows the first within milliseconds; give it time to show.
        await page.WaitForTimeoutAsync(1_500);

        // Enhanced navigation's fetch, and the reload after it, would show here.
        Assert.Empty(pageRequests);
        Assert.Single(log.Records, r => r.Category == RequestLog && r.Message.StartsWith("Request starting", StringComparison.Ordinal)
            && r.Message.Contains(new Uri(link).AbsolutePath + "/pdf", StringComparison.Ordinal));
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SealedDownloaded));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your signed contract" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_reader_in_paris_sees_the_signature_time_on_their_clock_with_the_utc_time_as_tooltip()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync(advisorMustSign: false);
        var signedAt = LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session)).Signature.SignedAt;
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var local = TimeZoneInfo.ConvertTime(signedAt, paris);
        var expected = $"{local:yyyy-MM-dd HH:mm:ss} {(paris.IsDaylightSavingTime(local) ? "CEST" : "CET")}";

        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = scenario.App.BaseAddress.ToString(), TimezoneId = "Europe/Paris" });
        var page = await context.NewPageAsync();
        await (await LoginPage.OpenAsync(page)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await page.GotoAsync($"contracts/{session.ContractId}");
        await new ContractPage(page).WaitForInteractiveAsync();

        var signature = page.GetByRole(AriaRole.List, new() { Name = "Signatures" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Chloé Dupont" });
        var time = signature.Locator("time");
        await Expect(time).ToHaveTextAsync(expected);
        await Expect(time).ToHaveAttributeAsync("title", $"{signedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        await Expect(signature).ToContainTextAsync($"Signed at {expected} from");
    }

    private static async Task WaitForSealedAsync(SigningScenario scenario, Guid contractId)
    {
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (true)
        {
            await using (var db = scenario.Database())
            {
                if (await db.Documents.AnyAsync(d => d.ContractId == contractId && d.Kind == DocumentKind.Sealed))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The signed contract was not sealed in time.");
            await Task.Delay(100);
        }
    }
}
