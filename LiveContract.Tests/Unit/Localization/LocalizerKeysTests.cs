using System.Text.RegularExpressions;
using System.Xml.Linq;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit.Localization;

/// <summary>
/// Every key the web project asks a localizer for exists in that localizer's English resource, so a typo or a
/// forgotten entry fails here instead of showing the key on screen. A file's localizer is recognised by its
/// declaration (<c>@inject IStringLocalizer&lt;StaffText&gt; T</c>, an injected property or a parameter), and every
/// use of that name must be a literal key (<c>T["Users.Title"]</c>, <c>T["Users.Locked", name]</c>) so it can be checked.
/// </summary>
public sealed partial class LocalizerKeysTests
{
    private static readonly string Web = Path.Combine(RepositoryRoot.Path, "LiveContract.Web");

    [Theory]
    [InlineData("StaffText")]
    [InlineData("CustomerText")]
    public void Every_key_the_web_project_uses_exists_in_the_resource(string resource)
    {
        var known = Keys(resource);
        var problems = new List<string>();
        foreach (var use in Uses(resource))
        {
            if (use.Key is null)
            {
                problems.Add($"{use.File}:{use.Line}: {use.Localizer}[…] is not given a literal key, so it cannot be checked.");
            }
            else if (!known.Contains(use.Key))
            {
                problems.Add($"{use.File}:{use.Line}: \"{use.Key}\" is not in {resource}.resx.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_scan_finds_the_staff_portals_keys()
    {
        var keys = Uses("StaffText").Select(u => u.Key).ToHashSet();

        Assert.Contains("Users.Title", keys);
        Assert.Contains("AdminNav.Title", keys);
        Assert.Contains("ContractStatus.Draft", keys);
    }

    [Fact]
    public void A_missing_key_and_a_computed_key_are_reported()
    {
        const string source = """
            @inject IStringLocalizer<StaffText> Text
            <h1>@Text["Users.Title"]</h1>
            <p>@Text[$"Users.{status}"]</p>
            <p title="@Text["Users.Nonexistent", name]"></p>
            """;

        var uses = Uses("StaffText", "Sample.razor", source).ToList();

        Assert.Equal(new (string?, int)[] { ("Users.Title", 2), (null, 3), ("Users.Nonexistent", 4) }, uses.Select(u => (u.Key, u.Line)));
        Assert.Contains("Users.Title", Keys("StaffText"));
        Assert.DoesNotContain("Users.Nonexistent", Keys("StaffText"));
    }

    private static HashSet<string> Keys(string resource) =>
        XDocument.Load(Path.Combine(RepositoryRoot.Path, "LiveContract.Core", "Localization", $"{resource}.resx")).Root!
            .Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<Use> Uses(string resource) =>
        Directory.EnumerateFiles(Web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(Web, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Uses(resource, Path.GetRelativePath(RepositoryRoot.Path, f), File.ReadAllText(f)));

    private static IEnumerable<Use> Uses(string resource, string file, string source)
    {
        var names = Declaration().Matches(source)
            .Where(m => m.Groups["resource"].Value == resource)
            .Select(m => m.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            foreach (Match use in Regex.Matches(source, $@"(?<![\w.]){Regex.Escape(name)}\[\s*(?:""(?<key>[^""\\]+)""(?=\s*[\],]))?"))
            {
                var line = source.AsSpan(0, use.Index).Count('\n') + 1;
                yield return new Use(file, line, name, use.Groups["key"].Success ? use.Groups["key"].Value : null);
            }
        }
    }

    private sealed record Use(string File, int Line, string Localizer, string? Key);

    /// <summary><c>IStringLocalizer&lt;StaffText&gt; T</c>, however qualified: the localizer's resource and the name it goes by.</summary>
    [GeneratedRegex(@"\bIStringLocalizer<(?:[\w.]+\.)?(?<resource>\w+)>\s+(?<name>\w+)")]
    private static partial Regex Declaration();
}
