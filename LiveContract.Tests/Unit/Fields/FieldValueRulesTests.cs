using LiveContract.Core.Fields;

namespace LiveContract.Tests.Unit.Fields;

public sealed class FieldValueRulesTests
{
    internal static FieldDefinition Field(
        FieldKind kind,
        string label = "Full name",
        FieldParty party = FieldParty.Customer,
        bool required = true,
        FieldRuleSet? rules = null,
        IReadOnlyList<string>? options = null,
        Guid? id = null) =>
        new(id ?? Guid.NewGuid(), Guid.Empty, Guid.Empty, 1, new FieldBox(10, 10, 100, 20), kind, label, party, required, rules ?? FieldRuleSet.None, options ?? [], FieldSource.Placed, null);

    [Theory]
    [InlineData(FieldKind.Text, "")]
    [InlineData(FieldKind.Date, "")]
    [InlineData(FieldKind.Number, "")]
    [InlineData(FieldKind.Checkbox, "")]
    [InlineData(FieldKind.Radio, "")]
    public void An_empty_value_has_no_problem_but_is_not_done(FieldKind kind, string value)
    {
        var field = Field(kind, options: ["Yes", "No"]);

        Assert.Null(FieldValueRules.Problem(field, value));
        Assert.False(FieldValueRules.IsDone(field, value, partySigned: false));
    }

    [Fact]
    public void Text_keeps_to_its_length_and_one_line()
    {
        var field = Field(FieldKind.Text, rules: new FieldRuleSet(MaxLength: 5));

        Assert.Null(FieldValueRules.Problem(field, "Ada L"));
        Assert.Equal("Full name may have at most 5 characters.", FieldValueRules.Problem(field, "Ada Lo"));
        Assert.Equal("Full name must be a single line.", FieldValueRules.Problem(field, "A\nB"));
        Assert.Equal("Full name may have at most 500 characters.", FieldValueRules.Problem(Field(FieldKind.Text), new string('a', 501)));
        Assert.Null(FieldValueRules.Problem(Field(FieldKind.MultilineText), "line one\nline two"));
        Assert.NotNull(FieldValueRules.Problem(Field(FieldKind.MultilineText), new string('a', 2001)));
        Assert.NotNull(FieldValueRules.Problem(Field(FieldKind.Initials, "Initials"), "ABCDEFGHIJK"));
    }

    [Fact]
    public void Script_and_markup_are_just_text()
    {
        var field = Field(FieldKind.Text);

        Assert.Null(FieldValueRules.Refusal(field, "<script>alert('x')</script>"));
        Assert.Null(FieldValueRules.Problem(field, "<b>Ada</b> & \"friends\""));
    }

    [Fact]
    public void Dates_are_year_month_day_within_their_range()
    {
        var field = Field(FieldKind.Date, "Start date", rules: new FieldRuleSet(MinDate: new DateOnly(2025, 1, 1), MaxDate: new DateOnly(2025, 12, 31)));

        Assert.Null(FieldValueRules.Problem(field, "2025-03-31"));
        Assert.Equal("Start date must be a date written as year-month-day, such as 2025-03-31.", FieldValueRules.Problem(field, "31/03/2025"));
        Assert.NotNull(FieldValueRules.Problem(field, "2025-02-30"));
        Assert.Equal("Start date must be on or after 2025-01-01.", FieldValueRules.Problem(field, "2024-12-31"));
        Assert.Equal("Start date must be on or before 2025-12-31.", FieldValueRules.Problem(field, "2026-01-01"));
    }

    [Fact]
    public void Numbers_are_invariant_within_their_range()
    {
        var field = Field(FieldKind.Number, "Amount", rules: new FieldRuleSet(MinNumber: 10, MaxNumber: 1000.5m));

        Assert.Null(FieldValueRules.Problem(field, "1000.5"));
        Assert.Null(FieldValueRules.Problem(field, "10"));
        Assert.NotNull(FieldValueRules.Problem(field, "1,000"));
        Assert.NotNull(FieldValueRules.Problem(field, "12 EUR"));
        Assert.Equal("Amount must be at least 10.", FieldValueRules.Problem(field, "-5"));
        Assert.Equal("Amount must be at most 1000.5.", FieldValueRules.Problem(field, "1000.51"));
    }

    [Fact]
    public void Checkboxes_radios_and_choices_refuse_impossible_values()
    {
        var checkbox = Field(FieldKind.Checkbox, "I agree");
        var radio = Field(FieldKind.Radio, "Plan", options: ["Basic", "Plus"]);

        Assert.Null(FieldValueRules.Refusal(checkbox, "true"));
        Assert.Equal("I agree is a checkbox: its value is \"true\" (ticked) or empty.", FieldValueRules.Refusal(checkbox, "maybe"));
        Assert.True(FieldValueRules.IsDone(checkbox, "true", partySigned: false));
        Assert.Null(FieldValueRules.Refusal(radio, "Plus"));
        Assert.Equal("Plan offers only \"Basic\", \"Plus\".", FieldValueRules.Refusal(radio, "Gold"));
        Assert.Equal(FieldValueRules.Refusal(radio, "Gold"), FieldValueRules.Problem(radio, "Gold"));
    }

    [Fact]
    public void Signature_spots_take_no_value_and_are_done_once_signed()
    {
        var spot = Field(FieldKind.SignatureSpot, "Signature");

        Assert.NotNull(FieldValueRules.Refusal(spot, "Ada"));
        Assert.False(FieldValueRules.IsDone(spot, null, partySigned: false));
        Assert.True(FieldValueRules.IsDone(spot, null, partySigned: true));
    }

    [Fact]
    public void A_value_over_the_hard_cap_is_refused_whatever_the_kind()
    {
        var field = Field(FieldKind.MultilineText, "Notes", rules: new FieldRuleSet(MaxLength: 50_000));

        Assert.Null(FieldValueRules.Refusal(field, new string('a', FieldValueRules.HardMaxLength)));
        Assert.Equal("Notes cannot hold more than 10,000 characters.", FieldValueRules.Refusal(field, new string('a', FieldValueRules.HardMaxLength + 1)));
    }

    [Fact]
    public void A_pattern_must_match_the_whole_value_and_says_its_own_sentence()
    {
        var iban = Field(FieldKind.Text, "IBAN", rules: new FieldRuleSet(Pattern: "[A-Z]{2}[0-9]{2}[A-Z0-9]{4,30}", PatternMessage: "Enter the IBAN without spaces, e.g. DE89370400440532013000."));
        var postcode = Field(FieldKind.Text, "Postcode", rules: new FieldRuleSet(Pattern: "[0-9]{5}"));

        Assert.Null(FieldValueRules.Problem(iban, "DE89370400440532013000"));
        Assert.Equal("Enter the IBAN without spaces, e.g. DE89370400440532013000.", FieldValueRules.Problem(iban, "xx DE89370400440532013000"));
        Assert.Equal("Postcode is not in the expected format.", FieldValueRules.Problem(postcode, "123456"));
    }

    [Fact]
    public void A_catastrophic_pattern_times_out_as_not_matching()
    {
        var field = Field(FieldKind.MultilineText, "Notes", rules: new FieldRuleSet(Pattern: "(a+)+b"));

        Assert.NotNull(FieldValueRules.Problem(field, new string('a', 5000) + "c"));
    }

    [Fact]
    public void Missing_lists_the_partys_required_fields_not_done_in_order()
    {
        var name = Field(FieldKind.Text, "Full name");
        var iban = Field(FieldKind.Text, "IBAN", rules: new FieldRuleSet(Pattern: "[A-Z]{2}[0-9]+"));
        var optional = Field(FieldKind.Text, "Nickname", required: false);
        var advisors = Field(FieldKind.Text, "Advisor number", party: FieldParty.Advisor);
        var spot = Field(FieldKind.SignatureSpot, "Signature");
        var values = new Dictionary<Guid, string> { [iban.Id] = "not an iban" };

        var missing = FieldValueRules.Missing([name, iban, optional, advisors, spot], values, FieldParty.Customer, partySigned: false);

        Assert.Equal(["Full name", "IBAN", "Signature"], missing.Select(f => f.Label));
        Assert.Equal("Fill in the required fields first: Full name, IBAN.", FieldValueRules.FillInFirst(missing.Take(2)));
        Assert.Equal(["Full name", "IBAN"], FieldValueRules.Missing([name, iban, spot], values, FieldParty.Customer, partySigned: true).Select(f => f.Label));
    }
}
