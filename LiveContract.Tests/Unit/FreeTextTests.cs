using LiveContract.Core.Common;

namespace LiveContract.Tests.Unit;

public sealed class FreeTextTests
{
    private const string Title = "The title contains a character that cannot be shown (a control character or a text-direction override).";

    [Theory]
    [InlineData("Motor policy 2027")]
    [InlineData("Umowa – Łódź, ul. Piotrkowska 1")]
    [InlineData("עסקה עם לקוח")]
    [InlineData("عقد التأمين")]
    [InlineData("合同 🚗 ✓")]
    [InlineData("O'Brien & Söhne <b>not markup</b>")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_of_any_script_is_accepted(string? text)
    {
        Assert.Null(FreeText.Check(text, "title"));
    }

    [Theory]
    [InlineData("abc\u202Egnp.exe")]
    [InlineData("\u202Aembedded\u202C")]
    [InlineData("\u202Bright to left\u202C")]
    [InlineData("\u2066isolated\u2069")]
    [InlineData("\u2067isolated")]
    [InlineData("\u2068first strong")]
    [InlineData("mark\u200E")]
    [InlineData("mark\u200F")]
    [InlineData("arabic letter mark\u061C")]
    [InlineData("nul\0inside")]
    [InlineData("bell\u0007")]
    [InlineData("escape\u001B[31m")]
    [InlineData("delete\u007F")]
    [InlineData("next line\u0085")]
    [InlineData("c1 csi\u009B")]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    public void Controls_direction_formatting_and_broken_characters_are_refused_with_one_sentence(string text)
    {
        var refused = FreeText.Check(text, "title");

        Assert.NotNull(refused);
        Assert.Equal((ErrorKind.Invalid, Title), (refused.Kind, refused.Message));
    }

    [Fact]
    public void Broken_utf16_is_refused()
    {
        // Built in code: an attribute's strings are stored as UTF-8, which cannot hold a lone surrogate.
        foreach (var text in new[] { "lone high \uD83D surrogate", "lone low \uDE97 surrogate", "reversed pair \uDE97\uD83D", "ends high \uD83D" })
        {
            Assert.Equal(Title, FreeText.Check(text, "title")?.Message);
        }

        Assert.Null(FreeText.Check("a whole pair \uD83D\uDE97", "title"));
    }

    [Theory]
    [InlineData("first line\nsecond line", true)]
    [InlineData("windows\r\nline break", true)]
    [InlineData("tab\tstop", true)]
    [InlineData("still no \u202E in many lines", false)]
    [InlineData("still no \0 in many lines", false)]
    public void Multi_line_text_keeps_line_breaks_and_tabs_only(string text, bool accepted)
    {
        Assert.Equal(accepted, FreeText.Check(text, "reason", multiline: true) is null);
    }

    [Theory]
    [InlineData("Full name\r\n(as in passport)", "Full name (as in passport)")]
    [InlineData("Policy\tnumber\u202E", "Policy number")]
    [InlineData("\u2066IBAN\u2069 \0", "IBAN")]
    public void Text_nobody_typed_is_neutralised_into_text_the_rule_accepts(string text, string expected)
    {
        var neutralised = FreeText.Neutralise(text);

        Assert.Equal(expected, neutralised);
        Assert.Null(FreeText.Check(neutralised, "label"));
    }

    [Fact]
    public void Neutralising_drops_broken_utf16_and_keeps_whole_characters()
    {
        Assert.Equal("Car 🚗", FreeText.Neutralise("Car 🚗 \uD83D"));
    }

    [Fact]
    public void The_sentence_names_what_was_typed()
    {
        Assert.Equal(
            "The customer's name contains a character that cannot be shown (a control character or a text-direction override).",
            FreeText.Check("Chlo\u202Eé", "customer's name")!.Message);
    }
}
