using LiveContract.Core.Audit;

namespace LiveContract.Tests.Unit;

/// <summary>What a refused sign-in of an unknown account keeps, for ever, of the text typed in the email box.</summary>
public sealed class SignInEmailMaskTests
{
    [Theory]
    [InlineData("stranger@example.com", "s***@example.com")]
    [InlineData("  Stranger@Example.COM ", "S***@Example.COM")]
    [InlineData("x@y", "x***@y")]
    public void An_email_address_keeps_its_first_character_and_its_domain(string typed, string expected)
    {
        Assert.Equal(expected, AccountAudit.Mask(typed));
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("my secret@password")]
    [InlineData("two@at@signs.example")]
    [InlineData("@example.com")]
    [InlineData("someone@")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_kept(string? typed)
    {
        Assert.Equal(AccountAudit.NotAnEmailAddress, AccountAudit.Mask(typed));
    }

    [Fact]
    public void A_long_domain_is_clipped()
    {
        var masked = AccountAudit.Mask("a@" + new string('d', 1000) + ".example");

        Assert.Equal(AccountAudit.MaxTypedEmailLength, masked.Length);
        Assert.StartsWith("a***@ddd", masked, StringComparison.Ordinal);
    }
}
