using LiveContract.Core.Common;
using LiveContract.Core.IdentityChecks;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Unit.IdentityChecks;

public sealed class OneTimeCodeTests
{
    private static readonly IdentityCheckOptions Settings = new();

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Codes_are_six_random_digits_spread_over_every_position()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => OneTimeCodes.Create()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9]{6}$", c));
        Assert.True(codes.Distinct().Count() > 1990);
        for (var position = 0; position < 6; position++)
        {
            Assert.Equal(10, codes.Select(c => c[position]).Distinct().Count());
        }
    }

    [Fact]
    public void A_code_is_kept_as_a_salted_hash_that_only_the_same_digits_match()
    {
        var salt = OneTimeCodes.NewSalt();
        var hash = OneTimeCodes.Hash("042917", salt);

        Assert.Equal(32, hash.Length);
        Assert.NotEqual(hash, OneTimeCodes.Hash("042917", OneTimeCodes.NewSalt()));
        Assert.True(OneTimeCodes.Matches("042917", salt, hash));
        Assert.True(OneTimeCodes.Matches(" 042 917 ", salt, hash));
        Assert.True(OneTimeCodes.Matches("042-917", salt, hash));
        Assert.False(OneTimeCodes.Matches("042918", salt, hash));
        Assert.False(OneTimeCodes.Matches("42917", salt, hash));
        Assert.False(OneTimeCodes.Matches("0429170", salt, hash));
        Assert.False(OneTimeCodes.Matches("０４２９１７", salt, hash));
        Assert.False(OneTimeCodes.Matches(null, salt, hash));
    }

    [Fact]
    public void A_code_works_until_it_expires_and_for_five_wrong_tries()
    {
        var time = new FakeTimeProvider(Start);
        var code = NewCode("123456", time.GetUtcNow());

        Assert.Equal(CodeVerdict.Wrong, IdentityCheckService.Judge(code, "654321", time.GetUtcNow(), Settings));
        time.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(59));
        Assert.Equal(CodeVerdict.Accepted, IdentityCheckService.Judge(code, "123456", time.GetUtcNow(), Settings));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CodeVerdict.Expired, IdentityCheckService.Judge(code, "123456", time.GetUtcNow(), Settings));

        var tried = NewCode("123456", Start);
        tried.FailedAttempts = 4;
        Assert.Equal(CodeVerdict.Accepted, IdentityCheckService.Judge(tried, "123456", Start, Settings));
        tried.FailedAttempts = 5;
        Assert.Equal(CodeVerdict.Closed, IdentityCheckService.Judge(tried, "123456", Start, Settings));

        var used = NewCode("123456", Start);
        used.VerifiedAt = Start;
        Assert.Equal(CodeVerdict.Closed, IdentityCheckService.Judge(used, "123456", Start, Settings));
    }

    [Fact]
    public void Resends_wait_thirty_seconds_and_stop_at_five_an_hour()
    {
        var time = new FakeTimeProvider(Start);
        var sent = new List<DateTimeOffset>();
        var answers = new List<string?>();
        foreach (var wait in new[] { 0, 10, 19, 30, 30, 30, 30, 30 })
        {
            time.Advance(TimeSpan.FromSeconds(wait));
            var refusal = IdentityCheckService.TooSoon(sent, time.GetUtcNow(), Settings);
            answers.Add(refusal?.Message);
            if (refusal is null)
            {
                sent.Add(time.GetUtcNow());
            }
            else
            {
                Assert.Equal(ErrorKind.TooManyRequests, refusal.Kind);
            }
        }

        Assert.Equal(
            [
                null,
                "A code was sent a moment ago; wait 20 seconds before asking for another.",
                "A code was sent a moment ago; wait 1 second before asking for another.",
                null, null, null, null,
                "5 codes were sent for this link in the last hour; wait a while, or ask your advisor for help.",
            ],
            answers);

        // An hour after the first, one more is allowed.
        time.Advance(TimeSpan.FromMinutes(58));
        Assert.Null(IdentityCheckService.TooSoon(sent, time.GetUtcNow(), Settings));
    }

    [Fact]
    public void Each_client_address_has_its_own_hourly_allowance()
    {
        var time = new FakeTimeProvider(Start);
        var limits = new AddressLimits(time);

        Assert.True(limits.TryTake("code", "198.51.100.9", 2));
        Assert.True(limits.TryTake("code", "198.51.100.9", 2));
        Assert.False(limits.TryTake("code", "198.51.100.9", 2));
        Assert.True(limits.TryTake("attempt", "198.51.100.9", 2));
        Assert.True(limits.TryTake("code", "198.51.100.10", 2));
        time.Advance(TimeSpan.FromHours(1));
        Assert.True(limits.TryTake("code", "198.51.100.9", 2));
    }

    [Theory]
    [InlineData("+447700900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData("07700 900123", null)]
    [InlineData("+0447700900123", null)]
    [InlineData("+44770090012345678", null)]
    [InlineData("+44 7700 9001x3", null)]
    [InlineData("", null)]
    public void Phone_numbers_are_taken_in_e164_form_only(string typed, string? expected) =>
        Assert.Equal(expected, ContactPoints.NormalizePhone(typed));

    [Fact]
    public void Addresses_are_masked_for_showing_and_recording()
    {
        Assert.Equal("c***@example.com", ContactPoints.MaskEmail("chloe@example.com"));
        Assert.Equal("+44******0123", ContactPoints.MaskPhone("+447700900123"));
    }

    private static IdentityCode NewCode(string code, DateTimeOffset at)
    {
        var salt = OneTimeCodes.NewSalt();
        return new IdentityCode { Id = Guid.NewGuid(), Salt = salt, CodeHash = OneTimeCodes.Hash(code, salt), CreatedAt = at, ExpiresAt = at + Settings.CodeLifetime };
    }
}
