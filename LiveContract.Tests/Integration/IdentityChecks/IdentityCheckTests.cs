using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using LiveContract.Tests.Integration.Signing;
using LiveContract.Tests.Unit;
using LiveContract.Web.Features.IdentityChecks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.IdentityChecks;

public sealed class IdentityCheckTests
{
    private const string Email = LiveSessionScenario.CustomerEmail;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Joining_asks_for_a_code_by_email_refuses_a_wrong_one_and_remembers_the_device(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider, IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync();
        var join = $"join/{session.Token}";
        using var web = scenario.App.CreateWebClient();

        using var asked = await web.SubmitFormAsync(join, new Dictionary<string, string>());
        var askedPage = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Confirm it is you", askedPage, StringComparison.Ordinal);
        Assert.DoesNotContain(web.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Session");

        using var sent = await web.PostFormAsync(join, IdentityCodeMail.FormFields(askedPage, "send-code"));
        var sentPage = await sent.Content.ReadAsStringAsync();
        Assert.Contains("We sent a code to c***@example.com", sentPage, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"one-time-code\"", sentPage, StringComparison.Ordinal);
        Assert.Contains("inputmode=\"numeric\"", sentPage, StringComparison.Ordinal);
        var code = await IdentityCodeMail.WaitForCodeAsync(scenario.Live.Installation.PickupDirectory, Email);

        var wrong = IdentityCodeMail.FormFields(sentPage, "verify-code");
        wrong["code"] = IdentityCodeMail.WrongCode(code);
        using var refused = await web.PostFormAsync(join, wrong);
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Contains("That code is not right; 4 tries left.", refusedPage, StringComparison.Ordinal);
        Assert.DoesNotContain(web.Cookies.GetAllCookies(), c => c.Name == "LiveContract.Session");

        var right = IdentityCodeMail.FormFields(refusedPage, "verify-code");
        right["code"] = code[..3] + " " + code[3..];
        using var accepted = await web.PostFormAsync(join, right);
        Assert.Equal(HttpStatusCode.Found, accepted.StatusCode);
        Assert.Equal($"/sessions/{session.SessionId}", web.RedirectPath(accepted));
        using (var customer = CookieClient(scenario.App, web))
        {
            using var state = await customer.GetAsync($"api/sessions/{session.SessionId}/signing");
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        }

        // The same device opens the link again: no new code.
        using var again = await web.SubmitFormAsync(join, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.Single(IdentityCodeMail.CodeMessages(scenario.Live.Installation.PickupDirectory, Email));

        // Another device with the forwarded link must pass the check itself.
        using var other = scenario.App.CreateWebClient();
        using var otherAsked = await other.SubmitFormAsync(join, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, otherAsked.StatusCode);
        Assert.Contains("Confirm it is you", await otherAsked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var sentEvent = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeSent));
        Assert.Equal(("c***@example.com", "Join", "Email"), (Text(sentEvent, "to"), Text(sentEvent, "purpose"), Text(sentEvent, "channel")));
        Assert.Equal((AuditActor.CustomerRole, "127.0.0.1"), (sentEvent.ActorRole, sentEvent.IpAddress));
        var refusedEvent = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeRefused));
        Assert.Equal(4, SigningScenario.DataOf(refusedEvent).GetProperty("triesLeft").GetInt32());
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeAccepted));
        Assert.DoesNotContain(code, string.Join("\n", (await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeSent)).Select(e => e.Data)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_hub_refuses_a_customer_without_the_check_and_takes_the_pass_from_the_api(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider, IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync();
        await using (var unchecked_ = await SessionHubClient.ConnectAsync(scenario.App, session.Token))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => unchecked_.JoinAsync(session.SessionId));
            Assert.EndsWith($"HubException: {LiveSessionService.IdentityNotChecked.Message}", refused.Message, StringComparison.Ordinal);
        }

        using var api = ApiClient.WithToken(scenario.App, session.Token);
        using var status = await api.GetAsync($"api/sessions/{session.SessionId}/identity");
        var before = await status.ReadAsync<IdentityStatusResponse>();
        Assert.Equal((true, false, "c***@example.com", (string?)null), (before.CodeRequired, before.Passed, before.Email, before.Phone));
        using var signingRefused = await api.GetAsync($"api/sessions/{session.SessionId}/signing");
        Assert.Equal(HttpStatusCode.Forbidden, signingRefused.StatusCode);

        using var sent = await api.PostAsJsonAsync($"api/sessions/{session.SessionId}/identity/code", new IdentityCodeRequest(CodePurpose.Join, CodeChannel.Email), ApiClient.Json);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal("c***@example.com", (await sent.ReadAsync<SentCode>()).To);
        var code = await IdentityCodeMail.WaitForCodeAsync(scenario.Live.Installation.PickupDirectory, Email);
        using var verified = await api.PostAsJsonAsync($"api/sessions/{session.SessionId}/identity/verify", new IdentityVerifyRequest(CodePurpose.Join, code), ApiClient.Json);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var pass = await verified.ReadAsync<IdentityVerifyResponse>();
        Assert.Equal(IdentityPasses.HeaderName, pass.PassHeader);
        Assert.False(string.IsNullOrEmpty(pass.Pass));

        var headers = new Dictionary<string, string> { [pass.PassHeader] = pass.Pass! };
        await using (var checkedHub = await SessionHubClient.ConnectAsync(scenario.App, session.Token, headers))
        {
            var joined = await checkedHub.JoinAsync(session.SessionId);
            Assert.Equal(session.SessionId, joined.SessionId);
        }

        // A pass is bound to its link: another session's customer cannot borrow it.
        var other = await scenario.StartInReviewAsync(customerEmail: "dora@example.com");
        await using (var borrowed = await SessionHubClient.ConnectAsync(scenario.App, other.Token, headers))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => borrowed.JoinAsync(other.SessionId));
            Assert.EndsWith(LiveSessionService.IdentityNotChecked.Message, refused.Message, StringComparison.Ordinal);
        }

        api.DefaultRequestHeaders.Add(pass.PassHeader, pass.Pass);
        using var signingAllowed = await api.GetAsync($"api/sessions/{session.SessionId}/signing");
        Assert.Equal(HttpStatusCode.OK, signingAllowed.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Signing_needs_a_fresh_code_and_the_certificate_says_which_check_was_passed(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider, IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync();
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();
        var mail = scenario.Live.Installation.PickupDirectory;
        var linkId = session.Customer.LinkId;

        Assert.True((await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Email, null, SigningScenario.CustomerIp)).Succeeded);
        var pass = LiveSessionScenario.Accepted(await checks.VerifyAsync(linkId, CodePurpose.Join, await IdentityCodeMail.WaitForCodeAsync(mail, Email, 1), null, SigningScenario.CustomerIp));
        var customer = session.Customer with { IdentityCheckId = pass.CheckId };

        var withoutCode = await scenario.SignAsync(customer, session.SessionId, SigningScenario.CustomerRequest());
        Assert.Equal(SigningService.IdentityCodeNeeded, withoutCode.Error);

        Assert.True((await checks.SendCodeAsync(linkId, CodePurpose.Sign, CodeChannel.Email, pass.CheckId, SigningScenario.CustomerIp)).Succeeded);
        var signCode = await IdentityCodeMail.WaitForCodeAsync(mail, Email, 2);

        // A signing code works only for the device that asked for it.
        Assert.Equal(ErrorKind.Conflict, (await checks.VerifyAsync(linkId, CodePurpose.Sign, signCode, Guid.NewGuid(), SigningScenario.CustomerIp)).Error!.Kind);
        var passedSign = LiveSessionScenario.Accepted(await checks.VerifyAsync(linkId, CodePurpose.Sign, signCode, pass.CheckId, SigningScenario.CustomerIp));
        var signed = LiveSessionScenario.Accepted(await scenario.SignAsync(customer, session.SessionId, SigningScenario.CustomerRequest()));
        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(session));

        var sentence = $"Identity checked by a code sent to c***@example.com, {passedSign.At.UtcDateTime:HH:mm} UTC";
        var recorded = Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded), e => e.ActorRole == AuditActor.CustomerRole);
        Assert.Equal(sentence, Text(recorded, "identityCheck"));
        Assert.Equal(SignerRole.Customer, signed.Signature.Role);

        var pdf = await SealedPdfAsync(scenario, session.ContractId);
        var text = Flatten(await SealingTestTools.PdfToTextAsync(pdf));
        Assert.Contains(sentence, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_code_older_than_the_freshness_window_no_longer_signs()
    {
        var settings = new Dictionary<string, string?>(IdentityCodeMail.On) { ["IdentityCheck:SigningFreshness"] = "00:00:01" };
        await using var scenario = await SigningScenario.CreateAsync(DatabaseProvider.Sqlite, settings);
        var session = await scenario.StartInReviewAsync();
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();
        var mail = scenario.Live.Installation.PickupDirectory;
        var linkId = session.Customer.LinkId;
        await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Email, null, SigningScenario.CustomerIp);
        var pass = LiveSessionScenario.Accepted(await checks.VerifyAsync(linkId, CodePurpose.Join, await IdentityCodeMail.WaitForCodeAsync(mail, Email, 1), null, SigningScenario.CustomerIp));
        await checks.SendCodeAsync(linkId, CodePurpose.Sign, CodeChannel.Email, pass.CheckId, SigningScenario.CustomerIp);
        LiveSessionScenario.Accepted(await checks.VerifyAsync(linkId, CodePurpose.Sign, await IdentityCodeMail.WaitForCodeAsync(mail, Email, 2), pass.CheckId, SigningScenario.CustomerIp));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var late = await scenario.SignAsync(session.Customer with { IdentityCheckId = pass.CheckId }, session.SessionId, SigningScenario.CustomerRequest());

        Assert.Equal(SigningService.IdentityCodeNeeded, late.Error);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_code_takes_five_wrong_tries_and_resends_wait_their_turn(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider, IdentityCodeMail.On);
        var session = await scenario.StartInReviewAsync();
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();
        var linkId = session.Customer.LinkId;

        Assert.True((await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Email, null, SigningScenario.CustomerIp)).Succeeded);
        var resend = await checks.SendCodeAsync(linkId, CodePurpose.Join, CodeChannel.Email, null, SigningScenario.CustomerIp);
        Assert.Equal(ErrorKind.TooManyRequests, resend.Error!.Kind);
        Assert.StartsWith("A code was sent a moment ago; wait ", resend.Error.Message, StringComparison.Ordinal);
        var code = await IdentityCodeMail.WaitForCodeAsync(scenario.Live.Installation.PickupDirectory, Email);
        var wrong = IdentityCodeMail.WrongCode(code);

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await checks.VerifyAsync(linkId, CodePurpose.Join, wrong, null, SigningScenario.CustomerIp)).Error!.Message);
        }

        var afterwards = await checks.VerifyAsync(linkId, CodePurpose.Join, code, null, SigningScenario.CustomerIp);
        var notDigits = await checks.VerifyAsync(linkId, CodePurpose.Join, "12ab56", null, SigningScenario.CustomerIp);

        Assert.Equal(
            [
                "That code is not right; 4 tries left.",
                "That code is not right; 3 tries left.",
                "That code is not right; 2 tries left.",
                "That code is not right; 1 try left.",
                "That code is not right, and after 5 wrong tries it no longer works; ask for a new one.",
            ],
            answers);
        Assert.Equal("There is no code waiting to be entered: ask for a new code first.", afterwards.Error!.Message);
        Assert.Equal("Enter the 6-digit code from the message.", notDigits.Error!.Message);
        Assert.Equal(5, (await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeRefused)).Count);
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeExhausted));
        Assert.Empty(await scenario.AuditAsync(session.ContractId, AuditEventTypes.IdentityCodeAccepted));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Codes_are_limited_per_link_per_hour_and_per_client_address(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string?>(IdentityCodeMail.On)
        {
            ["IdentityCheck:ResendInterval"] = "00:00:00.001",
            ["IdentityCheck:MaxCodesPerAddressPerHour"] = "6",
        };
        await using var scenario = await SigningScenario.CreateAsync(provider, settings);
        var first = await scenario.StartInReviewAsync();
        var second = await scenario.StartInReviewAsync(customerEmail: "dora@example.com");
        var checks = scenario.App.Services.GetRequiredService<IdentityCheckService>();

        var perLink = new List<ErrorKind?>();
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(5);
            perLink.Add((await checks.SendCodeAsync(first.Customer.LinkId, CodePurpose.Join, CodeChannel.Email, null, "198.51.100.9")).Error?.Kind);
        }

        var fromSameAddress = await checks.SendCodeAsync(second.Customer.LinkId, CodePurpose.Join, CodeChannel.Email, null, "198.51.100.9");
        var fromElsewhere = await checks.SendCodeAsync(second.Customer.LinkId, CodePurpose.Join, CodeChannel.Email, null, "198.51.100.10");

        Assert.Equal([null, null, null, null, null, ErrorKind.TooManyRequests], perLink);
        Assert.Equal("Too many codes were asked for from your network in the last hour; try again later.", fromSameAddress.Error!.Message);
        Assert.True(fromElsewhere.Succeeded);
        Assert.Equal(5, (await scenario.AuditAsync(first.ContractId, AuditEventTypes.IdentityCodeSent)).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_advisor_turns_the_check_off_or_records_an_in_person_check_and_the_certificate_says_so(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider, IdentityCodeMail.On);
        var waived = await scenario.StartInReviewAsync();
        var inPerson = await scenario.StartInReviewAsync(customerEmail: "dora@example.com");
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);

        using var badPhone = await advisor.PutAsJsonAsync($"api/contracts/{waived.ContractId}/identity-check", new IdentityCheckChangeRequest(null, "07700 900123"), ApiClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.StartsWith("Enter the customer's mobile number in international form", await badPhone.ProblemDetailAsync(), StringComparison.Ordinal);
        using var off = await advisor.PutAsJsonAsync($"api/contracts/{waived.ContractId}/identity-check", new IdentityCheckChangeRequest(false, "+44 7700 900123"), ApiClient.Json);
        var offSettings = await off.ReadAsync<IdentityCheckSettings>();
        Assert.Equal(("No identity check (turned off by Victor Advisor)", "+447700900123"), (offSettings.Summary, offSettings.CustomerPhone));

        using var badEnding = await advisor.PostAsJsonAsync($"api/contracts/{inPerson.ContractId}/identity-check/advisor-check", new AdvisorCheckRequest(AdvisorCheckMethod.InPerson, "passport", "123456789"), ApiClient.Json);
        Assert.Equal(HttpStatusCode.BadRequest, badEnding.StatusCode);
        using var recorded = await advisor.PostAsJsonAsync($"api/contracts/{inPerson.ContractId}/identity-check/advisor-check", new AdvisorCheckRequest(AdvisorCheckMethod.InPerson, "passport", "ab34"), ApiClient.Json);
        var inPersonSettings = await recorded.ReadAsync<IdentityCheckSettings>();
        Assert.StartsWith("Identity checked in person by Victor Advisor (passport …AB34), ", inPersonSettings.Summary, StringComparison.Ordinal);

        // Neither customer needs a code to join or to sign.
        var sessions = scenario.App.Services.GetRequiredService<LiveSessionService>();
        Assert.Null(await sessions.AuthorizeAsync(waived.Customer, waived.SessionId));
        Assert.Null(await sessions.AuthorizeAsync(inPerson.Customer, inPerson.SessionId));
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(waived));
        LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(inPerson));

        var waivedSignature = Assert.Single(await scenario.AuditAsync(waived.ContractId, AuditEventTypes.SignatureRecorded));
        var inPersonSignature = Assert.Single(await scenario.AuditAsync(inPerson.ContractId, AuditEventTypes.SignatureRecorded));
        Assert.Equal("No identity check (turned off by Victor Advisor)", Text(waivedSignature, "identityCheck"));
        Assert.Equal(inPersonSettings.Summary, Text(inPersonSignature, "identityCheck"));
        Assert.Single(await scenario.AuditAsync(waived.ContractId, AuditEventTypes.IdentityCheckWaived));
        Assert.Single(await scenario.AuditAsync(waived.ContractId, AuditEventTypes.IdentityPhoneSet));
        Assert.Equal("ab34".ToUpperInvariant(), Text(Assert.Single(await scenario.AuditAsync(inPerson.ContractId, AuditEventTypes.IdentityCheckRecorded)), "documentEnding"));

        LiveSessionScenario.Accepted(await scenario.AdvisorSignsAsync(inPerson));
        var text = Flatten(await SealingTestTools.PdfToTextAsync(await SealedPdfAsync(scenario, inPerson.ContractId)));
        Assert.Contains(inPersonSettings.Summary, text, StringComparison.Ordinal);

        // Signed is final: the check can no longer change.
        using var tooLate = await advisor.PutAsJsonAsync($"api/contracts/{inPerson.ContractId}/identity-check", new IdentityCheckChangeRequest(true, null), ApiClient.Json);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
    }

    private static string? Text(AuditEvent audit, string name) =>
        SigningScenario.DataOf(audit).TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>The text with its line breaks and runs of spaces made single spaces, as a sentence wrapped over lines reads.</summary>
    private static string Flatten(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));

    private static HttpClient CookieClient(LiveContractApp app, Fixtures.WebClient web) =>
        new(new HttpClientHandler { CookieContainer = web.Cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private static async Task<byte[]> SealedPdfAsync(SigningScenario scenario, Guid contractId)
    {
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (true)
        {
            using var response = await advisor.GetAsync($"api/contracts/{contractId}/sealed");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadAsByteArrayAsync();
            }

            Assert.True(DateTime.UtcNow < deadline, $"No sealed PDF: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }
}
