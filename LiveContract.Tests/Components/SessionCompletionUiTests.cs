using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.Admin;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// Once the contract is signed its session is complete: the contract page and the admin's contract
/// view say so and offer nothing more to do with it; a customer coming back after leaving is told,
/// kindly, that the contract is signed, and offered the signed PDF.
/// </summary>
public sealed class SessionCompletionUiTests : SigningUiTests
{
    [Fact]
    public async Task The_contract_page_shows_the_session_completed_with_no_link_or_end_controls()
    {
        var (sessionId, _) = await SignedAsync();
        SignInAsAdvisor();

        var page = RenderPage<Web.Features.Contracts.ContractPage>((nameof(Web.Features.Contracts.ContractPage.Id), ContractId));

        page.WaitForAssertion(() => Assert.StartsWith("Live session completed at ", page.Find("[data-testid=session-status]").TextContent.Trim()), Patience);
        Assert.EndsWith(": the contract is signed.", page.Find("[data-testid=session-status]").TextContent.Trim());
        Assert.Contains("no longer opens it", page.Find("[data-testid=link-status]").TextContent);
        Assert.All(new[] { "Resend link", "Revoke link", "End session", "Start live session", "Open live session" }, name => Assert.False(HasButton(page, name) || page.FindAll("a").Any(a => a.TextContent.Trim() == name), name));
        Assert.Equal(Core.LiveSessions.LiveSessionStatus.Completed, (await Sessions.GetAsync(Advisor, sessionId)).Value!.Status);
    }

    [Fact]
    public async Task The_session_panel_shows_when_it_completed_on_the_readers_clock_with_the_utc_time_as_tooltip()
    {
        TimeZoneModule.Setup<BrowserTimeZone.Reading>("readTimeZone")
            .SetResult(new BrowserTimeZone.Reading("America/New_York", [new(-300, "EST"), new(-240, "EDT")]));
        var (sessionId, _) = await SignedAsync();
        var completedAt = (await Sessions.GetAsync(Advisor, sessionId)).Value!.EndedAt!.Value;
        var local = TimeZoneInfo.ConvertTime(completedAt, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var shown = $"{local:yyyy-MM-dd HH:mm} {(local.Offset == TimeSpan.FromHours(-5) ? "EST" : "EDT")}";
        SignInAsAdvisor();

        var page = RenderPage<Web.Features.Contracts.ContractPage>((nameof(Web.Features.Contracts.ContractPage.Id), ContractId));

        page.WaitForAssertion(() => Assert.Equal($"Live session completed at {shown}: the contract is signed.", page.Find("[data-testid=session-status]").TextContent.Trim()), Patience);
        var time = page.Find("[data-testid=session-status] time");
        Assert.Equal($"{completedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", time.GetAttribute("title"));
        Assert.Equal(completedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), time.GetAttribute("datetime"));
    }

    [Fact]
    public async Task The_admins_contract_view_shows_the_session_completed()
    {
        await SignedAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "ada@example.com", Roles.Admin, "a long enough password");
        var admin = (await accounts.ListAsync()).Single(u => u.Email == "ada@example.com");
        Authorization.SetAuthorized("ada@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id));

        var page = RenderPage<AdminContractPage>((nameof(AdminContractPage.Id), ContractId));

        page.WaitForAssertion(() => Assert.Contains("when the contract was signed; held by Victor Advisor with Chloé Dupont.", page.Find("[data-testid=live-session] [data-testid=session-status]").TextContent), Patience);
        Assert.StartsWith("Completed at ", page.Find("[data-testid=live-session] [data-testid=session-status]").TextContent.Trim());
    }

    [Fact]
    public async Task A_customer_who_left_the_completed_session_is_told_the_contract_is_signed_and_offered_the_signed_pdf()
    {
        var (sessionId, customer) = await SignedAsync();
        SignInAsCustomer(customer);

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.Equal("Your contract is signed", page.Find("h1").TextContent.Trim()), Patience);
        Assert.Equal(
            "Motor policy (" + (await Sessions.GetAsync(Advisor, sessionId)).Value!.ContractReference + ") has been signed by everyone, so your live session with Victor Advisor is complete and this link no longer opens it.",
            page.Find("[data-testid=session-completed]").TextContent.Trim());
        Assert.StartsWith("http://localhost/signed/", page.Find("[data-testid=open-signed-pdf]").GetAttribute("href"));
        Assert.DoesNotContain("new link", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=signing-panel]"));
    }

    [Fact]
    public async Task The_advisor_still_opens_the_completed_sessions_live_view()
    {
        var (sessionId, _) = await SignedAsync();
        SignInAsAdvisor();

        var page = OpenSessionPage(sessionId);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=signed-banner]")), Patience);
        Assert.DoesNotContain("This session has ended.", page.Markup);
    }

    /// <summary>The contract in Review, its session started, and both signatures given through the service: the session is complete.</summary>
    private async Task<(Guid SessionId, Core.LiveSessions.SessionCaller.Customer Customer)> SignedAsync()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        var signed = await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);
        Assert.True(signed.ContractSigned);
        Assert.Equal(ContractStatus.Signed, signed.State.Status);
        return (sessionId, customer);
    }
}
