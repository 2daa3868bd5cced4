namespace LiveContract.Core.Fields;

/// <summary>What a field asks for. Checkbox values are "true" or ""; radio and choice values are one of the field's options.</summary>
public enum FieldKind
{
    Text,
    MultilineText,

    /// <summary>A calendar date, stored as <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>A number or amount, stored with invariant culture (<c>1234.5</c>).</summary>
    Number,
    Checkbox,
    Radio,
    Choice,
    Initials,

    /// <summary>Where the party's drawn signature goes in the sealed PDF; it takes no typed value and is done once that party has signed.</summary>
    SignatureSpot,
}

/// <summary>Who fills a field in.</summary>
public enum FieldParty
{
    Customer,
    Advisor,
}

/// <summary>Where a field comes from.</summary>
public enum FieldSource
{
    /// <summary>Drawn on a page by the advisor.</summary>
    Placed,

    /// <summary>One of the PDF's own (AcroForm) form fields, found when the document was uploaded.</summary>
    PdfForm,
}

/// <summary>
/// A field to fill in on a page of one of the contract's documents. Its box is in PDF points in
/// the page's own user space, exactly as a PDF form field's <c>/Rect</c>: <see cref="Left"/> and
/// <see cref="Bottom"/> are the lower-left corner, y grows upwards, and the page's <c>/Rotate</c>
/// is not applied (viewers turn the box with the page). Fields change only while the contract is a
/// draft; deleting the document deletes its fields.
/// </summary>
public sealed class Field
{
    public Guid Id { get; set; }

    public Guid ContractId { get; set; }

    public Guid DocumentId { get; set; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; set; }

    public double Left { get; set; }

    public double Bottom { get; set; }

    public double Width { get; set; }

    public double Height { get; set; }

    public FieldKind Kind { get; set; }

    /// <summary>What the person filling it in reads, e.g. "Full name" or "IBAN".</summary>
    public string Label { get; set; } = "";

    public FieldParty Party { get; set; }

    public bool Required { get; set; }

    /// <summary>Text, multi-line text and initials: the most characters.</summary>
    public int? MaxLength { get; set; }

    public DateOnly? MinDate { get; set; }

    public DateOnly? MaxDate { get; set; }

    public decimal? MinNumber { get; set; }

    public decimal? MaxNumber { get; set; }

    /// <summary>A .NET regular expression the whole value must match (e.g. an IBAN or a postcode).</summary>
    public string? Pattern { get; set; }

    /// <summary>The sentence shown when the value does not match <see cref="Pattern"/>.</summary>
    public string? PatternMessage { get; set; }

    /// <summary>Radio and choice fields: the values offered, in order (JSON array in the database).</summary>
    public List<string> Options { get; set; } = [];

    public FieldSource Source { get; set; }

    /// <summary>For <see cref="FieldSource.PdfForm"/>: the form field's fully qualified name in the PDF.</summary>
    public string? PdfFieldName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// The value of a field, one row per field that has ever been filled. <see cref="Version"/> grows
/// by one per accepted change (last write wins). Values change only while the contract is in
/// Review and no one has signed; from the first signature they are frozen (database triggers).
/// </summary>
public sealed class FieldValue
{
    public Guid FieldId { get; set; }

    public Guid ContractId { get; set; }

    public string Value { get; set; } = "";

    public long Version { get; set; }

    /// <summary>The participant id (advisor user id or customer id) who set it last.</summary>
    public string SetById { get; set; } = "";

    public FieldParty SetByParty { get; set; }

    public DateTimeOffset SetAt { get; set; }
}
