using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveContract.Core.Fields;

/// <summary>
/// The fingerprint of a contract's field values at signing, stored on each signature
/// (<c>FieldValuesSha256</c>) and in its <c>signature.recorded</c> audit event.
/// <para>
/// It is the SHA-256 (lower-case hex) of the UTF-8 bytes of a JSON array with one object per field
/// of the contract, filled or not, sorted by the field id's lower-case text
/// (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>) compared byte by byte. Each object has exactly the
/// members <c>id</c> (that text), <c>kind</c> (the <see cref="FieldKind"/> name, e.g.
/// <c>"MultilineText"</c>), <c>label</c>, <c>party</c> (<c>"Customer"</c> or <c>"Advisor"</c>)
/// and <c>value</c> (<c>""</c> when never filled), in that order, all strings. There is no white
/// space; strings escape only <c>"</c> and <c>\</c> (as <c>\"</c> and <c>\\</c>) and the control
/// characters below U+0020 (<c>\b \t \n \f \r</c>, others as <c>\u00xx</c> in lower-case hex),
/// every other character is written as itself. This is the JSON Canonicalization Scheme
/// (RFC 8785), so any JCS library recomputes it, e.g. for a contract with one field:
/// <c>[{"id":"0b1c…","kind":"Text","label":"Full name","party":"Customer","value":"Ada Lovelace"}]</c>.
/// </para>
/// </summary>
public static class FieldValuesHash
{
    /// <summary>The fingerprint of <paramref name="values"/> for <paramref name="fields"/> (see the type's description); a value of a field not listed is ignored.</summary>
    public static string Compute(IEnumerable<FieldDefinition> fields, IReadOnlyDictionary<Guid, string> values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(fields, values))));
    }

    /// <summary>The canonical JSON text that <see cref="Compute"/> hashes.</summary>
    public static string Canonical(IEnumerable<FieldDefinition> fields, IReadOnlyDictionary<Guid, string> values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var json = new StringBuilder("[");
        var first = true;
        foreach (var (id, field) in fields.Select(f => (Id: f.Id.ToString("D", CultureInfo.InvariantCulture), Field: f)).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            json.Append(first ? "{" : ",{");
            first = false;
            Member(json, "id", id, comma: false);
            Member(json, "kind", field.Kind.ToString(), comma: true);
            Member(json, "label", field.Label, comma: true);
            Member(json, "party", field.Party.ToString(), comma: true);
            Member(json, "value", values.GetValueOrDefault(field.Id) ?? "", comma: true);
            json.Append('}');
        }

        return json.Append(']').ToString();
    }

    private static void Member(StringBuilder json, string name, string value, bool comma)
    {
        if (comma)
        {
            json.Append(',');
        }

        String(json, name);
        json.Append(':');
        String(json, value);
    }

    private static void String(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case < ' ':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    json.Append(c);
                    break;
            }
        }

        json.Append('"');
    }
}
