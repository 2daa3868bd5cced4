using Bunit;
using LiveContract.Core.Fields;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// The polite live region of the live view, on the customer's page, driven by the advisor's client
/// of another circuit over the real services and coordinator: the advisor's page moves, fields and
/// signature are told in one short sentence; the customer's own changes are not; typing is told
/// once, when the advisor leaves the field or pauses.
/// </summary>
public sealed class LiveChangeNewsTests : SigningUiTests
{
    public LiveChangeNewsTests()
    {
        for (var page = 1; page <= 3; page++)
        {
            var drawn = page;
            Pdf.Setup<PdfViewer.RenderResult?>("render", i => (int)i.Arguments[1]! == drawn)
                .SetResult(new PdfViewer.RenderResult(drawn, 1, Failed: false, new PdfViewer.PageViewport([1, 0, 0, -1, 0, 841.89], 595.276, 841.89)));
        }
    }

    [Fact]
    public async Task The_advisors_page_moves_are_told_and_the_customers_own_are_not()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        var region = page.Find("[data-testid=live-change-news]");
        Assert.Equal("status", region.GetAttribute("role"));
        Assert.Equal("polite", region.GetAttribute("aria-live"));

        await ClickAsync(page, "Next page, for everyone");
        await WaitUntilAsync(() => advisor.State!.Page == 2, "the advisor sees the customer's move");
        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", Position(page)));
        Assert.Equal("", News(page));

        await advisor.ChangePageAsync(ClaimFormId, 3);
        page.WaitForAssertion(() => Assert.Equal("Advisor moved to page 3.", News(page)));

        await advisor.LoadDocumentAsync(RotatedId);
        page.WaitForAssertion(() => Assert.Equal($"Advisor opened {Rotated}.", News(page)));
    }

    [Fact]
    public async Task A_field_the_advisor_fills_in_is_told_once_and_the_customers_own_typing_is_not()
    {
        var iban = await PlaceAsync("IBAN", FieldParty.Customer, 700);
        var reference = await PlaceAsync("Advisor reference", FieldParty.Advisor, 650);
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "IBAN (required)")));

        // The customer's own typing, then leaving the field: nothing to tell.
        await page.InvokeAsync(() => Input(page, "IBAN (required)").FocusAsync(new()));
        await page.InvokeAsync(() => Input(page, "IBAN (required)").InputAsync(new ChangeEventArgs { Value = "DE89 3704 0044 0532 0130 00" }));
        await page.InvokeAsync(() => Input(page, "IBAN (required)").BlurAsync(new()));
        await WaitUntilAsync(() => advisor.State!.FieldValues.GetValueOrDefault(iban.Id)?.Value == "DE89 3704 0044 0532 0130 00", "the advisor sees the IBAN");
        await WaitUntilAsync(() => advisor.State!.FieldFocus.Count == 0, "the advisor sees the customer leave the field");
        Assert.Equal("", News(page));

        // The advisor types into its field: not told while typing, told once on leaving.
        await advisor.FocusFieldAsync(reference.Id);
        Assert.Null(await advisor.SetFieldValueAsync(reference.Id, "REF"));
        Assert.Null(await advisor.SetFieldValueAsync(reference.Id, "REF-4711"));
        page.WaitForAssertion(() => Assert.Equal("REF-4711", Input(page, "Advisor reference (required)").GetAttribute("value")));
        Assert.Equal("", News(page));
        await advisor.FocusFieldAsync(null);
        page.WaitForAssertion(() => Assert.Equal("Advisor filled in Advisor reference.", News(page)));

        // Staying in the field, a pause in the typing is enough.
        await advisor.FocusFieldAsync(reference.Id);
        Assert.Null(await advisor.SetFieldValueAsync(reference.Id, ""));
        page.WaitForAssertion(() => Assert.Equal("Advisor cleared Advisor reference.", News(page)), LiveChangeNews.TypingPause + Patience);
    }

    [Fact]
    public async Task The_advisors_signature_is_told_and_the_customers_own_is_not()
    {
        await MoveToAsync(Core.Contracts.ContractStatus.Review);
        var (sessionId, customer) = await StartSessionAsync();
        await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);

        await SignDirectlyAsync(customer, sessionId, CustomerName);
        page.WaitForAssertion(() => Assert.Contains(Signers(page), s => s.StartsWith("Customer signed", StringComparison.Ordinal)));
        Assert.Equal("", News(page));

        await SignDirectlyAsync(AdvisorCaller, sessionId, AdvisorName);
        page.WaitForAssertion(() => Assert.Equal("Advisor signed.", News(page)));
    }

    private async Task<FieldDefinition> PlaceAsync(string label, FieldParty party, double bottom)
    {
        var placed = await Context.Services.GetRequiredService<FieldService>()
            .CreateAsync(Advisor, ContractId, new FieldDraft(ClaimFormId, 1, new FieldBox(72, bottom, 200, 20), FieldKind.Text, label, party, Required: true));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        return placed.Value!;
    }

    private static string News(IRenderedComponent<IComponent> page) => page.Find("[data-testid=live-change-news]").TextContent.Trim();

    private static string Position(IRenderedComponent<IComponent> page) => page.Find(".pdf-viewer [aria-live=polite]").TextContent.Trim();

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<IComponent> page, string name) =>
        page.FindAll(".live-field [aria-label]").FirstOrDefault(e => e.GetAttribute("aria-label") == name && e.TagName is "INPUT" or "TEXTAREA")
            ?? throw new InvalidOperationException($"No field named '{name}'.");
}
