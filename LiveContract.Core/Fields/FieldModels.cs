namespace LiveContract.Core.Fields;

/// <summary>A field's box in PDF points, in the page's unrotated user space (see <see cref="Field"/>).</summary>
public sealed record FieldBox(double Left, double Bottom, double Width, double Height);

/// <summary>The simple rules a value must follow; null means no rule. Each applies only to the kinds it names.</summary>
public sealed record FieldRuleSet(
    int? MaxLength = null,
    DateOnly? MinDate = null,
    DateOnly? MaxDate = null,
    decimal? MinNumber = null,
    decimal? MaxNumber = null,
    string? Pattern = null,
    string? PatternMessage = null)
{
    public static readonly FieldRuleSet None = new();
}

/// <summary>A field as the API, the pages and the live session see it.</summary>
public sealed record FieldDefinition(
    Guid Id,
    Guid ContractId,
    Guid DocumentId,
    int Page,
    FieldBox Box,
    FieldKind Kind,
    string Label,
    FieldParty Party,
    bool Required,
    FieldRuleSet Rules,
    IReadOnlyList<string> Options,
    FieldSource Source,
    string? PdfFieldName)
{
    public static FieldDefinition From(Field field) => new(
        field.Id,
        field.ContractId,
        field.DocumentId,
        field.Page,
        new FieldBox(field.Left, field.Bottom, field.Width, field.Height),
        field.Kind,
        field.Label,
        field.Party,
        field.Required,
        new FieldRuleSet(field.MaxLength, field.MinDate, field.MaxDate, field.MinNumber, field.MaxNumber, field.Pattern, field.PatternMessage),
        field.Options.ToArray(),
        field.Source,
        field.PdfFieldName);
}

/// <summary>What an advisor sends to place a field or to change one (every property, as the field should be).</summary>
public sealed record FieldDraft(
    Guid DocumentId,
    int Page,
    FieldBox Box,
    FieldKind Kind,
    string Label,
    FieldParty Party,
    bool Required,
    FieldRuleSet? Rules = null,
    IReadOnlyList<string>? Options = null);

/// <summary>A field's current value: who set it and when, and its version (last write wins).</summary>
public sealed record FieldValueInfo(Guid FieldId, string Value, long Version, string SetById, FieldParty SetByParty, DateTimeOffset SetAt);
