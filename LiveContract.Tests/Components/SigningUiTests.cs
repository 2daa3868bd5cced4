using AngleSharp.Dom;
using Bunit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Hosting;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Signing;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace LiveContract.Tests.Components;

/// <summary>
/// What the signing UI's tests share: the live-session context (Victor Advisor, "Motor policy" for
/// Chloé Dupont, two documents) over the real signing and sealing services (sealing only on demand:
/// no background worker runs here), with the PDF viewer's and the signature pad's JS modules
/// stubbed by bunit (the pad gives a drawn PNG when asked).
/// </summary>
public abstract class SigningUiTests : LiveSessionTestContext
{
    protected const string PadModule = "./Features/Signing/SignaturePad.razor.js";

    /// <summary>How long to wait for what arrives through the database or the session's events.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    protected SigningUiTests()
    {
        // The certificate of completion names the verification page's address.
        Context.Services.Configure<LiveContractOptions>(o => o.PublicUrl = "http://localhost/");
        Pdf = Context.JSInterop.SetupModule("./Components/Shared/PdfViewer.razor.js");
        Pad = Context.JSInterop.SetupModule(PadModule);
        Pad.Setup<bool>("attach", _ => true).SetResult(true);
        Pad.Setup<IJSStreamReference>("toPng", _ => true).SetResult(new PngReference(DrawnPng));
    }

    protected BunitJSModuleInterop Pdf { get; }

    protected BunitJSModuleInterop Pad { get; }

    /// <summary>What the stubbed pad exports: a 300×100 drawing, as a browser's canvas does.</summary>
    protected static byte[] DrawnPng { get; } = SignaturePngs.Drawn();

    protected SigningService Signing => Context.Services.GetRequiredService<SigningService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Pdf.Setup<int>("load", i => ((string)i.Arguments[1]!).Contains(ClaimFormId.ToString(), StringComparison.Ordinal)).SetResult(3);
        Pdf.Setup<int>("load", i => ((string)i.Arguments[1]!).Contains(RotatedId.ToString(), StringComparison.Ordinal)).SetResult(1);
    }

    protected async Task MoveToAsync(ContractStatus status)
    {
        var moved = await Context.Services.GetRequiredService<ContractService>().UpdateAsync(Advisor, ContractId, new ContractChanges(Status: status));
        Assert.True(moved.Succeeded, moved.Error?.Message);
    }

    /// <summary>Sends the contract for review and starts its session.</summary>
    protected async Task<(Guid SessionId, SessionCaller.Customer Customer)> StartReviewSessionAsync()
    {
        await MoveToAsync(ContractStatus.Review);
        return await StartSessionAsync();
    }

    /// <summary>Signs as <paramref name="caller"/> through the service, as the other side's browser would.</summary>
    protected async Task<SignResult> SignDirectlyAsync(SessionCaller caller, Guid sessionId, string fullName)
    {
        var signed = await Signing.SignAsync(
            caller,
            sessionId,
            new SignRequest(fullName, DrawnPng, SigningConsent.Sha256, "198.51.100.4", "Other browser"));
        Assert.True(signed.Succeeded, signed.Error?.Message);
        return signed.Value!;
    }

    /// <summary>Opens the live session page and waits for its signing panel.</summary>
    protected IRenderedComponent<IComponent> OpenSessionPage(Guid sessionId)
    {
        var page = RenderPage<Web.Features.LiveSessions.LiveSessionPage>((nameof(Web.Features.LiveSessions.LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=signer]")), Patience);
        return page;
    }

    /// <summary>Opens the live session page and the sign dialog from its Sign button.</summary>
    protected IRenderedComponent<IComponent> OpenSignDialog(Guid sessionId)
    {
        var page = OpenSessionPage(sessionId);
        ButtonNamed(page, "Sign").Click();
        page.WaitForAssertion(() => Assert.Equal("Step 1 of 3: Consent", StepHeading(page)));
        return page;
    }

    /// <summary>A stroke on the pad, as the module reports it.</summary>
    protected static async Task DrawAsync(IRenderedComponent<IComponent> page)
    {
        var pad = page.FindComponent<SignaturePad>();
        await pad.InvokeAsync(() => pad.Instance.OnChanged(false));
    }

    protected static async Task AgreeAsync(IRenderedComponent<IComponent> page)
    {
        await CheckboxLabelled(page, "I agree to sign electronically").ChangeAsync(new ChangeEventArgs { Value = true });
        await ClickAsync(page, "Continue");
        page.WaitForAssertion(() => Assert.Equal("Step 2 of 3: Your signature", StepHeading(page)));
    }

    protected static async Task TypeNameAsync(IRenderedComponent<IComponent> page, string name) =>
        await ControlLabelled(page, "Full name").InputAsync(new ChangeEventArgs { Value = name });

    protected static string StepHeading(IRenderedComponent<IComponent> page) => page.Find("[role=dialog] h2.sign-dialog-step").TextContent.Trim();

    protected static string? Alert(IRenderedComponent<IComponent> page) =>
        page.FindAll("[role=dialog] [role=alert]").Select(a => a.TextContent.Trim()).SingleOrDefault();

    protected static List<string> Signers(IRenderedComponent<IComponent> page) =>
        page.FindAll("[data-testid=signer]").Select(li => li.TextContent.Trim()).ToList();

    protected static bool HasButton(IRenderedComponent<IComponent> page, string name) =>
        page.FindAll("button").Any(b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == name);

    protected static IElement CheckboxLabelled(IRenderedComponent<IComponent> page, string label) =>
        page.FindAll("label").Single(l => l.TextContent.Trim() == label).QuerySelector("input")
            ?? throw new InvalidOperationException($"The checkbox '{label}' has no input.");

    /// <summary>A PNG handed over by the browser as a stream.</summary>
    internal sealed class PngReference(byte[] png) : IJSStreamReference
    {
        public long Length => png.Length;

        public ValueTask<Stream> OpenReadStreamAsync(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Stream>(new MemoryStream(png, writable: false));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
