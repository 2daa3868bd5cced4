using AngleSharp.Dom;
using Bunit;
using LiveContract.Core.LiveSessions;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Components;

namespace LiveContract.Tests.Components;

/// <summary>
/// The live session page (and its LiveView) on one side, driven by a client of another circuit on
/// the other side, over the real service and coordinator; the PDF module is stubbed by bunit.
/// </summary>
public sealed class LiveViewTests : LiveSessionTestContext
{
    private readonly BunitJSModuleInterop pdf;

    public LiveViewTests()
    {
        pdf = Context.JSInterop.SetupModule("./Components/Shared/PdfViewer.razor.js");
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        pdf.Setup<int>("load", i => Source(i).Contains(ClaimFormId.ToString(), StringComparison.Ordinal)).SetResult(3);
        pdf.Setup<int>("load", i => Source(i).Contains(RotatedId.ToString(), StringComparison.Ordinal)).SetResult(1);
    }

    [Fact]
    public async Task The_customer_sees_the_contract_the_documents_and_who_is_there()
    {
        var (sessionId, customer) = await StartSessionAsync();
        await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        Assert.Equal("Motor policy", page.Find("h1").TextContent.Trim());
        Assert.Contains("Draft", page.Find(".mud-chip").TextContent);
        Assert.Equal($"Document viewer: {ClaimForm}", Viewer(page).GetAttribute("aria-label"));
        Assert.Equal([$"{AdvisorName} (advisor) — connected", $"{CustomerName} (customer) — connected"], Presence(page));
        Assert.Equal("true", ButtonNamed(page, ClaimForm).GetAttribute("aria-current"));
        Assert.Null(ButtonNamed(page, Rotated).GetAttribute("aria-current"));
        Assert.True(IsChecked(FollowSwitch(page)));
        Assert.Contains($"documents/{ClaimFormId}/content?token=", Source(pdf.Invocations["load"].Last()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_advisors_moves_move_a_following_customers_viewer()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        await advisor.ChangePageAsync(ClaimFormId, 3);

        page.WaitForAssertion(() => Assert.Equal("Page 3 of 3", Position(page)));
        page.WaitForAssertion(() => Assert.Equal(3, RenderedPages().Last()));

        await advisor.LoadDocumentAsync(RotatedId);

        page.WaitForAssertion(() => Assert.Equal($"Document viewer: {Rotated}", Viewer(page).GetAttribute("aria-label")));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 1", Position(page)));
        Assert.Equal("true", ButtonNamed(page, Rotated).GetAttribute("aria-current"));
    }

    [Fact]
    public async Task A_following_customers_navigation_is_shared()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        Assert.Equal($"You follow {AdvisorName}: turning pages moves everyone's view.", page.Find("[data-testid=navigation-note]").TextContent.Trim());
        Assert.Equal("Next page, for everyone", ButtonNamed(page, "Next page, for everyone").GetAttribute("title"));

        await ClickAsync(page, "Next page, for everyone");
        await WaitUntilAsync(() => advisor.State!.Page == 2, "the advisor shows page 2");

        await ClickAsync(page, Rotated);
        await WaitUntilAsync(() => advisor.State!.DocumentId == RotatedId, "the advisor shows the other document");
    }

    [Fact]
    public async Task A_customer_who_stops_following_browses_alone_and_can_go_back_to_the_advisors_page()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        await FollowSwitch(page).ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.Empty(page.FindAll("[data-testid=navigation-note]"));
        await ClickAsync(page, "Next page");
        await advisor.ChangePageAsync(ClaimFormId, 3);

        page.WaitForAssertion(() => Assert.Equal($"{AdvisorName} is showing {ClaimForm}, page 3.", page.Find("[data-testid=advisor-position]").TextContent.Trim()));
        Assert.Equal("Page 2 of 3", Position(page));
        Assert.Equal(3, advisor.State!.Page);

        await ClickAsync(page, "Back to the advisor's page");

        page.WaitForAssertion(() => Assert.Equal("Page 3 of 3", Position(page)));
        Assert.True(IsChecked(FollowSwitch(page)));
        Assert.Empty(page.FindAll("[data-testid=advisor-position]"));
        ButtonNamed(page, "Next page, for everyone");
    }

    [Fact]
    public async Task A_following_customers_swipe_turns_the_page_for_everyone()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        await page.InvokeAsync(() => page.FindComponent<PdfViewer>().Instance.OnSwiped(forward: true));

        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", Position(page)));
        await WaitUntilAsync(() => advisor.State!.Page == 2, "the advisor shows page 2");
    }

    [Fact]
    public async Task The_advisors_page_buttons_keep_their_names_without_a_note()
    {
        var (sessionId, _) = await StartSessionAsync();
        SignInAsAdvisor();

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        Assert.Equal("Next page", ButtonNamed(page, "Next page").GetAttribute("title"));
        Assert.Empty(page.FindAll("[data-testid=navigation-note]"));
    }

    [Fact]
    public async Task Navigation_while_not_following_is_not_broadcast()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        await WaitUntilAsync(() => advisor.State!.Participants.Count == 2, "the advisor sees the customer");
        var version = advisor.State!.Version;

        await FollowSwitch(page).ChangeAsync(new ChangeEventArgs { Value = false });
        await ClickAsync(page, "Last page");
        await ClickAsync(page, Rotated);

        page.WaitForAssertion(() => Assert.Equal($"Document viewer: {Rotated}", Viewer(page).GetAttribute("aria-label")));
        Assert.Equal(version, advisor.State!.Version);
        Assert.Equal((ClaimFormId, 1), (advisor.State.DocumentId, advisor.State.Page));
    }

    [Fact]
    public async Task The_advisor_points_by_clicking_and_both_sides_show_the_marker()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var customerClient = await JoinAsync(customer, sessionId);
        SignInAsAdvisor();
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        var viewer = page.FindComponent<PdfViewer>();

        await viewer.InvokeAsync(() => viewer.Instance.OnPagePointed(0.25, 0.5));

        await WaitUntilAsync(() => customerClient.State!.Pointer is not null, "the customer sees the pointer");
        Assert.Equal(new PointerPosition(0.25, 0.5), customerClient.State!.Pointer!.Position);

        page.WaitForAssertion(() => Assert.Equal("left: 25%; top: 50%", Marker(page, $"Pointer from {AdvisorName}").GetAttribute("style")));
        Assert.Equal("true", Viewer(page).GetAttribute("data-pointing"));
    }

    [Fact]
    public async Task The_customer_sees_the_advisors_pointer_until_the_page_changes()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));
        Assert.Equal("false", Viewer(page).GetAttribute("data-pointing"));

        await advisor.PointAsync(0.125, 0.75);

        page.WaitForAssertion(() => Assert.Equal("left: 12.5%; top: 75%", Marker(page, $"Pointer from {AdvisorName}").GetAttribute("style")));

        await advisor.ChangePageAsync(ClaimFormId, 2);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-label^='Pointer from']")));
    }

    [Fact]
    public async Task Presence_shows_who_joins_and_who_leaves_and_announces_it()
    {
        var (sessionId, customer) = await StartSessionAsync();
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal([$"{AdvisorName} (advisor) — not connected", $"{CustomerName} (customer) — connected"], Presence(page)));

        var advisor = await JoinAsync(AdvisorCaller, sessionId);

        page.WaitForAssertion(() => Assert.Equal($"{AdvisorName} (advisor) — connected", Presence(page)[0]));
        Assert.Equal($"{AdvisorName} joined.", News(page));

        await advisor.LeaveAsync();

        page.WaitForAssertion(() => Assert.Matches($"^{AdvisorName} \\(advisor\\) — left at \\d\\d:\\d\\d UTC$", Presence(page)[0]));
        Assert.Equal($"{AdvisorName} left.", News(page));
    }

    [Fact]
    public async Task When_the_session_ends_the_customer_is_told_and_the_controls_go()
    {
        var (sessionId, customer) = await StartSessionAsync();
        SignInAsCustomer(customer);
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        await Sessions.EndAsync(Advisor, sessionId);

        page.WaitForAssertion(() => Assert.StartsWith("This session has ended.", page.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(page.FindComponents<PdfViewer>());
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, ClaimForm));
        Assert.Empty(page.FindAll("input[type=checkbox]"));
    }

    [Fact]
    public async Task The_advisor_sees_the_end_with_a_way_back_to_the_contract()
    {
        var (sessionId, _) = await StartSessionAsync();
        SignInAsAdvisor();
        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", Position(page)));

        await Sessions.EndAsync(Advisor, sessionId);

        page.WaitForAssertion(() => Assert.Contains("This session has ended.", page.Find("[role=alert]").TextContent));
        Assert.Equal($"contracts/{ContractId}", page.FindAll("a").Single(a => a.TextContent.Trim() == "Back to the contract").GetAttribute("href"));
    }

    [Fact]
    public async Task An_ended_session_is_refused_with_a_message()
    {
        var (sessionId, _) = await StartSessionAsync();
        await Sessions.EndAsync(Advisor, sessionId);
        SignInAsAdvisor();

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.Equal("This live session has ended.", page.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(page.FindComponents<LiveView>());
    }

    [Fact]
    public async Task Another_customers_session_is_refused_with_a_message()
    {
        var (sessionId, _) = await StartSessionAsync();
        SignInAsCustomer(new SessionCaller.Customer(Guid.NewGuid()));

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), sessionId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("[role=alert]").TextContent.Trim()));
        Assert.Empty(page.FindComponents<LiveView>());
    }

    [Fact]
    public void An_unknown_session_is_refused_with_a_message()
    {
        SignInAsAdvisor();

        var page = RenderPage<LiveSessionPage>((nameof(LiveSessionPage.SessionId), Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.Equal("That live session does not exist or is not yours.", page.Find("[role=alert]").TextContent.Trim()));
    }

    private static string Source(JSRuntimeInvocation invocation) => (string)invocation.Arguments[1]!;

    private List<int> RenderedPages() => pdf.Invocations["render"].Select(i => (int)i.Arguments[1]!).ToList();

    private static IElement Viewer(IRenderedComponent<IComponent> page) => page.Find(".pdf-viewer[role=region]");

    private static string Position(IRenderedComponent<IComponent> page) => page.Find(".pdf-viewer [aria-live=polite]").TextContent.Trim();

    private static List<string> Presence(IRenderedComponent<IComponent> page) =>
        page.FindAll("ul[aria-label=Participants] li").Select(li => li.TextContent.Trim()).ToList();

    private static string News(IRenderedComponent<IComponent> page) => page.Find("[data-testid=presence-news]").TextContent.Trim();

    private static IElement Marker(IRenderedComponent<IComponent> page, string name) => page.Find($"[role=img][aria-label='{name}']");

    private static bool IsChecked(IElement input) => ((AngleSharp.Html.Dom.IHtmlInputElement)input).IsChecked;

    private static IElement FollowSwitch(IRenderedComponent<IComponent> page) =>
        page.FindAll("label").Single(l => l.TextContent.Trim() == "Follow the advisor").QuerySelector("input")
            ?? throw new InvalidOperationException("The follow switch has no input.");
}
