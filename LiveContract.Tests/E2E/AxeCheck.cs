using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LiveContract.Tests.E2E;

/// <summary>
/// Runs axe-core (WCAG 2.0 and 2.1, levels A and AA) on what a page shows now and fails with a
/// readable list (rule, impact, element, help) when any violation is serious or critical.
/// Call it from any journey at the moment worth checking, e.g. with a dialog open:
/// <c>await AxeCheck.AssertAccessibleAsync(page, "sign dialog");</c>
/// Fix what it finds in our markup or theme; MudBlazor's markup is configured, not excused.
/// </summary>
public static class AxeCheck
{
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly HashSet<string> Blocking = new(StringComparer.OrdinalIgnoreCase) { "serious", "critical" };

    public static async Task AssertAccessibleAsync(IPage page, string where)
    {
        ArgumentNullException.ThrowIfNull(page);

        // Colours read in the middle of a fade-in (dialogs, popovers, ripples) are not the page's colours.
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = RunOnlyOptions.Tags([.. WcagTags]) });

        var problems = new List<string>();
        foreach (var violation in result.Violations)
        {
            foreach (var node in violation.Nodes.Where(n => Blocking.Contains(n.Impact ?? violation.Impact ?? "")))
            {
                problems.Add($"- {violation.Id} ({node.Impact ?? violation.Impact}) at {node.Target}: {violation.Help}\n  {Summary(node)}\n  {violation.HelpUrl}");
            }
        }

        if (problems.Count > 0)
        {
            var message = new StringBuilder($"axe found {problems.Count} serious or critical accessibility problem(s) on {where} ({page.Url}):\n");
            message.AppendJoin('\n', problems);
            Assert.Fail(message.ToString());
        }
    }

    private static string Summary(AxeResultNode node)
    {
        var checks = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct();
        var html = node.Html.Length > 160 ? node.Html[..160] + "…" : node.Html;
        return $"{string.Join(" ", checks)} — {html}";
    }
}
