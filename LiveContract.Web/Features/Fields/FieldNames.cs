using LiveContract.Core.Fields;
using LiveContract.Core.Localization;
using Microsoft.Extensions.Localization;

namespace LiveContract.Web.Features.Fields;

/// <summary>How fields are named on the staff pages, the same way everywhere (lists, boxes, accessible names).</summary>
public static class FieldNames
{
    /// <summary>The kind as a person reads it, capitalised ("Multi-line text").</summary>
    public static string Kind(IStringLocalizer<StaffText> text, FieldKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        return kind switch
        {
            FieldKind.Text => text["FieldNames.Kind.Text"],
            FieldKind.MultilineText => text["FieldNames.Kind.MultilineText"],
            FieldKind.Date => text["FieldNames.Kind.Date"],
            FieldKind.Number => text["FieldNames.Kind.Number"],
            FieldKind.Checkbox => text["FieldNames.Kind.Checkbox"],
            FieldKind.Radio => text["FieldNames.Kind.Radio"],
            FieldKind.Choice => text["FieldNames.Kind.Choice"],
            FieldKind.Initials => text["FieldNames.Kind.Initials"],
            FieldKind.SignatureSpot => text["FieldNames.Kind.SignatureSpot"],
            _ => kind.ToString(),
        };
    }

    public static string Party(IStringLocalizer<StaffText> text, FieldParty party)
    {
        ArgumentNullException.ThrowIfNull(text);
        return party == FieldParty.Customer ? text["FieldNames.Party.Customer"] : text["FieldNames.Party.Advisor"];
    }

    /// <summary>What the field is, for the lists: "Text, customer, required, page 2".</summary>
    public static string Summary(IStringLocalizer<StaffText> text, FieldDefinition field)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(field);
        return text[field.Required ? "FieldNames.Summary.Required" : "FieldNames.Summary.Optional",
            Kind(text, field.Kind), Party(text, field.Party).ToLowerInvariant(), field.Page];
    }
}
