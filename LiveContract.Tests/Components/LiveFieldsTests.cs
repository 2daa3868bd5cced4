using AngleSharp.Dom;
using Bunit;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>
/// The fields in the live session, on the customer's page (and the advisor's), driven by a client
/// of the other circuit over the real services and coordinator: the overlay's inputs and read-only
/// fields, values as text, focus markers, problems, the freeze, guiding, the progress list and the
/// Sign button. The PDF module "draws" the claim form's A4 pages upright.
/// </summary>
public sealed class LiveFieldsTests : SigningUiTests
{
    private const string IbanMessage = "Enter an IBAN such as DE89 3704 0044 0532 0130 00.";

    private FieldDefinition fullName = default!;
    private FieldDefinition iban = default!;
    private FieldDefinition note = default!;
    private FieldDefinition lossDate = default!;
    private FieldDefinition customerSignature = default!;

    public LiveFieldsTests()
    {
        for (var page = 1; page <= 3; page++)
        {
            var drawn = page;
            Pdf.Setup<PdfViewer.RenderResult?>("render", i => (int)i.Arguments[1]! == drawn)
                .SetResult(new PdfViewer.RenderResult(drawn, 1, Failed: false, new PdfViewer.PageViewport([1, 0, 0, -1, 0, 841.89], 595.276, 841.89)));
        }
    }

    private FieldService Fields => Context.Services.GetRequiredService<FieldService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        fullName = await PlaceAsync("Full name", FieldKind.Text, FieldParty.Customer, 1, 700);
        iban = await PlaceAsync("IBAN", FieldKind.Text, FieldParty.Customer, 1, 650, new FieldRuleSet(Pattern: "[A-Z]{2}[0-9]{2}[A-Z0-9 ]{11,30}", PatternMessage: IbanMessage));
        note = await PlaceAsync("Advisor note", FieldKind.Text, FieldParty.Advisor, 1, 600);
        customerSignature = await PlaceAsync("Customer signature", FieldKind.SignatureSpot, FieldParty.Customer, 1, 100);
        lossDate = await PlaceAsync("Date of loss", FieldKind.Date, FieldParty.Customer, 2, 700);
    }

    [Fact]
    public async Task The_customers_own_fields_are_inputs_named_by_their_labels_and_the_advisors_are_read_only()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);

        var page = OpenSessionPage(sessionId);

        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));
        Assert.False(Input(page, "Full name (required)").HasAttribute("readonly"));
        Assert.False(Input(page, "IBAN (required)").HasAttribute("readonly"));
        Assert.True(Input(page, "Advisor note (required)").HasAttribute("readonly"));
        Assert.Equal("Signature of Chloé Dupont", page.Find($"[data-field-id='{customerSignature.Id}'] [role=note]").GetAttribute("aria-label"));
        Assert.Empty(page.FindAll($"[data-field-id='{lossDate.Id}']"));
        Assert.Equal("left: 12.0952%; top: 14.4781%; width: 33.5979%; height: 2.3756%; --field-tab-room: 261.64%", page.Find($"[data-field-id='{fullName.Id}']").GetAttribute("style"));
    }

    [Fact]
    public async Task Each_box_shows_its_label_and_required_mark_and_the_other_partys_fields_say_whose_turn_it_is()
    {
        var identityChecked = await PlaceAsync("Identity checked", FieldKind.Checkbox, FieldParty.Advisor, 1, 550, required: false);
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);

        var page = OpenSessionPage(sessionId);

        // The customer's own empty field: its label on the tab with the required mark, and inside the box as placeholder.
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));
        Assert.Equal(("Full name", "*", null), TabOf(page, fullName));
        Assert.Equal("Full name", Input(page, "Full name (required)").GetAttribute("placeholder"));
        Assert.Equal("Full name (required)", page.Find($"[data-field-id='{fullName.Id}']").GetAttribute("title"));
        Assert.Equal(("Customer signature", "*", null), TabOf(page, customerSignature));

        // The advisor's fields while the advisor is away: waiting for them, inside a text box, on the tab of a checkbox.
        Assert.Equal(("Advisor note", "*", null), TabOf(page, note));
        Assert.Equal($"Waiting for {AdvisorName}", Input(page, "Advisor note (required)").GetAttribute("placeholder"));
        Assert.Equal(("Identity checked", null, $"Waiting for {AdvisorName}"), TabOf(page, identityChecked));
        Assert.Equal($"Identity checked · Waiting for {AdvisorName}", page.Find($"[data-field-id='{identityChecked.Id}']").GetAttribute("title"));

        // The advisor joins: their fields are theirs to fill now; a filled one shows its value and its label again.
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        page.WaitForAssertion(() => Assert.Equal("Advisor fills this", Input(page, "Advisor note (required)").GetAttribute("placeholder")));
        Assert.Equal(("Identity checked", null, "Advisor fills this"), TabOf(page, identityChecked));

        Assert.Null(await advisor.SetFieldValueAsync(identityChecked.Id, "true"));
        Assert.Null(await advisor.SetFieldValueAsync(note.Id, "Seen"));

        page.WaitForAssertion(() => Assert.Equal(("Identity checked", null, null), TabOf(page, identityChecked)));
        page.WaitForAssertion(() => Assert.Equal("Advisor note", Input(page, "Advisor note (required)").GetAttribute("placeholder")));
    }

    [Theory]
    [InlineData("fr", "1 234,5", "1234,5")]
    [InlineData("de", "1.234,5", "1234,5")]
    [InlineData("en", "1234.5", "1234.5")]
    public async Task A_number_is_typed_and_shown_in_the_page_culture_and_reaches_the_advisor_invariant(string language, string typed, string shown)
    {
        var amount = await PlaceAsync("Amount", FieldKind.Number, FieldParty.Customer, 1, 550);
        using var culture = LiveContract.Core.Localization.Languages.Use(language);
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        var selector = $"[data-field-id='{amount.Id}'] input";
        page.WaitForAssertion(() => Assert.NotNull(page.Find(selector)));

        await page.Find(selector).InputAsync(new ChangeEventArgs { Value = typed });
        await WaitUntilAsync(() => advisor.State!.FieldValues.GetValueOrDefault(amount.Id)?.Value == "1234.5", "the advisor gets the invariant number");
        await page.Find(selector).BlurAsync(new());

        page.WaitForAssertion(() => Assert.Equal(shown, page.Find(selector).GetAttribute("value")));
        Assert.Null(advisor.State!.FieldValues[amount.Id].Problem);
    }

    [Theory]
    [InlineData("fr", "Amount doit valoir au moins 100,5.", "Start date doit être le 01/01/2026 ou plus tard.")]
    [InlineData("de", "Amount muss mindestens 100,5 betragen.", "Start date darf nicht vor dem 01.01.2026 liegen.")]
    public async Task A_problem_shows_in_the_customers_language_while_the_advisor_gets_the_shared_english_one(string language, string amountProblem, string dateProblem)
    {
        var amount = await PlaceAsync("Amount", FieldKind.Number, FieldParty.Customer, 1, 550, new FieldRuleSet(MinNumber: 100.5m));
        var start = await PlaceAsync("Start date", FieldKind.Date, FieldParty.Customer, 1, 500, new FieldRuleSet(MinDate: new DateOnly(2026, 1, 1)));
        using var culture = Languages.Use(language);
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-field-id='{start.Id}'] input")));

        await page.Find($"[data-field-id='{amount.Id}'] input").InputAsync(new ChangeEventArgs { Value = "12" });
        await page.Find($"[data-field-id='{start.Id}'] input").InputAsync(new ChangeEventArgs { Value = "2025-12-31" });

        page.WaitForAssertion(() => Assert.Equal(amountProblem, ProblemOf(page, amount)), Patience);
        page.WaitForAssertion(() => Assert.Equal(dateProblem, ProblemOf(page, start)), Patience);
        await WaitUntilAsync(() => advisor.State!.FieldValues.GetValueOrDefault(start.Id)?.Value == "2025-12-31", "the advisor gets the date");
        Assert.Equal("Amount must be at least 100.5.", advisor.State!.FieldValues[amount.Id].Problem);
        Assert.Equal("Start date must be on or after 2026-01-01.", advisor.State.FieldValues[start.Id].Problem);
    }

    [Fact]
    public async Task A_french_customer_is_told_in_french_why_they_cannot_sign()
    {
        using var culture = Languages.Use("fr");
        var (sessionId, customer) = await StartReviewSessionAsync();
        var request = new SignRequest(CustomerName, DrawnPng, SigningConsent.For("fr").Sha256, "198.51.100.4", "Browser");

        var unfilled = await Signing.SignAsync(customer, sessionId, request);

        Assert.Equal("Remplissez d'abord les champs obligatoires : Full name, IBAN, Date of loss.", unfilled.Error?.Message);
        var client = await JoinAsync(customer, sessionId);
        Assert.Null(await client.SetFieldValueAsync(fullName.Id, CustomerName));
        Assert.Null(await client.SetFieldValueAsync(iban.Id, "DE89 3704 0044 0532 0130 00"));
        Assert.Null(await client.SetFieldValueAsync(lossDate.Id, "2026-11-02"));
        Assert.Equal(
            "Le conseiller doit remplir ses champs obligatoires avant la première signature, qui fige toutes les valeurs : Advisor note.",
            (await Signing.SignAsync(customer, sessionId, request)).Error?.Message);
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        Assert.Null(await advisor.SetFieldValueAsync(note.Id, "Vu"));
        Assert.Equal(
            $"Le nom saisi ne correspond pas au nom figurant sur ce contrat ({CustomerName}). Saisissez votre nom complet tel qu'il y est écrit ; s'il est erroné, adressez-vous à votre conseiller.",
            (await Signing.SignAsync(customer, sessionId, request with { FullName = "Claire Dupont" })).Error?.Message);
        Assert.Equal(
            "Le texte de consentement que vous avez accepté n'est pas le texte actuel. Rechargez la page, relisez le consentement et signez.",
            (await Signing.SignAsync(customer, sessionId, request with { ConsentSha256 = new string('0', 64) })).Error?.Message);

        var signed = await Signing.SignAsync(customer, sessionId, request);

        Assert.True(signed.Succeeded, signed.Error?.Message);
        Assert.Equal("Vous avez signé ce contrat.", (await Signing.GetStateAsync(customer, sessionId)).Value!.WhyCallerCannotSign);
    }

    [Fact]
    public async Task What_the_customer_types_reaches_the_advisor_and_the_advisors_script_shows_as_text()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));

        await TypeAsync(page, "Full name (required)", "Chloé Dupont");
        await OnFieldAsync(page, "Full name (required)", input => input.BlurAsync(new()));

        await WaitUntilAsync(() => advisor.State!.FieldValues.GetValueOrDefault(fullName.Id)?.Value == "Chloé Dupont", "the advisor sees the name");

        const string Script = "<script>alert('x')</script><b>bold</b>";
        Assert.Null(await advisor.SetFieldValueAsync(note.Id, Script));

        page.WaitForAssertion(() => Assert.Equal(Script, Input(page, "Advisor note (required)").GetAttribute("value")));
        Assert.Empty(page.FindAll(".live-field script, .live-field b"));
    }

    [Fact]
    public async Task The_customer_cannot_change_the_advisors_field()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Advisor note (required)")));

        await TypeAsync(page, "Advisor note (required)", "mine now");

        await Task.Delay(300);
        Assert.Null(advisor.State!.FieldValues.GetValueOrDefault(note.Id));
    }

    [Fact]
    public async Task The_other_persons_focus_shows_with_their_name_and_a_problem_shows_under_the_field()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "IBAN (required)")));

        Assert.True((await advisor.FocusFieldAsync(note.Id)).Succeeded);

        page.WaitForAssertion(() => Assert.Equal($"{AdvisorName} is filling in Advisor note", page.Find($"[data-field-id='{note.Id}'] [data-testid=field-focus]").TextContent.Trim()));

        await TypeAsync(page, "IBAN (required)", "not an iban");

        page.WaitForAssertion(() => Assert.Equal("true", Input(page, "IBAN (required)").GetAttribute("aria-invalid")));
        var describedBy = Input(page, "IBAN (required)").GetAttribute("aria-describedby");
        Assert.Equal(IbanMessage, page.Find($"#{describedBy}").TextContent.Trim());
    }

    [Fact]
    public async Task The_progress_counts_required_fields_per_party_and_next_missing_field_jumps_to_it()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));

        Assert.Equal("Customer: 0 of 4 required fields done", Progress(page, "customer"));
        Assert.Equal("Advisor: 0 of 1 required fields done", Progress(page, "advisor"));

        await TypeAsync(page, "Full name (required)", "Chloé Dupont");
        await TypeAsync(page, "IBAN (required)", "DE89 3704 0044 0532 0130 00");

        page.WaitForAssertion(() => Assert.Equal("Customer: 2 of 4 required fields done", Progress(page, "customer")));
        var focusedBefore = FocusCalls();
        await ClickAsync(page, "Next missing field");

        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", page.Find(".pdf-viewer-position").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("live-field-highlight", page.Find($"[data-field-id='{lossDate.Id}']").ClassName, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.True(FocusCalls() > focusedBefore, "The focus moved."));
        Assert.Single(page.FindAll(".live-field-highlight"));
    }

    [Fact]
    public async Task Sign_is_disabled_until_the_callers_required_fields_are_done_and_says_what_is_missing()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));

        var sign = ButtonNamed(page, "Sign");
        Assert.True(sign.HasAttribute("disabled"));
        Assert.Equal("Fill in the required fields first: Full name, IBAN, Date of loss.", page.Find($"#{sign.GetAttribute("aria-describedby")}").TextContent.Trim());

        await TypeAsync(page, "Full name (required)", "Chloé Dupont");
        await TypeAsync(page, "IBAN (required)", "DE89 3704 0044 0532 0130 00");
        page.WaitForAssertion(() => Assert.Equal("Fill in the required fields first: Date of loss.", page.Find("[data-testid=sign-missing]").TextContent.Trim()));

        await ClickAsync(page, "Go to Date of loss");
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Date of loss (required)")));
        await TypeAsync(page, "Date of loss (required)", "2026-11-02");

        page.WaitForAssertion(() => Assert.False(ButtonNamed(page, "Sign").HasAttribute("disabled")));
        Assert.Empty(page.FindAll("[data-testid=sign-missing]"));
    }

    [Fact]
    public async Task The_phone_bar_says_what_is_left_goes_to_the_next_field_signs_and_opens_the_details()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.Equal("3 required fields left to fill in.", BarStatus(page)));

        var sign = BarButton(page, "Sign");
        Assert.True(sign.HasAttribute("disabled"));
        Assert.Equal("3 required fields left to fill in.", page.Find($"#{sign.GetAttribute("aria-describedby")}").TextContent.Trim());

        await TypeAsync(page, "Full name (required)", "Chloé Dupont");
        await TypeAsync(page, "IBAN (required)", "DE89 3704 0044 0532 0130 00");
        page.WaitForAssertion(() => Assert.Equal("1 required field left to fill in.", BarStatus(page)));
        await page.InvokeAsync(() => BarButton(page, "Next missing field").ClickAsync(new()));
        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", page.Find(".pdf-viewer-position").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Date of loss (required)")));
        await TypeAsync(page, "Date of loss (required)", "2026-11-02");

        page.WaitForAssertion(() => Assert.Equal("Ready to sign.", BarStatus(page)));
        Assert.DoesNotContain(page.Find("[data-testid=signing-bar]").QuerySelectorAll("button"), b => b.TextContent.Trim() == "Next missing field");
        var details = BarButton(page, "Details");
        Assert.Equal("false", details.GetAttribute("aria-expanded"));
        var sheet = page.Find($"#{details.GetAttribute("aria-controls")}");
        Assert.DoesNotContain("live-view-details-open", sheet.ClassName, StringComparison.Ordinal);

        await page.InvokeAsync(() => BarButton(page, "Details").ClickAsync(new()));

        page.WaitForAssertion(() => Assert.Equal("true", BarButton(page, "Details").GetAttribute("aria-expanded")));
        Assert.Contains("live-view-details-open", page.Find($"#{details.GetAttribute("aria-controls")}").ClassName, StringComparison.Ordinal);
        await page.InvokeAsync(() => page.Find($"#{details.GetAttribute("aria-controls")}").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" }));
        page.WaitForAssertion(() => Assert.Equal("false", BarButton(page, "Details").GetAttribute("aria-expanded")));

        BarButton(page, "Sign").Click();

        page.WaitForAssertion(() => Assert.Contains("Step 1 of 3: Consent", page.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_first_signature_every_field_is_read_only_with_a_note()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var customerClient = await JoinAsync(customer, sessionId);
        Assert.Null(await customerClient.SetFieldValueAsync(fullName.Id, "Chloé Dupont"));
        Assert.Null(await customerClient.SetFieldValueAsync(iban.Id, "DE89 3704 0044 0532 0130 00"));
        Assert.Null(await customerClient.SetFieldValueAsync(lossDate.Id, "2026-11-02"));
        Assert.Null(await customerClient.CommitFieldAsync(lossDate.Id));
        var advisorClient = await JoinAsync(AdvisorCaller, sessionId);
        Assert.Null(await advisorClient.SetFieldValueAsync(note.Id, "Checked with the claims desk"));
        Assert.Null(await advisorClient.CommitFieldAsync(note.Id));
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.False(Input(page, "Full name (required)").HasAttribute("readonly")));

        await SignDirectlyAsync(customer, sessionId, CustomerName);

        page.WaitForAssertion(() => Assert.True(Input(page, "Full name (required)").HasAttribute("readonly")));
        Assert.True(Input(page, "IBAN (required)").HasAttribute("readonly"));
        Assert.Equal("Chloé Dupont", Input(page, "Full name (required)").GetAttribute("value"));
        Assert.Equal("The fields are frozen: someone has signed, so no value can change.", page.Find("[data-testid=fields-frozen]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Equal("Signature of Chloé Dupont: signed", page.Find($"[data-field-id='{customerSignature.Id}'] [role=note]").GetAttribute("aria-label")));
    }

    [Fact]
    public async Task The_advisor_guides_the_customer_to_a_field_on_another_page()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var customerClient = await JoinAsync(customer, sessionId);
        SignInAsAdvisor();
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Advisor note (required)")));
        Assert.False(Input(page, "Advisor note (required)").HasAttribute("readonly"));
        Assert.True(Input(page, "Full name (required)").HasAttribute("readonly"));
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Guide customer here: Advisor note"));

        await ClickAsync(page, "Guide customer here: Date of loss");

        await WaitUntilAsync(() => customerClient.State!.Guide?.FieldId == lossDate.Id, "the customer is guided");
        Assert.Equal((ClaimFormId, 2), (customerClient.State!.DocumentId, customerClient.State.Page));
        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", page.Find(".pdf-viewer-position").TextContent.Trim()));
    }

    [Fact]
    public async Task A_customers_view_jumps_to_the_guided_field_and_highlights_it()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSessionPage(sessionId);
        page.WaitForAssertion(() => Assert.NotNull(Input(page, "Full name (required)")));
        await FollowSwitch(page).ChangeAsync(new ChangeEventArgs { Value = false });

        Assert.True((await advisor.GuideToFieldAsync(lossDate.Id)).Succeeded);

        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", page.Find(".pdf-viewer-position").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains("live-field-highlight", page.Find($"[data-field-id='{lossDate.Id}']").ClassName, StringComparison.Ordinal));
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<FieldDefinition> PlaceAsync(string label, FieldKind kind, FieldParty party, int page, double bottom, FieldRuleSet? rules = null, bool required = true)
    {
        var placed = await Fields.CreateAsync(Advisor, ContractId, new FieldDraft(ClaimFormId, page, new FieldBox(72, bottom, 200, 20), kind, label, party, required, rules));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        return placed.Value!;
    }

    /// <summary>Types into a field as a person does.</summary>
    private static Task TypeAsync(IRenderedComponent<IComponent> page, string name, string value) =>
        OnFieldAsync(page, name, input => input.InputAsync(new ChangeEventArgs { Value = value }));

    /// <summary>Raises an event on a field, finding it again when the page re-rendered in between (values arrive from the session at any time).</summary>
    private static async Task OnFieldAsync(IRenderedComponent<IComponent> page, string name, Func<IElement, Task> raise)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await raise(Input(page, name));
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (attempt < 5)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>The problem shown beside a field, as its input's description.</summary>
    private static string ProblemOf(IRenderedComponent<IComponent> page, FieldDefinition field) =>
        page.Find($"#{page.Find($"[data-field-id='{field.Id}'] input").GetAttribute("aria-describedby")}").TextContent.Trim();

    private static string BarStatus(IRenderedComponent<IComponent> page) => page.Find("[data-testid=signing-bar-status]").TextContent.Trim();

    private static IElement BarButton(IRenderedComponent<IComponent> page, string name) =>
        page.Find("[data-testid=signing-bar]").QuerySelectorAll("button").FirstOrDefault(b => b.TextContent.Trim() == name)
            ?? throw new InvalidOperationException($"No button '{name}' in the bar.");

    private static IElement Input(IRenderedComponent<IComponent> page, string name) =>
        page.FindAll(".live-field [aria-label]").FirstOrDefault(e => e.GetAttribute("aria-label") == name && e.TagName is "INPUT" or "TEXTAREA" or "SELECT")
            ?? throw new InvalidOperationException($"No field named '{name}'.");

    /// <summary>What a box's tab shows: the label, the required mark (or null) and whose turn it is (or null).</summary>
    private static (string Label, string? Required, string? Cue) TabOf(IRenderedComponent<IComponent> page, FieldDefinition field)
    {
        var tab = page.Find($"[data-field-id='{field.Id}'] [data-testid=field-tab]");
        return (tab.QuerySelector(".live-field-tab-label")!.TextContent.Trim(), tab.QuerySelector(".live-field-tab-required")?.TextContent.Trim(),
            tab.QuerySelector(".live-field-tab-cue")?.TextContent.Trim());
    }

    /// <summary>
    /// How often the page has moved the keyboard focus (which element, bunit cannot tell here: it renders the overlay's
    /// element references empty; the browser test checks that the highlighted box is the focused one).
    /// </summary>
    private int FocusCalls() => Context.JSInterop.Invocations.ToList().Count(i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));

    private static string Progress(IRenderedComponent<IComponent> page, string party) => page.Find($"[data-testid=progress-{party}]").TextContent.Trim();

    private static IElement FollowSwitch(IRenderedComponent<IComponent> page) =>
        page.FindAll("label").Single(l => l.TextContent.Trim() == "Follow the advisor").QuerySelector("input")
            ?? throw new InvalidOperationException("The follow switch has no input.");
}
