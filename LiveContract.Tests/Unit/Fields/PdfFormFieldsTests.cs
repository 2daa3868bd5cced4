using LiveContract.Core.Fields;
using LiveContract.Core.Pdf;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveContract.Tests.Unit.Fields;

public sealed class PdfFormFieldsTests
{
    [Fact]
    public void The_basic_form_yields_its_fields_with_names_kinds_pages_and_boxes_as_the_pdf_has_them()
    {
        var found = Detect("acroform-basic-fields.pdf");

        // pdfinfo says "Form: AcroForm"; the /Rect values below are the file's own (lower-left x, y, width, height).
        Assert.Equal(
            [
                ("RadioButtonGroup", FieldKind.Radio, 1),
                ("Signature", FieldKind.SignatureSpot, 1),
                ("Checkbox", FieldKind.Checkbox, 1),
                ("ListBox", FieldKind.Text, 1),
                ("ComboBox", FieldKind.Text, 1),
                ("Checkbox-DefaultValue", FieldKind.Checkbox, 1),
                ("RadioButtonGroup-DefaultValue", FieldKind.Radio, 1),
                ("ListBox-DefaultValue", FieldKind.Choice, 1),
                ("ComboBox-DefaultValue", FieldKind.Choice, 1),
                ("TextField-DefaultValue", FieldKind.Text, 1),
                ("RichTextField-DefaultValue", FieldKind.Text, 1),
                ("RichTextField-Filled", FieldKind.Text, 1),
                ("TextField", FieldKind.Text, 1),
                ("RichTextField", FieldKind.Text, 1),
                ("LongRichTextField", FieldKind.MultilineText, 1),
                ("CheckboxGroup", FieldKind.Radio, 1),
                ("CheckboxGroupChecked", FieldKind.Radio, 1),
            ],
            found.Select(f => (f.Name, f.Draft.Kind, f.Draft.Page)));
        Assert.DoesNotContain(found, f => f.Name == "PushButton");

        var byName = found.ToDictionary(f => f.Name, f => f.Draft);
        Assert.Equal(new FieldBox(48, 744 - 22, 96, 22), byName["TextField"].Box);
        Assert.Equal(new FieldBox(48, 528 - 32, 96, 32), byName["Signature"].Box);
        Assert.Equal(new FieldBox(48, 702, 18, 18), byName["Checkbox"].Box);
        Assert.Equal(new FieldBox(48, 678, 42, 18), byName["RadioButtonGroup"].Box);
        Assert.Equal(["RadioButton01", "RadioButton02"], byName["RadioButtonGroup"].Options);
        Assert.Equal(["Opt01", "Opt02", "Opt03"], byName["ComboBox-DefaultValue"].Options);
        Assert.Equal(["Option1", "Option2", "Option3"], byName["CheckboxGroup"].Options);
        Assert.Equal(49.595, byName["CheckboxGroup"].Box.Left, 3);
        Assert.Equal(377.24, byName["CheckboxGroup"].Box.Bottom, 3);
        Assert.Equal(459.005 - 377.24, byName["CheckboxGroup"].Box.Height, 3);
        Assert.Equal("Text field default value", byName["TextField-DefaultValue"].Label);
        Assert.All(found, f => Assert.Equal(FieldParty.Customer, f.Draft.Party));
        Assert.All(found, f => Assert.False(f.Draft.Required));
    }

    [Fact]
    public void Every_detected_field_passes_the_rules_of_a_placed_field()
    {
        var pdf = FixturePdfs.Read("acroform-basic-fields.pdf");
        using var stream = new MemoryStream(pdf);
        var area = PdfPageArea.Read(stream, 1);

        Assert.Equal(new FieldBox(0, 0, 612, 792), area);
        Assert.All(Detect("acroform-basic-fields.pdf"), f => Assert.Null(FieldDefinitionRules.Check(f.Draft, 1, area)));
    }

    [Theory]
    [InlineData("motor-insurance-claim-form.pdf")]
    [InlineData("single-page-google-drive.pdf")]
    [InlineData("rotated-90.pdf")]
    public void A_pdf_without_a_form_yields_no_fields(string fixture)
    {
        // motor-insurance-claim-form.pdf looks like a form but was flattened by PDFium: pdfinfo says "Form: none".
        Assert.Empty(Detect(fixture));
    }

    [Fact]
    public void Bytes_that_are_no_pdf_yield_no_fields_instead_of_an_error()
    {
        using var stream = new MemoryStream("not a pdf at all"u8.ToArray());

        Assert.Empty(PdfFormFields.Detect(stream, NullLogger.Instance));
        Assert.Equal(0, stream.Position);
    }

    [Theory]
    [InlineData("TextField-DefaultValue", "Text field default value")]
    [InlineData("IBAN_number", "IBAN number")]
    [InlineData("policyHolder.dateOfBirth", "Policy holder date of birth")]
    [InlineData("Address2", "Address 2")]
    [InlineData("--", "")]
    public void Names_are_made_readable(string name, string readable)
    {
        Assert.Equal(readable, PdfFormFields.ReadableName(name));
    }

    private static IReadOnlyList<PdfFormField> Detect(string fixture)
    {
        using var stream = new MemoryStream(FixturePdfs.Read(fixture));
        return PdfFormFields.Detect(stream, NullLogger.Instance);
    }
}
