using LiveContract.Core.Common;
using LiveContract.Core.Fields;

namespace LiveContract.Tests.Unit.Fields;

public sealed class FieldDefinitionRulesTests
{
    private static readonly FieldBox A4 = new(0, 0, 595.276, 841.89);

    [Fact]
    public void A_well_formed_field_of_every_kind_passes()
    {
        FieldDraft[] drafts =
        [
            Draft(FieldKind.Text, rules: new FieldRuleSet(MaxLength: 34, Pattern: "^[A-Z]{2}[0-9]{2}", PatternMessage: "Enter an IBAN.")),
            Draft(FieldKind.MultilineText, rules: new FieldRuleSet(MaxLength: 2000)),
            Draft(FieldKind.Date, rules: new FieldRuleSet(MinDate: new DateOnly(2026, 1, 1), MaxDate: new DateOnly(2026, 1, 1))),
            Draft(FieldKind.Number, rules: new FieldRuleSet(MinNumber: -5.5m, MaxNumber: 1_000_000m)),
            Draft(FieldKind.Checkbox),
            Draft(FieldKind.Radio, options: ["Yes", "No"]),
            Draft(FieldKind.Choice, options: Enumerable.Range(1, 50).Select(i => $"Option {i}").ToArray()),
            Draft(FieldKind.Initials, rules: new FieldRuleSet(MaxLength: 4)),
            Draft(FieldKind.SignatureSpot) with { Party = FieldParty.Advisor },
            Draft(FieldKind.Text) with { Box = A4 },
        ];

        Assert.All(drafts, d => Assert.Null(FieldDefinitionRules.Check(d, 3, A4)));
    }

    [Theory]
    [InlineData(100, 100, 0, 20, "The field's box has no size: give it a width and a height greater than zero.")]
    [InlineData(100, 100, 20, 0, "The field's box has no size: give it a width and a height greater than zero.")]
    [InlineData(100, 100, -20, 20, "The field's box has no size: give it a width and a height greater than zero.")]
    [InlineData(100, 100, 3.9, 20, "The field's box is too small to see or fill in: make it at least 4 points wide and high.")]
    [InlineData(-0.5, 100, 20, 20, "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.")]
    [InlineData(100, -1, 20, 20, "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.")]
    [InlineData(580, 100, 20, 20, "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.")]
    [InlineData(100, 830, 20, 20, "The field's box goes outside the page: it must lie within 0 to 595.28 points across and 0 to 841.89 points up.")]
    [InlineData(double.NaN, 100, 20, 20, "The field's box must be given in numbers of points.")]
    [InlineData(100, 100, double.PositiveInfinity, 20, "The field's box must be given in numbers of points.")]
    public void Boxes_of_no_size_or_off_the_page_are_refused(double left, double bottom, double width, double height, string message)
    {
        Assert.Equal(new OperationError(ErrorKind.Invalid, message), FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Box = new FieldBox(left, bottom, width, height) }, 3, A4));
    }

    [Fact]
    public void The_box_is_checked_against_the_pages_own_crop_box_which_need_not_start_at_zero()
    {
        var cropped = new FieldBox(36, 36, 540, 720);

        Assert.Null(FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Box = new FieldBox(36, 36, 540, 720) }, 1, cropped));
        Assert.Equal(
            "The field's box goes outside the page: it must lie within 36 to 576 points across and 36 to 756 points up.",
            FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Box = new FieldBox(10, 100, 50, 20) }, 1, cropped)!.Message);
    }

    [Theory]
    [InlineData(0, 3, "The document has 3 pages, so a field cannot go on page 0.")]
    [InlineData(4, 3, "The document has 3 pages, so a field cannot go on page 4.")]
    [InlineData(2, 1, "The document has one page, so a field cannot go on page 2.")]
    public void The_page_must_exist(int page, int pageCount, string message)
    {
        Assert.Equal(message, FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Page = page }, pageCount, A4)!.Message);
    }

    [Theory]
    [InlineData("", "Give the field a label, so the person filling it in knows what to write.")]
    [InlineData("   ", "Give the field a label, so the person filling it in knows what to write.")]
    [InlineData(null, "Give the field a label, so the person filling it in knows what to write.")]
    public void A_label_is_needed(string? label, string message)
    {
        Assert.Equal(message, FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Label = label! }, 1, A4)!.Message);
    }

    [Fact]
    public void A_label_has_at_most_200_characters_not_counting_surrounding_spaces()
    {
        Assert.Null(FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Label = $"  {new string('a', 200)}  " }, 1, A4));
        Assert.Equal(
            "The field's label is too long: at most 200 characters.",
            FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Label = new string('a', 201) }, 1, A4)!.Message);
    }

    public static TheoryData<FieldKind, FieldRuleSet, string> WrongRules => new()
    {
        { FieldKind.Date, new FieldRuleSet(MaxLength: 10), "A character limit applies only to text, multi-line text and initials, not to date." },
        { FieldKind.Text, new FieldRuleSet(MaxLength: 0), "The character limit must be between 1 and 2000." },
        { FieldKind.Text, new FieldRuleSet(MaxLength: 2001), "The character limit must be between 1 and 2000." },
        { FieldKind.Number, new FieldRuleSet(MinDate: new DateOnly(2026, 1, 1)), "A date range applies only to date fields, not to number." },
        { FieldKind.Date, new FieldRuleSet(MinDate: new DateOnly(2026, 1, 2), MaxDate: new DateOnly(2026, 1, 1)), "The earliest date (2026-01-02) is after the latest date (2026-01-01)." },
        { FieldKind.Text, new FieldRuleSet(MaxNumber: 5), "A number range applies only to number fields, not to text." },
        { FieldKind.Number, new FieldRuleSet(MinNumber: 10.5m, MaxNumber: 2), "The smallest number (10.5) is greater than the largest number (2)." },
        { FieldKind.Checkbox, new FieldRuleSet(Pattern: "x", PatternMessage: "An x."), "A pattern applies only to text, multi-line text and initials, not to checkbox." },
        { FieldKind.Text, new FieldRuleSet(Pattern: "[a-", PatternMessage: "Letters."), "The pattern is not a valid regular expression." },
        { FieldKind.Text, new FieldRuleSet(Pattern: "[0-9]{5}"), "Add a message for the pattern, saying what a value must look like (e.g. \"Enter an IBAN such as DE89 3704 0044 0532 0130 00\")." },
        { FieldKind.Text, new FieldRuleSet(Pattern: "[0-9]{5}", PatternMessage: "  "), "Add a message for the pattern, saying what a value must look like (e.g. \"Enter an IBAN such as DE89 3704 0044 0532 0130 00\")." },
        { FieldKind.Text, new FieldRuleSet(PatternMessage: "Five digits."), "A message for a pattern needs a pattern; add the pattern or remove the message." },
        { FieldKind.Text, new FieldRuleSet(Pattern: new string('a', 501), PatternMessage: "a"), "The pattern is too long: at most 500 characters." },
        { FieldKind.Text, new FieldRuleSet(Pattern: "a", PatternMessage: new string('a', 201)), "The pattern's message is too long: at most 200 characters." },
    };

    [Theory]
    [MemberData(nameof(WrongRules))]
    public void Rules_apply_only_to_their_kinds_and_must_agree(FieldKind kind, FieldRuleSet rules, string message)
    {
        Assert.Equal(message, FieldDefinitionRules.Check(Draft(kind, rules: rules), 1, A4)!.Message);
    }

    public static TheoryData<FieldKind, string[], string> WrongOptions => new()
    {
        { FieldKind.Radio, [], "A radio field needs between 2 and 50 options to choose from." },
        { FieldKind.Choice, ["Only"], "A choice field needs between 2 and 50 options to choose from." },
        { FieldKind.Choice, Enumerable.Range(1, 51).Select(i => $"{i}").ToArray(), "A choice field needs between 2 and 50 options to choose from." },
        { FieldKind.Radio, ["Yes", " "], "Every option needs a text; remove the empty one." },
        { FieldKind.Radio, ["Yes", "Yes "], "The option “Yes” is there twice; each option must be different." },
        { FieldKind.Radio, ["Yes", new string('n', 201)], "An option is too long: at most 200 characters." },
        { FieldKind.Text, ["Yes", "No"], "Only radio and choice fields have options, not text." },
        { FieldKind.SignatureSpot, ["Yes", "No"], "Only radio and choice fields have options, not signature spot." },
    };

    [Theory]
    [MemberData(nameof(WrongOptions))]
    public void Radio_and_choice_fields_need_distinct_options_and_no_other_kind_has_any(FieldKind kind, string[] options, string message)
    {
        Assert.Equal(message, FieldDefinitionRules.Check(Draft(kind, options: options), 1, A4)!.Message);
    }

    [Fact]
    public void An_unknown_kind_or_party_is_refused_with_the_choices()
    {
        Assert.StartsWith("Choose what the field asks for: text,", FieldDefinitionRules.Check(Draft((FieldKind)42), 1, A4)!.Message, StringComparison.Ordinal);
        Assert.Equal("Choose who fills the field in: the customer or the advisor.", FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Party = (FieldParty)7 }, 1, A4)!.Message);
    }

    [Fact]
    public void Every_refusal_is_invalid_input()
    {
        var refusals = new[]
        {
            FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Label = "" }, 1, A4),
            FieldDefinitionRules.Check(Draft(FieldKind.Radio), 1, A4),
            FieldDefinitionRules.Check(Draft(FieldKind.Text) with { Page = 2 }, 1, A4),
        };

        Assert.All(refusals, r => Assert.Equal(ErrorKind.Invalid, r!.Kind));
    }

    private static FieldDraft Draft(FieldKind kind, FieldRuleSet? rules = null, string[]? options = null) =>
        new(Guid.NewGuid(), 1, new FieldBox(72, 700, 200, 20), kind, "Full name", FieldParty.Customer, Required: true, rules, options);
}
