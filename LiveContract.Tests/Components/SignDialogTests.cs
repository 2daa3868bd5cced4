using Bunit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Signing;
using LiveContract.Web.Features.Signing;
using MudBlazor;

namespace LiveContract.Tests.Components;

/// <summary>
/// The sign dialog, opened from the live view's Sign button, step by step: consent, the typed name
/// and the drawing, the summary and the signature, over the real signing service.
/// </summary>
public sealed class SignDialogTests : SigningUiTests
{
    [Fact]
    public async Task The_signer_cannot_continue_without_agreeing_to_sign_electronically()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);

        Assert.Equal(SigningConsent.Text, page.Find("[data-testid=consent-text]").TextContent.Trim());

        await ClickAsync(page, "Continue");

        Assert.Equal("Tick “I agree to sign electronically” to continue.", Alert(page));
        Assert.Equal("Step 1 of 3: Consent", StepHeading(page));

        await AgreeAsync(page);

        Assert.Null(Alert(page));
    }

    [Fact]
    public async Task The_typed_name_is_required_and_must_be_the_name_on_the_contract()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);
        await DrawAsync(page);

        await ClickAsync(page, "Continue");

        Assert.Equal("Type your full name to sign.", Alert(page));
        Assert.Equal("Step 2 of 3: Your signature", StepHeading(page));
        Assert.Equal("true", ControlLabelled(page, "Full name").GetAttribute("aria-invalid"));

        await TypeNameAsync(page, "Chloe Durand");
        await ClickAsync(page, "Continue");

        Assert.StartsWith($"The name you typed does not match the name on this contract ({CustomerName}).", Alert(page));
        Assert.Equal("Step 2 of 3: Your signature", StepHeading(page));
    }

    [Fact]
    public async Task An_empty_pad_is_refused_with_a_message()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);
        await TypeNameAsync(page, CustomerName);

        await ClickAsync(page, "Continue");

        Assert.Equal("Draw your signature in the box, or use your typed name as your signature.", Alert(page));
        Assert.Equal("Step 2 of 3: Your signature", StepHeading(page));
        Assert.Empty(Pad.Invocations["toPng"]);
    }

    [Fact]
    public async Task A_blank_drawing_is_refused_by_the_signing_rules_before_the_last_step()
    {
        Pad.Setup<Microsoft.JSInterop.IJSStreamReference>("toPng", _ => true).SetResult(new PngReference(Fixtures.SignaturePngs.Blank()));
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);
        await TypeNameAsync(page, CustomerName);
        await DrawAsync(page);

        await ClickAsync(page, "Continue");

        Assert.Equal("The signature is blank; draw your signature to sign.", Alert(page));
        Assert.Equal("Step 2 of 3: Your signature", StepHeading(page));
    }

    [Fact]
    public async Task The_summary_shows_the_name_the_drawing_and_the_documents_and_signing_records_it_once_on_a_double_click()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);
        await TypeNameAsync(page, "  chloe dupont ");
        await DrawAsync(page);
        await ClickAsync(page, "Continue");

        page.WaitForAssertion(() => Assert.Equal("Step 3 of 3: Confirm", StepHeading(page)));
        Assert.Equal("chloe dupont", page.Find("[data-testid=summary-name]").TextContent);
        var preview = page.Find("img.sign-dialog-preview");
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(DrawnPng)}", preview.GetAttribute("src"));
        Assert.Equal("Your signature, chloe dupont", preview.GetAttribute("alt"));
        Assert.Equal([$"{ClaimForm} (3 pages)", $"{Rotated} (1 page)"], page.FindAll("ul[aria-label='Documents you sign'] li").Select(li => li.TextContent.Trim()));

        // Two clicks in one go, as a double click's events reach the circuit.
        var sign = page.FindComponents<MudButton>().Single(b => b.Markup.Contains("Sign the contract", StringComparison.Ordinal));
        var click = sign.Instance.OnClick;
        await sign.InvokeAsync(() => Task.WhenAll(click.InvokeAsync(), click.InvokeAsync()));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=dialog]")), Patience);
        page.WaitForAssertion(() => Assert.Matches($"^Customer signed at \\d\\d:\\d\\d UTC — chloe dupont$", Signers(page)[0]), Patience);
        Assert.False(HasButton(page, "Sign"));
        var state = (await Signing.GetContractStateAsync(Advisor, ContractId)).Value!;
        var signature = Assert.Single(state.Signatures);
        Assert.Equal((SignerRole.Customer, "chloe dupont", "203.0.113.7", "bunit", SigningConsent.Sha256), (signature.Role, signature.FullName, signature.IpAddress, signature.UserAgent, signature.ConsentSha256));
        Assert.Equal(DrawnPng, (await Signing.GetSignatureImageAsync(Advisor, ContractId, SignerRole.Customer)).Value);
        await WaitUntilAsync(() => advisor.State!.Announcement == "Customer signed the contract.", "the advisor hears of the signature");
    }

    [Fact]
    public async Task A_refusal_is_shown_in_the_dialog_and_the_name_and_drawing_are_kept()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        SignInAsCustomer(customer);
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);
        await TypeNameAsync(page, CustomerName);
        await DrawAsync(page);
        await ClickAsync(page, "Continue");
        page.WaitForAssertion(() => Assert.Equal("Step 3 of 3: Confirm", StepHeading(page)));

        // The advisor takes the contract back to draft while the customer confirms.
        await MoveToAsync(ContractStatus.Draft);
        await ClickAsync(page, "Sign the contract");

        page.WaitForAssertion(() => Assert.NotNull(Alert(page)), Patience);
        var refusal = (await Signing.GetStateAsync(customer, sessionId)).Value!.WhyCallerCannotSign;
        Assert.Equal(refusal, Alert(page));
        Assert.Equal("Step 3 of 3: Confirm", StepHeading(page));
        Assert.False(ButtonNamed(page, "Sign the contract").HasAttribute("disabled"));
        Assert.Empty((await Signing.GetContractStateAsync(Advisor, ContractId)).Value!.Signatures);

        await ClickAsync(page, "Back");

        Assert.Equal("Step 2 of 3: Your signature", StepHeading(page));
        Assert.Equal(CustomerName, ControlLabelled(page, "Full name").GetAttribute("value"));
        Assert.False(page.FindComponent<SignaturePad>().Instance.IsEmpty);
        Assert.Empty(Pad.Invocations["clear"]);
    }

    [Fact]
    public async Task The_advisor_countersigns_with_the_name_on_their_account()
    {
        var (sessionId, customer) = await StartReviewSessionAsync();
        await SignDirectlyAsync(customer, sessionId, CustomerName);
        SignInAsAdvisor();
        var page = OpenSignDialog(sessionId);
        await AgreeAsync(page);

        Assert.Contains($"Your full name as on your account: {AdvisorName}.", page.Find("[role=dialog]").TextContent);

        await TypeNameAsync(page, AdvisorName);
        await DrawAsync(page);
        await ClickAsync(page, "Continue");
        page.WaitForAssertion(() => Assert.Equal("Step 3 of 3: Confirm", StepHeading(page)));
        Assert.Contains(", the advisor.", page.Find("[role=dialog] section[aria-label=Confirm]").TextContent);
        await ClickAsync(page, "Sign the contract");

        page.WaitForAssertion(() => Assert.Equal("This contract is signed.", page.Find("[data-testid=signed-banner]").TextContent.Trim()), Patience);
        Assert.Equal(ContractStatus.Signed, (await Signing.GetContractStateAsync(Advisor, ContractId)).Value!.Status);
    }
}
