using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.E2E;

/// <summary>
/// The customer on a phone (a touch screen, 390 × 844 and 360 × 740): the join page, the live view
/// with the page in the first screen and nothing wider than the screen, a field filled and the
/// contract signed with taps from the bar at the foot, the signed-PDF page; a sideways swipe turns
/// the page; the advisor's desk keeps its side panels.
/// </summary>
public sealed class PhoneJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ClaimForm = "motor-insurance-claim-form.pdf";
    private const string Terms = "I accept the terms (required)";

    [Theory]
    [InlineData(390, 844)]
    [InlineData(360, 740)]
    public async Task A_customer_on_a_phone_sees_the_page_first_and_fills_and_signs_with_taps(int width, int height)
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var started = await StartSessionAsync(app, advisor.Id);
        var page = await browser.NewPhonePageAsync(app, width, height);

        // The join page fits the screen.
        await page.GotoAsync(started.CustomerLink);
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join the session" });
        await Expect(join).ToBeVisibleAsync();
        await AssertNoSidewaysScrollingAsync(page);
        await AxeCheck.AssertAccessibleAsync(page, $"the join page at {width} px");
        await join.TapAsync();

        // The page is drawn in the first screen, at the screen's width, and nothing scrolls sideways.
        var view = new LiveSessionView(page);
        await Expect(view.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        var canvas = await view.ViewerOf(ClaimForm).Locator("canvas").BoundingBoxAsync() ?? throw new InvalidOperationException("No page drawn.");
        Assert.True(canvas.Y >= 0 && canvas.Y + 200 < height, $"The page starts at {canvas.Y} px, below the first screen of {height} px.");
        Assert.True(canvas.Width >= width - 48, $"The page is {canvas.Width} px wide on a {width} px screen.");
        await AssertNoSidewaysScrollingAsync(page);
        await AxeCheck.AssertAccessibleAsync(page, $"the live view at {width} px");

        // The panels wait behind Details; the bar says what is left and Sign waits for it.
        await Expect(view.SigningPanel).ToBeHiddenAsync();
        await Expect(view.Participants).ToBeHiddenAsync();
        await Expect(view.BarStatus).ToHaveTextAsync("1 required field left to fill in.");
        await Expect(view.BarButton("Sign")).ToBeDisabledAsync();
        await view.BarButton("Details").TapAsync();
        await Expect(view.Participants).ToBeVisibleAsync();
        await Expect(view.BarButton("Details")).ToHaveAttributeAsync("aria-expanded", "true");
        await AxeCheck.AssertAccessibleAsync(page, $"the details sheet at {width} px");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close details" }).TapAsync();
        await Expect(view.Participants).ToBeHiddenAsync();
        await Expect(view.BarButton("Details")).ToBeFocusedAsync();

        // Next missing field puts the focus in the field; a tap fills it; Sign opens the dialog.
        await view.BarButton("Next missing field").TapAsync();
        var terms = page.GetByRole(AriaRole.Checkbox, new() { Name = Terms });
        await Expect(terms).ToBeFocusedAsync();
        await terms.TapAsync();
        await Expect(view.BarStatus).ToHaveTextAsync("Ready to sign.");
        await view.BarButton("Sign").TapAsync();
        var dialog = new SignDialog(page);
        await dialog.Step("Step 1 of 3: Consent").WaitForAsync();
        await dialog.Agree.TapAsync();
        await dialog.Button("Continue").TapAsync();
        await dialog.Step("Step 2 of 3: Your signature").WaitForAsync();
        await dialog.FullName.FillAsync("Chloé Dupont");
        await dialog.Button("Use my typed name as my signature").TapAsync();
        await Expect(dialog.PadStatus).ToHaveTextAsync("Your typed name “Chloé Dupont” is your signature.");
        await AssertNoSidewaysScrollingAsync(page);
        await AxeCheck.AssertAccessibleAsync(page, $"the sign dialog at {width} px");
        await dialog.Button("Continue").TapAsync();
        await dialog.Step("Step 3 of 3: Confirm").WaitForAsync();
        await dialog.Button("Sign the contract").TapAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0);
        await Expect(view.BarStatus).ToHaveTextAsync("This contract is signed.");
        await Expect(view.BarButton("Sign")).ToHaveCountAsync(0);
        await AssertNoSidewaysScrollingAsync(page);

        // The page the signed email links to fits too.
        var signedLink = await Mailbox.WaitForSignedLinkAsync(installation.PickupDirectory);
        await page.GotoAsync(signedLink);
        await Expect(page.GetByTestId("signed-contract")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollingAsync(page);
        await AxeCheck.AssertAccessibleAsync(page, $"the signed-PDF page at {width} px");
    }

    [Fact]
    public async Task A_sideways_swipe_turns_the_page_and_the_advisors_desk_keeps_its_side_panels()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var started = await StartSessionAsync(app, advisor.Id);

        // The advisor, at a desk: the panels beside the page, no bar.
        var advisorContext = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var advisorPage = await advisorContext.NewPageAsync();
        await (await LoginPage.OpenAsync(advisorPage)).LogInAsync("advisor@example.com", LiveContractApp.AdvisorPassword);
        await advisorPage.GotoAsync($"sessions/{started.Session.Id}");
        var advisorView = new LiveSessionView(advisorPage);
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(advisorView.SigningPanel).ToBeVisibleAsync();
        await Expect(advisorView.Participants).ToBeVisibleAsync();
        await Expect(advisorView.Bar).ToBeHiddenAsync();
        var panel = await advisorView.SigningPanel.BoundingBoxAsync();
        var viewer = await advisorView.ViewerOf(ClaimForm).BoundingBoxAsync();
        Assert.True(panel!.X + panel.Width <= viewer!.X, "The signing panel is not beside the page, on its left.");
        Assert.True(Math.Abs(panel.Y - viewer.Y) < 50, "The signing panel is not level with the page.");

        // The customer, on a phone, following the advisor: the note says page turns move everyone.
        var page = await browser.NewPhonePageAsync(app, 390, 844);
        await page.GotoAsync(started.CustomerLink);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).TapAsync();
        var view = new LiveSessionView(page);
        await Expect(view.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(page.GetByTestId("navigation-note")).ToHaveTextAsync("You follow Victor Advisor: turning pages moves everyone's view.");
        await Expect(view.ViewerOf(ClaimForm).GetByRole(AriaRole.Button, new() { Name = "Next page, for everyone", Exact = true })).ToBeVisibleAsync();

        // A swipe to the left turns to the next page, for both; a vertical drag does not.
        var touch = await page.Context.NewCDPSessionAsync(page);
        var canvas = (await view.ViewerOf(ClaimForm).Locator("canvas").BoundingBoxAsync())!;
        var middle = canvas.Y + Math.Min(canvas.Height, 844 - canvas.Y) / 2;
        await SwipeAsync(touch, (canvas.X + (canvas.Width * 0.85), middle), (canvas.X + (canvas.Width * 0.15), middle));
        await Expect(view.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "2");

        await SwipeAsync(touch, (canvas.X + (canvas.Width / 2), middle + 60), (canvas.X + (canvas.Width / 2) + 10, middle - 60));
        await SwipeAsync(touch, (canvas.X + (canvas.Width * 0.15), middle), (canvas.X + (canvas.Width * 0.85), middle));
        await Expect(view.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
        await Expect(advisorView.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1");
    }

    /// <summary>One finger from <paramref name="from"/> to <paramref name="to"/> in a few steps, as the touch screen reports it.</summary>
    private static async Task SwipeAsync(ICDPSession touch, (double X, double Y) from, (double X, double Y) to)
    {
        static Dictionary<string, object> Event(string type, double x, double y) => new()
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y, ["id"] = 1 } },
        };

        await touch.SendAsync("Input.dispatchTouchEvent", Event("touchStart", from.X, from.Y));
        const int steps = 6;
        for (var step = 1; step <= steps; step++)
        {
            var x = from.X + ((to.X - from.X) * step / steps);
            var y = from.Y + ((to.Y - from.Y) * step / steps);
            await touch.SendAsync("Input.dispatchTouchEvent", Event("touchMove", x, y));
        }

        await touch.SendAsync("Input.dispatchTouchEvent", Event("touchEnd", to.X, to.Y));
    }

    private static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth, $"{page.Url} is {scrollWidth} px wide on a {innerWidth} px screen.");
    }

    /// <summary>A contract in review with the claim form and one required checkbox for the customer, its live session started.</summary>
    private static async Task<StartedLiveSession> StartSessionAsync(LiveContractApp app, string advisorId)
    {
        var actor = new Actor(advisorId, IsAdmin: false);
        var contracts = app.Services.GetRequiredService<ContractService>();
        var contract = (await contracts.CreateAsync(actor, new NewContract("Home insurance", "Chloé Dupont", "chloe@example.com", AdvisorMustSign: false))).Value!;
        Guid documentId;
        using (var content = new MemoryStream(FixturePdfs.Read(ClaimForm)))
        {
            documentId = (await app.Services.GetRequiredService<DocumentService>().UploadAsync(actor, contract.Id, ClaimForm, content)).Value!.Id;
        }

        var field = await app.Services.GetRequiredService<FieldService>().CreateAsync(actor, contract.Id,
            new FieldDraft(documentId, 1, new FieldBox(72, 640, 24, 24), FieldKind.Checkbox, "I accept the terms", FieldParty.Customer, Required: true));
        Assert.True(field.Succeeded, field.Error?.Message);
        Assert.True((await contracts.UpdateAsync(actor, contract.Id, new ContractChanges(Status: ContractStatus.Review))).Succeeded);
        return (await app.Services.GetRequiredService<LiveSessionService>().StartAsync(actor, contract.Id)).Value!;
    }
}
