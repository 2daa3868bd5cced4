using System.Security.Cryptography;
using System.Text;
using LiveContract.Core.Fields;

namespace LiveContract.Tests.Unit.Fields;

public sealed class FieldValuesHashTests
{
    private static readonly FieldDefinition Name = FieldValueRulesTests.Field(FieldKind.Text, "Full name", id: Guid.Parse("b0000000-0000-0000-0000-000000000002"));
    private static readonly FieldDefinition Agree = FieldValueRulesTests.Field(FieldKind.Checkbox, "I agree", FieldParty.Advisor, id: Guid.Parse("a0000000-0000-0000-0000-000000000001"));

    [Fact]
    public void The_canonical_text_lists_every_field_sorted_by_id_with_its_value_or_empty()
    {
        var canonical = FieldValuesHash.Canonical([Name, Agree], new Dictionary<Guid, string> { [Name.Id] = "Zoë \"Ada\" \\ <b>\n\u0001" });

        Assert.Equal(
            "[{\"id\":\"a0000000-0000-0000-0000-000000000001\",\"kind\":\"Checkbox\",\"label\":\"I agree\",\"party\":\"Advisor\",\"value\":\"\"},"
            + "{\"id\":\"b0000000-0000-0000-0000-000000000002\",\"kind\":\"Text\",\"label\":\"Full name\",\"party\":\"Customer\",\"value\":\"Zoë \\\"Ada\\\" \\\\ <b>\\n\\u0001\"}]",
            canonical);
    }

    [Fact]
    public void The_hash_is_sha256_of_the_canonical_utf8_and_ignores_order_and_unknown_values()
    {
        var values = new Dictionary<Guid, string> { [Name.Id] = "Zoë", [Guid.NewGuid()] = "not a field" };

        var hash = FieldValuesHash.Compute([Name, Agree], values);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FieldValuesHash.Canonical([Agree, Name], values)))), hash);
        Assert.Equal(hash, FieldValuesHash.Compute([Agree, Name], values));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(hash, FieldValuesHash.Compute([Name, Agree], new Dictionary<Guid, string> { [Name.Id] = "Zoe" }));
    }

    [Fact]
    public void The_canonical_text_is_valid_json_that_reads_back_the_values()
    {
        var canonical = FieldValuesHash.Canonical([Name], new Dictionary<Guid, string> { [Name.Id] = "tab\there \"quoted\" </script>" });

        using var json = System.Text.Json.JsonDocument.Parse(canonical);
        Assert.Equal("tab\there \"quoted\" </script>", json.RootElement[0].GetProperty("value").GetString());
    }
}
