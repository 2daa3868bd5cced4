using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LiveContract.Core.Localization;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LiveContract.Tests.Unit.Localization;

public sealed partial class CustomerTextTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "LiveContract.Core", "Localization");

    [Theory]
    [InlineData("fr")]
    [InlineData("de")]
    public void Every_customer_string_exists_in_the_language_with_the_same_placeholders(string language)
    {
        var english = Entries("CustomerText.resx");
        var translated = Entries($"CustomerText.{language}.resx");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(translated[key]), $"{key} is empty in {language}.");
            Assert.Equal(Placeholders(text), Placeholders(translated[key]));
        }
    }

    [Fact]
    public void The_localizer_serves_each_language_and_falls_back_to_english()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var text = services.GetRequiredService<IStringLocalizer<CustomerText>>();

        using (Languages.Use("fr"))
        {
            Assert.Equal("Langue", text["Language.Label"]);
        }

        using (Languages.Use("de"))
        {
            Assert.Equal("Sprache", text["Language.Label"]);
        }

        Assert.Equal("Language", text["Language.Label"]);
        Assert.False(text["Language.Label"].ResourceNotFound);
    }

    [Fact]
    public void A_culture_scope_restores_the_callers_culture_and_refuses_an_unknown_language()
    {
        var before = CultureInfo.CurrentCulture;
        using (Languages.Use("de"))
        {
            Assert.Equal("31.12.2026", new DateOnly(2026, 12, 31).ToString("d", CultureInfo.CurrentCulture));
        }

        Assert.Equal(before, CultureInfo.CurrentCulture);
        Assert.Throws<ArgumentException>(() => Languages.Use("xx"));
        Assert.Equal("Français", Languages.NativeName("fr"));
    }

    private static Dictionary<string, string> Entries(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static string[] Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
