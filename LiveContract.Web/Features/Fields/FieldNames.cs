using LiveContract.Core.Fields;

namespace LiveContract.Web.Features.Fields;

/// <summary>How fields are named on the pages, the same way everywhere (lists, boxes, accessible names).</summary>
public static class FieldNames
{
    /// <summary>The kind as a person reads it, capitalised ("Multi-line text").</summary>
    public static string Kind(FieldKind kind)
    {
        var name = FieldDefinitionRules.KindName(kind);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    public static string Party(FieldParty party) => party == FieldParty.Customer ? "Customer" : "Advisor";

    /// <summary>What the field is, for the lists: "Text, customer, required, page 2".</summary>
    public static string Summary(FieldDefinition field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return $"{Kind(field.Kind)}, {Party(field.Party).ToLowerInvariant()}, {(field.Required ? "required" : "optional")}, page {field.Page}";
    }
}
