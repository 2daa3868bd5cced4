using LiveContract.Core.Common;
using LiveContract.Core.Contracts;

namespace LiveContract.Tests.Unit;

public sealed class ContractRulesTests
{
    [Fact]
    public void Documents_change_only_in_draft()
    {
        Assert.Null(ContractRules.CanChangeDocuments(ContractStatus.Draft));
        Assert.Contains("only while the contract is a draft", ContractRules.CanChangeDocuments(ContractStatus.Review)!.Message);
        Assert.Contains("signed and final", ContractRules.CanChangeDocuments(ContractStatus.Signed)!.Message);
    }

    [Fact]
    public void Details_change_only_in_draft()
    {
        Assert.Null(ContractRules.CanEditDetails(ContractStatus.Draft));
        Assert.Equal(ErrorKind.Conflict, ContractRules.CanEditDetails(ContractStatus.Review)!.Kind);
        Assert.Equal(ErrorKind.Conflict, ContractRules.CanEditDetails(ContractStatus.Signed)!.Kind);
    }

    [Fact]
    public void Review_needs_a_document()
    {
        var refused = ContractRules.CanMove(ContractStatus.Draft, ContractStatus.Review, documentCount: 0, signatureCount: 0);

        Assert.Equal("Add at least one document before sending the contract for review.", refused!.Message);
        Assert.Null(ContractRules.CanMove(ContractStatus.Draft, ContractStatus.Review, documentCount: 1, signatureCount: 0));
    }

    [Fact]
    public void Review_can_go_back_to_draft()
    {
        Assert.Null(ContractRules.CanMove(ContractStatus.Review, ContractStatus.Draft, documentCount: 1, signatureCount: 0));
    }

    [Fact]
    public void Review_goes_back_to_draft_only_before_any_signature()
    {
        var refused = ContractRules.CanMove(ContractStatus.Review, ContractStatus.Draft, documentCount: 1, signatureCount: 1);

        Assert.Equal(ErrorKind.Conflict, refused?.Kind);
        Assert.Contains("already signed", refused!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContractStatus.Draft)]
    [InlineData(ContractStatus.Review)]
    public void Nobody_moves_a_contract_to_signed_by_hand(ContractStatus from)
    {
        var refused = ContractRules.CanMove(from, ContractStatus.Signed, documentCount: 3, signatureCount: 0);

        Assert.Equal(ErrorKind.Conflict, refused!.Kind);
        Assert.Contains("only when every required signer has signed", refused.Message);
    }

    [Theory]
    [InlineData(ContractStatus.Draft)]
    [InlineData(ContractStatus.Review)]
    [InlineData(ContractStatus.Signed)]
    public void Signed_is_final(ContractStatus to)
    {
        var refused = ContractRules.CanMove(ContractStatus.Signed, to, documentCount: 1, signatureCount: 0);

        Assert.Equal("This contract is signed and final: it can never change.", refused!.Message);
    }

    [Fact]
    public void Only_the_contracts_own_advisor_changes_it()
    {
        Assert.Null(ContractRules.CanChange("advisor-1", new Actor("advisor-1", IsAdmin: false)));
        var refused = ContractRules.CanChange("advisor-1", new Actor("admin-1", IsAdmin: true));

        Assert.Equal(ErrorKind.Forbidden, refused!.Kind);
        Assert.Contains("administrators see it read-only", refused.Message);
    }
}
