using LiveContract.Core.Audit;

namespace LiveContract.Tests.Unit;

public sealed class AuditTrailHashTests
{
    private static AuditEvent Sample() => new()
    {
        Stream = "contract:6f1c2a4e-8a7b-4f0e-9a65-0d3c1b2a4e5f",
        Sequence = 7,
        Type = "signature.recorded",
        At = new DateTimeOffset(2026, 11, 23, 13, 2, 3, TimeSpan.Zero).AddTicks(1_000),
        ActorId = "customer-id",
        ActorRole = "Customer",
        IpAddress = "198.51.100.7",
        Data = """{"signer":"customer"}""",
        PreviousHash = new string('a', 64),
    };

    public static TheoryData<string> Fields => new(
        "Stream", "Sequence", "Type", "At", "ActorId", "ActorRole", "IpAddress", "Data", "PreviousHash");

    [Theory]
    [MemberData(nameof(Fields))]
    public void The_hash_changes_when_any_single_field_changes(string field)
    {
        var original = AuditTrail.ComputeHash(Sample());
        var changed = Sample();
        switch (field)
        {
            case "Stream": changed.Stream = "system"; break;
            case "Sequence": changed.Sequence = 8; break;
            case "Type": changed.Type = "signature.recorded2"; break;
            case "At": changed.At = changed.At.AddTicks(AuditTrail.TimePrecisionTicks); break;
            case "ActorId": changed.ActorId = null; break;
            case "ActorRole": changed.ActorRole = "Advisor"; break;
            case "IpAddress": changed.IpAddress = "198.51.100.8"; break;
            case "Data": changed.Data = """{"signer":"advisor"}"""; break;
            case "PreviousHash": changed.PreviousHash = new string('b', 64); break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }

        Assert.Matches("^[0-9a-f]{64}$", original);
        Assert.NotEqual(original, AuditTrail.ComputeHash(changed));
    }

    [Fact]
    public void Fields_are_length_prefixed_so_moving_text_between_them_or_null_and_empty_differ()
    {
        var a = Sample();
        a.ActorId = "ab";
        a.ActorRole = "c";
        var b = Sample();
        b.ActorId = "a";
        b.ActorRole = "bc";
        var empty = Sample();
        empty.IpAddress = "";
        var none = Sample();
        none.IpAddress = null;

        Assert.NotEqual(AuditTrail.ComputeHash(a), AuditTrail.ComputeHash(b));
        Assert.NotEqual(AuditTrail.ComputeHash(empty), AuditTrail.ComputeHash(none));
    }

    [Fact]
    public void The_same_instant_hashes_the_same_in_any_offset_and_is_kept_to_100_microseconds()
    {
        var utc = Sample();
        var local = Sample();
        local.At = utc.At.ToOffset(TimeSpan.FromHours(-5));

        Assert.Equal(AuditTrail.ComputeHash(utc), AuditTrail.ComputeHash(local));
        Assert.Equal(
            new DateTimeOffset(2026, 11, 23, 13, 2, 3, TimeSpan.Zero).AddTicks(1_000),
            AuditTrail.Normalize(new DateTimeOffset(2026, 11, 23, 14, 2, 3, TimeSpan.FromHours(1)).AddTicks(1_999)));
    }
}
