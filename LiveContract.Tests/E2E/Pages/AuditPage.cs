using Microsoft.Playwright;

namespace LiveContract.Tests.E2E.Pages;

/// <summary>Administration > Audit: the system stream, the check of every chain and the contract stream lookup.</summary>
public sealed class AuditPage(IPage page) : AppPage(page)
{
    public ILocator SystemStream => Page.GetByRole(AriaRole.Region, new() { Name = "System stream" }).GetByRole(AriaRole.Table);

    public ILocator VerificationResult => Page.GetByRole(AriaRole.Status, new() { Name = "Verification result" });

    /// <summary>Opens the page from the administration section's own navigation, as a person would.</summary>
    public static async Task<AuditPage> OpenFromAdministrationAsync(AppPage from)
    {
        await from.NavLink("Administration").ClickAsync();
        await from.Page.GetByRole(AriaRole.Navigation, new() { Name = "Administration" }).GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        var audit = new AuditPage(from.Page);
        await audit.WaitForInteractiveAsync();
        return audit;
    }

    public Task VerifyAllChainsAsync() => Page.GetByRole(AriaRole.Button, new() { Name = "Verify all chains" }).ClickAsync();
}
