using AngleSharp.Dom;
using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Components.Shared;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.Documents;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveContract.Tests.Components;

/// <summary>
/// The contract page's field editor over the real services: placing fields through the dialog
/// (with the keyboard's "Add field to this page" and by drawing), refusals, moving, deleting, and
/// read-only boxes outside a draft or for an admin. The PDF module is stubbed: it "draws" empty.pdf's
/// A4 page (595.2 × 841.92 points, upright).
/// </summary>
public sealed class FieldEditorTests : ComponentTestContext
{
    private const string FileName = "empty.pdf";

    private readonly BunitJSModuleInterop pdf;
    private Actor advisor = default!;
    private Guid contractId;
    private Guid documentId;

    public FieldEditorTests()
    {
        Context.Services.AddSingleton<DocumentLinks>();
        pdf = Context.JSInterop.SetupModule("./Components/Shared/PdfViewer.razor.js");
        pdf.Setup<int>("load", _ => true).SetResult(1);
        pdf.Setup<PdfViewer.RenderResult?>("render", _ => true)
            .SetResult(new PdfViewer.RenderResult(1, 1, Failed: false, new PdfViewer.PageViewport([1, 0, 0, -1, 0, 841.92], 595.2, 841.92)));
    }

    private FieldService Fields => Context.Services.GetRequiredService<FieldService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        advisor = new Actor((await accounts.ListAsync()).Single().Id, IsAdmin: false);
        var created = await Context.Services.GetRequiredService<ContractService>().CreateAsync(advisor, new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"));
        contractId = created.Value!.Id;
        await using var content = File.OpenRead(FixturePdfs.PathOf(FileName));
        documentId = (await Context.Services.GetRequiredService<DocumentService>().UploadAsync(advisor, contractId, FileName, content)).Value!.Id;
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(new Claim(ClaimTypes.NameIdentifier, advisor.UserId));
    }

    [Fact]
    public async Task Add_field_places_a_box_at_the_centre_and_the_dialog_creates_it_through_the_service()
    {
        var page = await OpenDocumentAsync();

        ButtonNamed(page, "Add field to this page").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));
        Assert.Equal("217.6", ControlLabelled(page, "Left (points)").GetAttribute("value"));
        Assert.Equal("411", ControlLabelled(page, "Bottom (points)").GetAttribute("value"));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "Full name" });
        await ClickAsync(page, "Save field");

        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));
        var field = Assert.Single((await Fields.ListAsync(advisor, contractId)).Value!);
        Assert.Equal((FieldKind.Text, FieldParty.Customer, true, 1, documentId), (field.Kind, field.Party, field.Required, field.Page, field.DocumentId));
        Assert.Equal(new FieldBox(217.6, 411, 160, 20), field.Box);
        Assert.Contains("Text, customer, required, page 1", page.Find("[data-testid=field]").TextContent);
        var box = page.Find($"[data-box-id='{field.Id}']");
        Assert.Equal(("Full name", "*", "Customer"), TabOf(box));
        Assert.Equal("Move or edit Full name", box.QuerySelector("button")!.GetAttribute("aria-label"));
        Assert.Empty(page.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task A_refusal_of_the_service_is_shown_in_the_dialog_which_stays_open()
    {
        var page = await OpenDocumentAsync();
        ButtonNamed(page, "Add field to this page").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));

        await ControlLabelled(page, "Width (points)").InputAsync(new ChangeEventArgs { Value = "900" });
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "IBAN" });
        await ClickAsync(page, "Save field");

        page.WaitForAssertion(() => Assert.StartsWith("The field's box goes outside the page", page.Find(".mud-dialog [role=alert]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty((await Fields.ListAsync(advisor, contractId)).Value!);

        await ControlLabelled(page, "Width (points)").InputAsync(new ChangeEventArgs { Value = "200" });
        await ClickAsync(page, "Save field");

        page.WaitForAssertion(() => Assert.Equal(["IBAN"], ListedLabels(page)));
    }

    [Fact]
    public async Task A_box_drawn_on_the_page_in_placing_mode_becomes_the_new_fields_box()
    {
        var page = await OpenDocumentAsync();
        var viewer = page.FindComponent<PdfViewer>();
        Assert.Equal("false", page.Find("[role=region]").GetAttribute("data-drawing"));

        await ClickAsync(page, "Place a field");

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[role=region]").GetAttribute("data-drawing")));
        Assert.Equal("true", ButtonNamed(page, "Place a field").GetAttribute("aria-pressed"));
        var drawing = viewer.InvokeAsync(() => viewer.Instance.OnBoxDrawn(0.1, 0.5, 0.5, 0.05));
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "Address" });
        await ClickAsync(page, "Save field");

        await drawing;
        page.WaitForAssertion(() => Assert.Equal(["Address"], ListedLabels(page)));
        Assert.Equal(new FieldBox(59.5, 378.9, 297.6, 42.1), Assert.Single((await Fields.ListAsync(advisor, contractId)).Value!).Box);
        Assert.Equal("false", page.Find("[role=region]").GetAttribute("data-drawing"));
    }

    [Fact]
    public async Task Dragging_a_box_moves_the_field_and_delete_asks_first()
    {
        var field = await PlaceAsync("Full name");
        var page = await OpenDocumentAsync();
        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));
        var viewer = page.FindComponent<PdfViewer>();

        await viewer.InvokeAsync(() => viewer.Instance.OnBoxMoved(field.Id.ToString(), 0.5, 0.5, 0.25, 0.05));

        await WaitForAsync(async () => (await Fields.ListAsync(advisor, contractId)).Value!.Single().Box == new FieldBox(297.6, 378.9, 148.8, 42.1));

        ButtonNamed(page, "Delete Full name").Click();
        page.WaitForAssertion(() => Assert.Contains("Delete the field “Full name”?", page.Markup));
        await ClickAsync(page, "Delete");

        page.WaitForAssertion(() => Assert.Contains($"{FileName} has no fields.", page.Markup));
        Assert.Empty((await Fields.ListAsync(advisor, contractId)).Value!);
        Assert.Empty(page.FindAll("[data-box-id]"));
    }

    [Fact]
    public async Task Edit_changes_the_label_party_and_rules()
    {
        await PlaceAsync("Full name");
        var page = await OpenDocumentAsync();
        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));

        ButtonNamed(page, "Edit Full name").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "Advisor's name" });
        var party = page.FindComponent<MudRadioGroup<FieldParty>>();
        await page.InvokeAsync(() => party.Instance.ValueChanged.InvokeAsync(FieldParty.Advisor));
        await ControlLabelled(page, "Most characters").InputAsync(new ChangeEventArgs { Value = "40" });
        await ClickAsync(page, "Save field");

        page.WaitForAssertion(() => Assert.Equal(["Advisor's name"], ListedLabels(page)));
        var field = Assert.Single((await Fields.ListAsync(advisor, contractId)).Value!);
        Assert.Equal(FieldParty.Advisor, field.Party);
        Assert.Equal(40, field.Rules.MaxLength);
    }

    [Fact]
    public async Task A_pdfs_own_form_field_shows_like_a_placed_one_and_keeps_its_kind_and_place_when_edited()
    {
        var formFieldId = Guid.NewGuid();
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            db.Fields.Add(new Field
            {
                Id = formFieldId, ContractId = contractId, DocumentId = documentId, Page = 1, Left = 100, Bottom = 500, Width = 150, Height = 18,
                Kind = FieldKind.Text, Label = "Name", Party = FieldParty.Customer, Source = FieldSource.PdfForm, PdfFieldName = "form.name",
                CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        var page = await OpenDocumentAsync();

        page.WaitForAssertion(() => Assert.Equal(["Name"], ListedLabels(page)));
        Assert.Contains("Text, customer, optional, page 1 · from the PDF's form", page.Find("[data-testid=field]").TextContent);
        Assert.Empty(page.FindAll($"[data-box-id='{formFieldId}'] [data-box-handle]"));

        ButtonNamed(page, "Edit Name on the page").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));
        Assert.Contains("“form.name”", page.Find("[data-testid=pdf-field-note]").TextContent);
        Assert.True(ControlLabelled(page, "Left (points)").HasAttribute("disabled"));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "Policy holder" });
        var required = page.FindComponents<MudCheckBox<bool>>().Single(c => c.Instance.Label == "Required");
        await page.InvokeAsync(() => required.Instance.ValueChanged.InvokeAsync(true));
        await ClickAsync(page, "Save field");

        page.WaitForAssertion(() => Assert.Equal(["Policy holder"], ListedLabels(page)));
        var field = Assert.Single((await Fields.ListAsync(advisor, contractId)).Value!);
        Assert.Equal((FieldSource.PdfForm, true, new FieldBox(100, 500, 150, 18)), (field.Source, field.Required, field.Box));
    }

    [Fact]
    public async Task Outside_a_draft_the_fields_show_read_only()
    {
        await PlaceAsync("Full name");
        var moved = await Context.Services.GetRequiredService<ContractService>().UpdateAsync(advisor, contractId, new ContractChanges(Status: ContractStatus.Review));
        Assert.True(moved.Succeeded, moved.Error?.Message);

        var page = await OpenDocumentAsync();

        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));
        Assert.Contains("Fields are placed and changed only while the contract is a draft.", page.Markup);
        AssertReadOnly(page);
    }

    [Fact]
    public async Task An_admin_sees_the_fields_read_only()
    {
        await PlaceAsync("Full name");
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "ada@example.com", Roles.Admin, "a long enough password");
        var adminId = (await accounts.ListAsync()).Single(u => u.Email == "ada@example.com").Id;
        Authorization.SetAuthorized("ada@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, adminId));

        var page = await OpenDocumentAsync();

        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));
        AssertReadOnly(page);
    }

    [Fact]
    public async Task Each_box_shows_its_label_required_mark_and_party_on_a_tab_that_stays_on_the_page()
    {
        var name = await PlaceAsync("Full name");
        var note = await PlaceAsync("Advisor's note about the customer's identity documents", new FieldBox(480, 800, 100, 20), FieldParty.Advisor, required: false);

        var page = await OpenDocumentAsync();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-box-id]").Count));
        var nameBox = page.Find($"[data-box-id='{name.Id}']");
        Assert.Equal(("Full name", "*", "Customer"), TabOf(nameBox));
        Assert.DoesNotContain("field-tab", nameBox.ClassName, StringComparison.Ordinal);
        Assert.EndsWith("; --field-tab-room: 261.6%", nameBox.GetAttribute("style"), StringComparison.Ordinal);

        // A box in the page's top right corner: its tab goes below it and ends at its right edge, as wide as the room to the left edge.
        var noteBox = page.Find($"[data-box-id='{note.Id}']");
        Assert.Equal(("Advisor's note about the customer's identity documents", null, "Advisor"), TabOf(noteBox));
        Assert.Contains("field-box-advisor field-tab-below field-tab-end", noteBox.ClassName, StringComparison.Ordinal);
        Assert.EndsWith("; --field-tab-room: 580%", noteBox.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dialog_says_the_label_is_required_only_while_it_is_empty_as_it_is_typed()
    {
        var page = await OpenDocumentAsync();
        ButtonNamed(page, "Add field to this page").Click();
        page.WaitForAssertion(() => ButtonNamed(page, "Save field"));

        // Leaving the label empty says so ...
        await ControlLabelled(page, "Label").BlurAsync(new FocusEventArgs());
        page.WaitForAssertion(() => Assert.Equal(("true", "Required"), ValidationOf(page, "Label")));

        // ... and typing takes it away at once, before the field loses focus; emptying it brings it back.
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "F" });
        page.WaitForAssertion(() => Assert.Equal(("false", HelperText), ValidationOf(page, "Label")));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "" });
        page.WaitForAssertion(() => Assert.Equal(("true", "Required"), ValidationOf(page, "Label")));
        await ControlLabelled(page, "Label").InputAsync(new ChangeEventArgs { Value = "Full name" });
        page.WaitForAssertion(() => Assert.Equal(("false", HelperText), ValidationOf(page, "Label")));

        // The numbers the same way: a typo shows at once and goes as soon as the text is a number again.
        await ControlLabelled(page, "Width (points)").InputAsync(new ChangeEventArgs { Value = "12o" });
        page.WaitForAssertion(() => Assert.Equal("true", ValidationOf(page, "Width (points)").Invalid));
        await ControlLabelled(page, "Width (points)").InputAsync(new ChangeEventArgs { Value = "120" });
        page.WaitForAssertion(() => Assert.Equal("false", ValidationOf(page, "Width (points)").Invalid));

        await ClickAsync(page, "Save field");
        page.WaitForAssertion(() => Assert.Equal(["Full name"], ListedLabels(page)));
        Assert.Equal(120, Assert.Single((await Fields.ListAsync(advisor, contractId)).Value!).Box.Width);
    }

    private const string HelperText = "What the person filling it in reads, e.g. Full name or IBAN.";

    /// <summary>A dialog control's <c>aria-invalid</c> and the text under it (its error, or its helper text).</summary>
    private static (string? Invalid, string Under) ValidationOf(IRenderedComponent<IComponent> page, string label)
    {
        var control = ControlLabelled(page, label);
        var under = control.Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";
        return (control.GetAttribute("aria-invalid"), under);
    }

    /// <summary>What a box's tab shows: the label, the required mark (or null) and who fills it in.</summary>
    private static (string Label, string? Required, string Party) TabOf(IElement box)
    {
        var tab = box.QuerySelector("[data-testid=field-tab]")!;
        return (tab.QuerySelector(".field-box-tab-label")!.TextContent.Trim(), tab.QuerySelector(".field-box-tab-required")?.TextContent.Trim(),
            tab.QuerySelector(".field-box-tab-party")!.TextContent.Trim());
    }

    private static void AssertReadOnly(IRenderedComponent<IComponent> page)
    {
        Assert.Equal("Field Full name", page.Find("[data-box-id] [role=img]").GetAttribute("aria-label"));
        Assert.Empty(page.FindAll("[data-box-handle]"));
        Assert.All(["Place a field", "Add field to this page", "Edit Full name", "Delete Full name"],
            name => Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, name)));
    }

    private async Task<FieldDefinition> PlaceAsync(string label, FieldBox? box = null, FieldParty party = FieldParty.Customer, bool required = true)
    {
        var placed = await Fields.CreateAsync(advisor, contractId, new FieldDraft(documentId, 1, box ?? new FieldBox(72, 700, 200, 20), FieldKind.Text, label, party, required));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        return placed.Value!;
    }

    private async Task<IRenderedComponent<IComponent>> OpenDocumentAsync()
    {
        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));
        page.WaitForAssertion(() => ButtonNamed(page, $"View {FileName}"));
        await ClickAsync(page, $"View {FileName}");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=fields-panel]")));
        page.WaitForAssertion(() => Assert.Single(pdf.Invocations["render"]));
        return page;
    }

    private static List<string> ListedLabels(IRenderedComponent<IComponent> page) =>
        page.FindAll("[data-testid=field] .field-list-label").Select(b => b.TextContent.Trim()).ToList();

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(20);
        }
    }
}
