using System.Globalization;
using LiveContract.Core.Fields;

namespace LiveContract.Tests.Unit.Fields;

/// <summary>Dates and numbers as a reader of each language sees and types them, stored culture-free.</summary>
public sealed class FieldValueFormatsTests
{
    [Theory]
    [InlineData("fr", "2026-12-31", "31/12/2026")]
    [InlineData("de", "2026-12-31", "31.12.2026")]
    [InlineData("en", "2026-12-31", "2026-12-31")]
    [InlineData("fr", "2026-02-03", "03/02/2026")]
    [InlineData("de", "2026-02-03", "03.02.2026")]
    public void A_stored_date_is_shown_in_the_culture_and_read_back_to_year_month_day(string language, string stored, string shown)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        Assert.Equal(shown, FieldValueFormats.Display(FieldKind.Date, stored, culture));
        Assert.Equal(stored, FieldValueFormats.ToStored(FieldKind.Date, shown, culture));
        Assert.Equal(stored, FieldValueFormats.ToStored(FieldKind.Date, stored, culture));
    }

    [Theory]
    [InlineData("fr", "1234.5", "1234,5")]
    [InlineData("de", "1234.5", "1234,5")]
    [InlineData("en", "1234.5", "1234.5")]
    [InlineData("fr", "-0.75", "-0,75")]
    [InlineData("de", "1250.50", "1250,50")]
    [InlineData("fr", "42", "42")]
    public void A_stored_number_is_shown_with_the_cultures_decimal_separator_and_read_back_invariant(string language, string stored, string shown)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        Assert.Equal(shown, FieldValueFormats.Display(FieldKind.Number, stored, culture));
        Assert.Equal(stored, FieldValueFormats.ToStored(FieldKind.Number, shown, culture));
    }

    [Theory]
    [InlineData("fr", "1 234,5", "1234.5")]
    [InlineData("fr", "1\u202F234,5", "1234.5")]
    [InlineData("fr", "1\u00A0234,5", "1234.5")]
    [InlineData("de", "1.234,5", "1234.5")]
    [InlineData("de", " 12,25 ", "12.25")]
    [InlineData("en", "1234.5", "1234.5")]
    public void Typed_numbers_with_the_cultures_grouping_and_decimal_separator_are_stored_invariant(string language, string typed, string stored)
    {
        var result = FieldValueFormats.ToStored(FieldKind.Number, typed, CultureInfo.GetCultureInfo(language));

        Assert.Equal(stored, result);
        Assert.Null(FieldValueRules.Problem(NumberField(), result));
    }

    [Theory]
    [InlineData("fr", "douze")]
    [InlineData("de", "1,2,3x")]
    [InlineData("fr", "")]
    public void What_does_not_read_as_a_number_is_kept_as_typed_so_its_problem_names_it(string language, string typed)
    {
        Assert.Equal(typed, FieldValueFormats.ToStored(FieldKind.Number, typed, CultureInfo.GetCultureInfo(language)));
        Assert.Equal("31/12", FieldValueFormats.Display(FieldKind.Date, "31/12", CultureInfo.GetCultureInfo(language)));
    }

    [Fact]
    public void Other_kinds_are_left_alone()
    {
        var french = CultureInfo.GetCultureInfo("fr");

        Assert.Equal("1234.5", FieldValueFormats.Display(FieldKind.Text, "1234.5", french));
        Assert.Equal("1,5", FieldValueFormats.ToStored(FieldKind.Text, "1,5", french));
    }

    private static FieldDefinition NumberField() => FieldValueRulesTests.Field(FieldKind.Number);
}
