using System.Text.RegularExpressions;
using System.Xml.Linq;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Unit.Localization;

/// <summary>
/// Every key the web project asks a localizer for exists in that localizer's English resource, so a typo or a
/// forgotten entry fails here instead of showing the key on screen. A file's localizer is recognised by its
/// declaration (<c>@inject IStringLocalizer&lt;StaffText&gt; T</c>, an injected property or a parameter). A use names
/// its key literally (<c>T["Users.Title"]</c>, <c>T["Users.Locked", name]</c>) or picks among literals
/// (<c>T[done ? "Fields.Done" : "Fields.Optional"]</c>): each of them is checked. A key chosen elsewhere
/// (<c>T[key]</c>) makes every key-shaped literal of the file (<c>"Link.Expired"</c>) checked instead; a key built from
/// pieces (<c>$"Users.{status}"</c>, <c>key + "Why"</c>) cannot be checked and fails.
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
                problems.Add($"{use.File}:{use.Line}: {use.Localizer}[…] builds its key from pieces, so it cannot be checked: pick among whole literal keys.");
            }
            else if (!known.Contains(use.Key))
            {
                problems.Add($"{use.File}:{use.Line}: \"{use.Key}\" is not in {resource}.resx.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_key_chosen_elsewhere_has_the_files_key_shaped_literals_checked()
    {
        const string source = """
            @inject IStringLocalizer<CustomerText> T
            <MudText Typo="Typo.h4">@T[Key]</MudText>
            @code {
                private string Key => expired ? "Link.Expired" : Other;
                private const string Other = "Link.Missing";
                private const string Sentence = "Not a key.";
            }
            """;

        var uses = Uses("CustomerText", "Sample.razor", source).ToList();

        Assert.Equal(new (string?, int)[] { ("Link.Expired", 4), ("Link.Missing", 5) }, uses.Select(u => (u.Key, u.Line)));
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
            <p>@Text[active ? "Users.Title" : "Users.Gone"]</p>
            <p>@Text[Key + "Why"]</p>
            """;

        var uses = Uses("StaffText", "Sample.razor", source).ToList();

        Assert.Equal(
            new (string?, int)[] { ("Users.Title", 2), (null, 3), ("Users.Nonexistent", 4), ("Users.Title", 5), ("Users.Gone", 5), (null, 6) },
            uses.Select(u => (u.Key, u.Line)));
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
            var chosenElsewhere = false;
            foreach (Match use in Regex.Matches(source, $@"(?<![\w.]){Regex.Escape(name)}\["))
            {
                var line = LineOf(source, use.Index);
                var argument = FirstArgument(source, use.Index + use.Length);
                var literals = Literal().Matches(argument).Select(m => m.Groups["text"].Value).ToList();
                if (argument.Contains('$', StringComparison.Ordinal) || argument.Contains('+', StringComparison.Ordinal))
                {
                    yield return new Use(file, line, name, null);
                }
                else if (literals.Count == 0)
                {
                    chosenElsewhere = true;
                }
                else
                {
                    foreach (var key in literals)
                    {
                        yield return new Use(file, line, name, key);
                    }
                }
            }

            if (chosenElsewhere)
            {
                foreach (Match literal in KeyShapedLiteral().Matches(source))
                {
                    var key = literal.Groups["text"].Value;
                    if (!Regex.IsMatch(source[Math.Max(0, literal.Index - name.Length - 1)..literal.Index], $@"{Regex.Escape(name)}\[$"))
                    {
                        yield return new Use(file, LineOf(source, literal.Index), name, key);
                    }
                }
            }
        }
    }

    private static int LineOf(string source, int index) => source.AsSpan(0, index).Count('\n') + 1;

    /// <summary>The indexer's first argument: up to its closing bracket or its first comma outside brackets and strings.</summary>
    private static string FirstArgument(string source, int start)
    {
        var depth = 0;
        for (var i = start; i < source.Length; i++)
        {
            switch (source[i])
            {
                case '"':
                    i = source.IndexOf('"', i + 1);
                    if (i < 0)
                    {
                        return source[start..];
                    }

                    break;
                case '[' or '(' or '{':
                    depth++;
                    break;
                case ']' or ')' or '}' when depth > 0:
                    depth--;
                    break;
                case ']' or ',' when depth == 0:
                    return source[start..i];
            }
        }

        return source[start..];
    }

    private sealed record Use(string File, int Line, string Localizer, string? Key);

    [GeneratedRegex(@"""(?<text>[^""\\]*)""")]
    private static partial Regex Literal();

    /// <summary>A string literal shaped like a key, and not a markup attribute's value (<c>Typo="Typo.h4"</c>).</summary>
    [GeneratedRegex(@"(?<![\w-]=)""(?<text>[A-Z][A-Za-z]*(?:\.[A-Za-z0-9]+)+)""")]
    private static partial Regex KeyShapedLiteral();

    /// <summary><c>IStringLocalizer&lt;StaffText&gt; T</c>, however qualified: the localizer's resource and the name it goes by.</summary>
    [GeneratedRegex(@"\bIStringLocalizer<(?:[\w.]+\.)?(?<resource>\w+)>\s+(?<name>\w+)")]
    private static partial Regex Declaration();
}
