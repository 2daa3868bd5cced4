using Bunit;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Web.Features.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// The live view's signing panel on one side while the other side signs through the service: who
/// must sign, who has (as soon as it happens), Sign for a required signer in Review only, and the
/// signed banner.
/// </summary>
public sealed class SigningPanelTests : SigningUiTests
{
    [Fact]
    public async Task In_draft_the_customer_is_told_why_they_cannot_sign_and_gets_Sign_once_the_contract_is_in_review()
    {
        var (sessionId, customer) = await StartSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);

        Assert.False(HasButton(page, "Sign"));
        var why = (await Signing.GetStateAsync(customer, sessionId)).Value!.WhyCallerCannotSign;
        Assert.False(string.IsNullOrWhiteSpace(why));
        Assert.Equal(why, page.Find("[data-testid=sign-hint]").TextContent.Trim());
        Assert.Equal([$"Customer has not signed yet — {CustomerName}", $"Advisor has not signed yet — {AdvisorName}"], Signers(page));

        await MoveToAsync(ContractStatus.Review);

        page.WaitForAssertion(() => Assert.True(HasButton(page, "Sign")), Patience);
        Assert.Empty(page.FindAll("[data-testid=sign-hint]"));
    }

    [Fact]
    public async Task An_advisor_who_does_not_countersign_gets_no_Sign_button()
    {
        var changed = await Context.Services.GetRequiredService<ContractService>().UpdateAsync(Advisor, ContractId, new ContractChanges(AdvisorMustSign: false));
        Assert.True(changed.Succeeded, changed.Error?.Message);
        var (sessionId, _) = await StartReviewSessionAsync();
        SignInAsAdvisor();

        var page = OpenSessionPage(sessionId);

        Assert.Equal([$"Customer has not signed yet — {CustomerName}"], Signers(page));
        Assert.False(HasButton(page, "Sign"));
    }

    [Fact]
    public async Task The_advisor_sees_the_customers_signature_as_it_happens()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsAdvisor();
        var page = OpenSessionPage(sessionId);
        Assert.True(HasButton(page, "Sign"));

        var signed = await SignDirectlyAsync(customer, sessionId, CustomerName);

        var at = signed.Signature.SignedAt.UtcDateTime.ToString("HH:mm");
        page.WaitForAssertion(() => Assert.Equal($"Customer signed at {at} UTC — {CustomerName}", Signers(page)[0]), Patience);
        Assert.Equal($"Advisor has not signed yet — {AdvisorName}", Signers(page)[1]);
        Assert.Equal("Customer signed the contract.", page.Find("[data-testid=presence-news]").TextContent.Trim());
        Assert.True(HasButton(page, "Sign"));
        Assert.Empty(page.FindAll("[data-testid=signed-banner]"));
    }

    [Fact]
    public async Task When_the_last_signature_lands_both_sides_see_the_contract_signed()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        page.WaitForAssertion(() => Assert.StartsWith("Customer signed at", Signers(page)[0]), Patience);
        Assert.False(HasButton(page, "Sign"));

        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);

        page.WaitForAssertion(() => Assert.Equal("This contract is signed.", page.Find("[data-testid=signed-banner]").TextContent.Trim()), Patience);
        Assert.StartsWith("Advisor signed at", Signers(page)[1]);
        page.WaitForAssertion(() => Assert.Contains("Signed", page.Find(".mud-chip").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=sign-hint]"));
    }

    [Fact]
    public async Task While_the_signed_pdf_is_prepared_the_panel_says_so_and_offers_the_download_when_the_session_says_it_is_sealed()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=signed-banner]")), Patience);
        Assert.Equal("Preparing the signed PDF…", page.Find("[data-testid=signing-panel] [role=status]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=signing-panel] a"));

        // The session's contractSealed alone shows the download: the panel asks nothing again (the
        // database has no sealed PDF yet, so no re-read could have found one).
        await Coordinator.PublishContractSealedAsync(sessionId, new LiveSessionActor(Advisor.UserId, ParticipantRole.Advisor), new SessionSealedPdf(Guid.NewGuid(), DateTimeOffset.UtcNow));

        page.WaitForAssertion(() => Assert.Equal($"api/sessions/{sessionId}/sealed", DownloadHref(page)), Patience);
        Assert.Empty(page.FindAll("[data-testid=signing-panel] [role=status]"));
        Assert.Null((await Signing.GetStateAsync(customer, sessionId)).Value!.SealedDocumentId);
    }

    [Fact]
    public async Task Sealing_tells_the_open_page_and_ending_the_completed_session_takes_nothing_away()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=signing-panel] [role=status]")), Patience);

        var sealedPdf = await Context.Services.GetRequiredService<SealingService>().SealAsync(ContractId);
        Assert.True(sealedPdf.Succeeded, sealedPdf.Error?.Message);

        page.WaitForAssertion(() => Assert.Equal($"api/sessions/{sessionId}/sealed", DownloadHref(page)), Patience);
        DownloadAnchors.AssertDownloadsOnce(page.FindAll("[data-testid=signing-panel] a").Single(a => a.TextContent.Trim() == "Download signed PDF"));
        Assert.Empty(page.FindAll("[data-testid=signing-panel] [role=status]"));

        // The session is complete: ending it changes nothing, the customer keeps the signed view and the download.
        var ended = await Sessions.EndAsync(Advisor, sessionId);
        Assert.Equal(LiveSessionStatus.Completed, ended.Value!.Status);
        await Task.Delay(300);
        Assert.DoesNotContain("This session has ended.", page.Markup);
        Assert.DoesNotContain("new link", page.Markup);
        Assert.Equal($"api/sessions/{sessionId}/sealed", DownloadHref(page));
        Assert.NotEmpty(page.FindAll("[data-testid=signed-banner]"));
    }

    private static string? DownloadHref(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page) =>
        page.FindAll("[data-testid=signing-panel] a").SingleOrDefault(a => a.TextContent.Trim() == "Download signed PDF")?.GetAttribute("href");
}
