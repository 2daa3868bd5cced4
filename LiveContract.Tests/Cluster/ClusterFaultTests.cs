using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Signing;
using LiveContract.Tests.E2E;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Extensions;
using LiveContract.Web.Features.Signing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.Cluster;

/// <summary>
/// The cluster keeps going when Redis or PostgreSQL restarts, signs a contract once when both
/// parties sign on different instances at the same moment, and is reached over HTTPS only through
/// HAProxy, which the audit and the cookies reflect.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFaultTests(ClusterFixture cluster, BrowserFixture browser)
{
    private ClusterScenario Scenario => cluster.Scenario;

    [Fact]
    public async Task Over_https_the_login_cookie_is_secure_and_haproxy_refuses_any_host_but_the_public_one()
    {
        await Scenario.EnsureStaffAsync();
        using var client = Scenario.Client();
        using var login = await client.Web.LoginAsync(ClusterScenario.StaffEmail, ClusterScenario.StaffPassword);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var loginCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"{WebServiceCollectionExtensions.LoginCookieName}=", StringComparison.Ordinal));
        Assert.Contains("secure", loginCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", loginCookie, StringComparison.OrdinalIgnoreCase);

        // The cluster's public address is HAProxy's (https://127.0.0.1:PORT/); a request naming
        // another host is refused before it reaches an instance. (HSTS, which ASP.NET Core never
        // sends to 127.0.0.1, is checked under a public name in TransportSecurityTests.)
        using var request = new HttpRequestMessage(HttpMethod.Get, "health");
        request.Headers.Host = "evil.example:8443";
        using var forged = await client.Api.SendAsync(request);
        using var health = await client.Api.GetAsync("health");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Through_haproxy_the_audit_records_the_client_ip_of_a_sign_in()
    {
        await Scenario.EnsureStaffAsync();
        using var client = await Scenario.SignedInAsync();
        using var events = await client.Api.GetAsync($"api/admin/audit/system?type={AuditEventTypes.UserSignedIn}&pageSize=5");
        var page = await events.ReadAsync<PagedResult<AuditEntry>>();

        // HAProxy and the browser are on this machine, so the client address it forwards is loopback.
        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, e => Assert.Equal("127.0.0.1", e.IpAddress));
    }

    [Fact]
    public async Task Signatures_at_the_same_moment_on_two_instances_sign_and_seal_each_contract_once()
    {
        await Scenario.EnsureStaffAsync();
        using var advisor = await Scenario.SignedInAsync(pin: "a");
        for (var round = 1; round <= 3; round++)
        {
            var session = await Scenario.StartSessionAsync(advisor, $"Simultaneous {round}");
            using var customer = await Scenario.JoinAsCustomerAsync(session, pin: "b");
            var consent = await customer.Api.GetFromJsonAsync<SigningConsentResponse>($"api/sessions/{session.SessionId}/signing/consent", ApiClient.Json);
            var png = SignaturePngs.DrawnBase64();

            var results = await Task.WhenAll(
                customer.Api.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest(ClusterScenario.CustomerName, png, consent!.Sha256)),
                advisor.Api.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest(ClusterScenario.StaffName, png, consent.Sha256)));
            foreach (var result in results)
            {
                await ClusterScenario.Success(result);
            }

            var outcomes = await Task.WhenAll(results.Select(r => r.ReadAsync<SignResult>()));
            Assert.Single(outcomes, o => o.ContractSigned);

            using var sealedPdf = await WaitForSealedAsync(advisor, $"api/contracts/{session.ContractId}/sealed");
            var trail = await advisor.Api.GetFromJsonAsync<AuditExport>($"api/contracts/{session.ContractId}/audit", ApiClient.Json);
            Assert.Single(trail!.Events, e => e.Type == AuditEventTypes.ContractSigned);
            Assert.Equal(2, await Scenario.CountAsync("SELECT count(*) FROM \"Signatures\" WHERE \"ContractId\" = @id", session.ContractId));
            Assert.Equal(1, await Scenario.CountAsync("SELECT count(*) FROM \"Documents\" WHERE \"ContractId\" = @id AND \"Kind\" = 'Sealed'", session.ContractId));
            foreach (var result in results)
            {
                result.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_hub_client_on_b_hears_the_sealed_pdf_of_a_contract_signed_and_sealed_through_a()
    {
        await Scenario.EnsureStaffAsync();
        using var advisor = await Scenario.SignedInAsync(pin: "a");
        var session = await Scenario.StartSessionAsync(advisor, "Sealed across instances");
        await using var customerHub = await SessionHubClient.ConnectAsync(cluster.InstanceUrl("b"), session.Token);
        await customerHub.JoinAsync(session.SessionId);

        // Both signatures go through instance a, which then seals: nobody is in the session on a.
        using var customer = await Scenario.JoinAsCustomerAsync(session, pin: "a");
        var consent = await customer.Api.GetFromJsonAsync<SigningConsentResponse>($"api/sessions/{session.SessionId}/signing/consent", ApiClient.Json);
        var png = SignaturePngs.DrawnBase64();
        using (var signed = await customer.Api.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest(ClusterScenario.CustomerName, png, consent!.Sha256)))
        {
            await ClusterScenario.Success(signed);
        }

        using (var countersigned = await advisor.Api.PostAsJsonAsync($"api/sessions/{session.SessionId}/signatures", new SignatureRequest(ClusterScenario.StaffName, png, consent.Sha256)))
        {
            Assert.True((await countersigned.ReadAsync<SignResult>()).ContractSigned);
        }

        // The customer's program on b hears the move to Signed and then the sealed PDF, with where to download it.
        await customerHub.WaitForAsync("statusUpdate", e => e.GetProperty("status").GetString() == "Signed", TimeSpan.FromSeconds(30));
        var sealedPdf = (await customerHub.WaitForAsync("contractSealed", null, TimeSpan.FromSeconds(60))).GetProperty("sealed");
        Assert.Equal(1, await Scenario.CountAsync("SELECT count(*) FROM \"Documents\" WHERE \"ContractId\" = @id AND \"Kind\" = 'Sealed'", session.ContractId));
        Assert.Equal(1, await Scenario.CountAsync($"SELECT count(*) FROM \"Documents\" WHERE \"ContractId\" = @id AND \"Kind\" = 'Sealed' AND \"Id\" = '{sealedPdf.GetProperty("documentId").GetGuid()}'", session.ContractId));
        Assert.Equal($"api/sessions/{session.SessionId}/sealed", sealedPdf.GetProperty("download").GetString());
        Assert.Equal(1, await Scenario.CountAsync("SELECT count(*) FROM \"LiveSessions\" WHERE \"ContractId\" = @id AND \"Status\" = 'Completed'", session.ContractId));
    }

    [Fact]
    public async Task While_redis_restarts_sessions_go_on_on_each_instance_health_is_degraded_and_cross_instance_events_resume()
    {
        var (_, advisor, customer) = await Scenario.OpenSessionAsync(browser, "Redis restart");
        try
        {
            await cluster.RunAsync("stop-redis");

            // Each instance reports the live-session backend degraded, directly and through HAProxy.
            await WaitForLiveSessionsAsync("Degraded");

            // The advisor's own view still turns pages.
            await advisor.NextPageAsync();
            await Expect(advisor.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");

            // Unrelated interactive pages work on both instances.
            foreach (var instance in new[] { "a", "b" })
            {
                var page = await Scenario.NewPageAsync(browser, instance);
                await ClusterScenario.SignInAsync(page);
                var app = new AppPage(page);
                await app.NavLink("Administration").ClickAsync();
                await Expect(app.Heading).ToBeVisibleAsync();
                await app.WaitForInteractiveAsync();
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            await cluster.RunAsync("start-redis");
            await cluster.WaitForHealthyAsync();
        }

        await WaitForLiveSessionsAsync("Healthy");

        // Cross-instance events resume by themselves: the advisor's next page reaches the customer on b.
        await advisor.NextPageAsync();
        await Expect(advisor.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "3");
        await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "3", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task While_postgresql_restarts_the_session_goes_on_and_a_signature_asks_to_try_again_then_succeeds()
    {
        var (session, advisor, customer) = await Scenario.OpenSessionAsync(browser, "PostgreSQL restart");
        var dialog = await customer.OpenSignDialogAsync();
        await dialog.AgreeAndContinueAsync();
        await dialog.FullName.FillAsync(ClusterScenario.CustomerName);
        await dialog.Button("Use my typed name as my signature").ClickAsync();
        await dialog.ContinueToConfirmAsync();
        try
        {
            await cluster.RunAsync("stop-postgres");

            // Page changes go on between the instances.
            await advisor.NextPageAsync();
            await Expect(customer.ViewerOf(ClusterScenario.ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");

            // A signature now is refused with a sentence asking to try again.
            await dialog.Button("Sign the contract").ClickAsync();
            await Expect(dialog.Alert).ToContainTextAsync("Please try again in a moment.");
        }
        finally
        {
            await cluster.RunAsync("start-postgres");
            await cluster.WaitForHealthyAsync();
        }

        Assert.Equal(0, await Scenario.CountAsync("SELECT count(*) FROM \"Signatures\" WHERE \"ContractId\" = @id", session.ContractId));
        await dialog.Button("Sign the contract").ClickAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Expect(advisor.Signer("Customer")).ToContainTextAsync(ClusterScenario.CustomerName);
        Assert.Equal(1, await Scenario.CountAsync("SELECT count(*) FROM \"Signatures\" WHERE \"ContractId\" = @id", session.ContractId));
    }

    /// <summary>Waits until both instances (directly) and HAProxy report the live-session check in <paramref name="status"/>.</summary>
    private async Task WaitForLiveSessionsAsync(string status)
    {
        var addresses = new[] { cluster.InstanceUrl("a"), cluster.InstanceUrl("b"), cluster.Url };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var all = true;
            foreach (var address in addresses)
            {
                using var http = new HttpClient(cluster.Handler()) { BaseAddress = address };
                using var response = await http.GetAsync("health");
                last = $"{address}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                all &= response.StatusCode == HttpStatusCode.OK
                    && json.RootElement.GetProperty("checks").TryGetProperty("liveSessions", out var check)
                    && check.GetProperty("status").GetString() == status;
            }

            if (all)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The live-session health check did not become {status} everywhere; last answer {last}");
    }

    private static async Task<HttpResponseMessage> WaitForSealedAsync(ClusterClient client, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var response = await client.Api.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return response;
            }

            response.Dispose();
            await Task.Delay(250);
        }
    }
}
