namespace LiveContract.Core.Contracts;

/// <summary>Draft → Review → Signed; Review → Draft while nothing is signed. Signed is final.</summary>
public enum ContractStatus
{
    Draft,
    Review,
    Signed,
}
