using System.Security.Claims;
using Bunit;
using LiveContract.Core.Accounts;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.Documents;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveContract.Tests.Components;

/// <summary>The contract page's upload area and status actions, over the real services.</summary>
public sealed class ContractPageTests : ComponentTestContext
{
    private Actor advisor = default!;
    private Guid contractId;

    public ContractPageTests()
    {
        Context.Services.AddSingleton<DocumentLinks>();
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Victor Advisor", "victor@example.com", Roles.Advisor, "a long enough password");
        advisor = new Actor((await accounts.ListAsync()).Single().Id, IsAdmin: false);
        var created = await Context.Services.GetRequiredService<ContractService>().CreateAsync(advisor, new NewContract("Motor policy", "Chloé Dupont", "chloe@example.com"));
        contractId = created.Value!.Id;
        Authorization.SetAuthorized("victor@example.com").SetRoles(Roles.Advisor).SetClaims(new Claim(ClaimTypes.NameIdentifier, advisor.UserId));
    }

    [Fact]
    public void Uploading_pdfs_lists_them_and_enables_review()
    {
        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));
        page.WaitForAssertion(() => Assert.Contains("No documents yet.", page.Markup));
        Assert.True(ButtonNamed(page, "Send for review").HasAttribute("disabled"));

        page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(FixturePdfs.Read("motor-insurance-claim-form.pdf"), "motor-insurance-claim-form.pdf", contentType: "application/pdf"),
            InputFileContent.CreateFromBinary(FixturePdfs.Read("rotated-90.pdf"), "rotated-90.pdf", contentType: "application/pdf"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=document]").Count), TimeSpan.FromSeconds(10));
        Assert.Contains("3 pages", page.FindAll("[data-testid=document]")[0].TextContent);
        Assert.Contains("1 page ", page.FindAll("[data-testid=document]")[1].TextContent);
        Assert.False(ButtonNamed(page, "Send for review").HasAttribute("disabled"));
    }

    [Fact]
    public void A_refused_file_is_named_with_its_reason_and_nothing_is_listed()
    {
        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));
        page.WaitForAssertion(() => Assert.Contains("No documents yet.", page.Markup));

        page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "holiday.pdf", contentType: "application/pdf"));

        page.WaitForAssertion(() => Assert.Contains("holiday.pdf: This file is not a PDF (it is a JPEG image).", page.Find("[role=alert]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=document]"));
    }

    [Fact]
    public async Task Sending_for_review_freezes_the_documents()
    {
        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));
        page.WaitForAssertion(() => Assert.Contains("No documents yet.", page.Markup));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(FixturePdfs.Read("empty.pdf"), "empty.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=document]")), TimeSpan.FromSeconds(10));

        await ClickAsync(page, "Send for review");

        page.WaitForAssertion(() => ButtonNamed(page, "Back to draft"));
        Assert.Empty(page.FindComponents<InputFile>());
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Remove empty.pdf"));
        var details = await Context.Services.GetRequiredService<ContractService>().GetAsync(advisor, contractId);
        Assert.Equal(ContractStatus.Review, details.Value!.Status);
    }

    [Fact]
    public async Task The_review_snackbar_stays_on_its_page_and_goes_when_the_advisor_navigates_away()
    {
        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));
        page.WaitForAssertion(() => Assert.Contains("No documents yet.", page.Markup));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(FixturePdfs.Read("empty.pdf"), "empty.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=document]")), TimeSpan.FromSeconds(10));

        await ClickAsync(page, "Send for review");

        page.WaitForAssertion(() => Assert.Contains("The contract is in review.", page.Find(".mud-snackbar").TextContent));
        var snackbars = Context.Services.GetRequiredService<ISnackbar>();

        await page.InvokeAsync(() => Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"sessions/{Guid.NewGuid()}"));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-snackbar")));
        Assert.Empty(snackbars.ShownSnackbars);
    }

    [Fact]
    public async Task An_admin_sees_another_advisors_contract_read_only()
    {
        var accounts = Context.Services.GetRequiredService<UserAdministration>();
        await accounts.CreateAsync("Ada Admin", "ada@example.com", Roles.Admin, "a long enough password");
        var adminId = (await accounts.ListAsync()).Single(u => u.Email == "ada@example.com").Id;
        Authorization.SetAuthorized("ada@example.com").SetRoles(Roles.Admin).SetClaims(new Claim(ClaimTypes.NameIdentifier, adminId));

        var page = RenderPage<ContractPage>((nameof(ContractPage.Id), contractId));

        page.WaitForAssertion(() => Assert.Contains("Read-only: only Victor Advisor changes this contract.", page.Markup));
        Assert.Empty(page.FindComponents<InputFile>());
        Assert.Throws<InvalidOperationException>(() => ButtonNamed(page, "Send for review"));
    }
}
