using System.Net;
using System.Net.Http.Json;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Signing;

namespace LiveContract.Tests.Integration.Signing;

/// <summary>
/// Who may read a session's signing: the consent text answers only those who may read the
/// session's signing state, and an admin reads that state on both endpoints, as on the contract
/// page (admins read every contract, read-only, and never sign).
/// </summary>
public sealed class SigningReadRulesTests
{
    [Fact]
    public async Task The_consent_answers_the_sessions_participants_and_admins_and_nobody_else()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        var elsewhere = await scenario.StartInReviewAsync(customerEmail: "someone@example.com");
        using var anonymous = new HttpClient { BaseAddress = scenario.App.BaseAddress };
        using var customer = ApiClient.WithToken(scenario.App, session.Token);
        using var otherCustomer = ApiClient.WithToken(scenario.App, elsewhere.Token);
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        using var otherAdvisor = await ApiClient.ForAsync(scenario.App, scenario.Live.OtherAdvisor.UserId);
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Live.Admin.UserId);
        var consent = $"api/sessions/{session.SessionId}/signing/consent";

        foreach (var (who, client) in new[] { ("customer", customer), ("advisor", advisor), ("admin", admin) })
        {
            using var response = await client.GetAsync(consent);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: {response.StatusCode}");
            var body = await response.ReadAsync<SigningConsentResponse>();
            Assert.Equal((SigningConsent.Text, SigningConsent.Sha256), (body.Text, body.Sha256));
        }

        foreach (var (who, client, path) in new[]
        {
            ("the other session's customer", otherCustomer, consent),
            ("another advisor", otherAdvisor, consent),
            ("the advisor, for a session that does not exist", advisor, $"api/sessions/{Guid.NewGuid()}/signing/consent"),
            ("an admin, for a session that does not exist", admin, $"api/sessions/{Guid.NewGuid()}/signing/consent"),
        })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{who}: {response.StatusCode}");
            Assert.Equal("That live session does not exist or is not yours.", await response.ProblemDetailAsync());
        }

        using var nobody = await anonymous.GetAsync(consent);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    [Fact]
    public async Task An_admin_reads_a_sessions_signing_as_the_contracts_never_as_a_signer_even_after_the_session_ended()
    {
        await using var scenario = await SigningScenario.CreateAsync();
        var session = await scenario.StartInReviewAsync();
        using var admin = await ApiClient.ForAsync(scenario.App, scenario.Live.Admin.UserId);
        using var advisor = await ApiClient.ForAsync(scenario.App, scenario.Live.Advisor.UserId);
        LiveSessions.LiveSessionScenario.Accepted(await scenario.CustomerSignsAsync(session));

        foreach (var ended in new[] { false, true })
        {
            if (ended)
            {
                LiveSessions.LiveSessionScenario.Accepted(await scenario.Live.Sessions.EndAsync(scenario.Live.Advisor, session.SessionId));
            }

            using var bySession = await admin.GetAsync($"api/sessions/{session.SessionId}/signing");
            using var byContract = await admin.GetAsync($"api/contracts/{session.ContractId}/signing");
            Assert.True(bySession.StatusCode == HttpStatusCode.OK, $"ended: {ended}: {bySession.StatusCode} {await bySession.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.OK, byContract.StatusCode);
            Assert.Equal(await byContract.Content.ReadAsStringAsync(), await bySession.Content.ReadAsStringAsync());
            var state = await bySession.ReadAsync<SigningState>();
            Assert.Null(state.CallerRole);
            Assert.False(state.CallerCanSign);
            Assert.Equal(SignerRole.Customer, Assert.Single(state.Signatures).Role);
        }

        // The advisor, a participant, still reads it only while the session is open.
        using var advisorAfterEnd = await advisor.GetAsync($"api/sessions/{session.SessionId}/signing");
        Assert.Equal(HttpStatusCode.Conflict, advisorAfterEnd.StatusCode);
        using var adminSigns = await admin.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest("Ada Admin", SignaturePngs.DrawnBase64(), SigningConsent.Sha256));
        Assert.Equal(HttpStatusCode.Forbidden, adminSigns.StatusCode);
        Assert.Single(await scenario.SignaturesAsync(session.ContractId));
    }
}
