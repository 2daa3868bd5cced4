using Bunit;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Web.Features.Signing;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The contract page's signatures panel for the advisor: who must sign, each signature with its image, and the signed PDF.</summary>
public sealed class SignaturesPanelTests : SigningUiTests
{
    [Fact]
    public async Task Before_anyone_signs_the_panel_names_who_must_sign()
    {
        await MoveToAsync(ContractStatus.Review);

        var panel = RenderPanel(Advisor);

        panel.WaitForAssertion(() => Assert.Equal(["Customer has not signed yet.", "Advisor has not signed yet."], Entries(panel)), Patience);
        Assert.Contains("Required: the customer's signature and the advisor's countersignature", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=signed-banner]"));
        Assert.Empty(panel.FindAll("img"));
    }

    [Fact]
    public async Task Each_signature_shows_the_name_the_role_the_time_the_address_and_the_drawing()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var signed = await SignDirectlyAsync(customer, sessionId, CustomerName);

        var panel = RenderPanel(Advisor);

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=signature]").Count), Patience);
        var entry = panel.FindAll("[data-testid=signature]")[0];
        Assert.Contains($"{CustomerName} (customer)", entry.TextContent);
        Assert.Contains($"Signed at {signed.Signature.SignedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC from 198.51.100.4", entry.TextContent);
        var image = entry.QuerySelector("img")!;
        Assert.Equal($"Signature of {CustomerName}", image.GetAttribute("alt"));
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(DrawnPng)}", image.GetAttribute("src"));
        Assert.Equal("Advisor has not signed yet.", Entries(panel)[1]);
    }

    [Fact]
    public async Task A_signed_contract_offers_Seal_now_until_its_signed_pdf_is_ready_then_the_download()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);

        var panel = RenderPanel(Advisor);

        panel.WaitForAssertion(() => Assert.Equal("This contract is signed.", panel.Find("[data-testid=signed-banner]").TextContent.Trim()), Patience);
        Assert.Equal("Preparing the signed PDF…", panel.Find("[role=status]").TextContent.Trim());
        Assert.Empty(panel.FindAll("a"));

        await panel.FindAll("button").Single(b => b.TextContent.Trim() == "Seal now").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Equal($"api/contracts/{ContractId}/sealed", panel.FindAll("a").Single(a => a.TextContent.Trim() == "Download signed PDF").GetAttribute("href")), TimeSpan.FromSeconds(30));
        DownloadAnchors.AssertDownloadsOnce(panel.FindAll("a").Single(a => a.TextContent.Trim() == "Download signed PDF"));
        Assert.Empty(panel.FindAll("[role=status]"));
        Assert.Empty(panel.FindAll("[role=alert]"));
        Assert.DoesNotContain(panel.FindAll("button"), b => b.TextContent.Trim() == "Seal now");
    }

    [Fact]
    public async Task A_contract_that_cannot_be_sealed_says_why_instead_of_preparing_and_still_offers_Seal_now()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await AuditTrail.AppendAsync(
                db,
                AuditStreams.Contract(ContractId),
                AuditEventTypes.SealingRefused,
                AuditActor.System,
                new { documentId = ClaimFormId, fileName = ClaimForm, reason = $"'{ClaimForm}' is over the limits of what a document may expand to." },
                DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var panel = RenderPanel(Advisor);

        panel.WaitForAssertion(
            () => Assert.Equal(
                $"This contract cannot be sealed: '{ClaimForm}' is over the limits of what a document may expand to.",
                panel.Find("[data-testid=sealing-problem]").TextContent.Trim()),
            Patience);
        Assert.Empty(panel.FindAll("[role=status]"));
        Assert.Contains(panel.FindAll("button"), b => b.TextContent.Trim() == "Seal now");
    }

    [Fact]
    public void Another_advisors_contract_is_not_shown()
    {
        var panel = RenderPanel(new Actor("someone-else", IsAdmin: false));

        panel.WaitForAssertion(() => Assert.Equal("That contract does not exist or is not yours.", panel.Find("[role=alert]").TextContent.Trim()), Patience);
        Assert.Empty(panel.FindAll("[data-testid=signature]"));
    }

    private IRenderedComponent<IComponent> RenderPanel(Actor actor) =>
        RenderPage<SignaturesPanel>((nameof(SignaturesPanel.ContractId), ContractId), (nameof(SignaturesPanel.Actor), actor));

    private static List<string> Entries(IRenderedComponent<IComponent> panel) =>
        panel.FindAll("[data-testid=signature]").Select(li => li.TextContent.Trim()).ToList();
}
