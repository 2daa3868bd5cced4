using LiveContract.Core.Common;
using LiveContract.Core.Localization;

namespace LiveContract.Core.Contracts;

/// <summary>The lifecycle rules. Pure functions: each says why an action is refused, or null.</summary>
public static class ContractRules
{
    public const int MaxTitleLength = 200;
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxTimeZoneLength = 64;

    /// <summary>Why <paramref name="language"/> cannot be a contract's language, or null.</summary>
    public static OperationError? CheckLanguage(string? language) =>
        Languages.IsSupported(language)
            ? null
            : new OperationError(
                ErrorKind.Invalid,
                $"'{language}' is not a language customers can be served in; choose one of {string.Join(", ", Languages.Supported)}.");

    /// <summary>Why <paramref name="timeZone"/> cannot be a customer's time zone (an IANA id such as Europe/Paris), or null.</summary>
    public static OperationError? CheckTimeZone(string timeZone) =>
        timeZone.Length <= MaxTimeZoneLength
        && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
        && zone.HasIanaId
            ? null
            : new OperationError(ErrorKind.Invalid, $"'{timeZone}' is not a time zone; use an IANA name such as Europe/Paris.");

    /// <summary>Only the contract's own advisor changes it; administrators see every contract read-only.</summary>
    public static OperationError? CanChange(string advisorId, Actor actor) =>
        advisorId == actor.UserId
            ? null
            : new OperationError(ErrorKind.Forbidden, "Only the contract's advisor can change it; administrators see it read-only.");

    /// <summary>Whether <paramref name="actor"/> may add or remove documents of <paramref name="contract"/> now.</summary>
    public static OperationError? CanChangeDocuments(Contract contract, Actor actor) =>
        CanChange(contract.AdvisorId, actor) ?? CanChangeDocuments(contract.Status);

    public static OperationError? CanChangeDocuments(ContractStatus status) => status switch
    {
        ContractStatus.Draft => null,
        ContractStatus.Review => Conflict("Documents can be added or removed only while the contract is a draft. Move it back to draft first."),
        _ => Final,
    };

    /// <summary>Whether <paramref name="actor"/> may place, change or remove fields of <paramref name="contract"/> now.</summary>
    public static OperationError? CanChangeFields(Contract contract, Actor actor) =>
        CanChange(contract.AdvisorId, actor) ?? CanChangeFields(contract.Status);

    public static OperationError? CanChangeFields(ContractStatus status) => status switch
    {
        ContractStatus.Draft => null,
        ContractStatus.Review => Conflict("Fields can be placed, changed or removed only while the contract is a draft. Move it back to draft first."),
        _ => Final,
    };

    public static OperationError? CanEditDetails(ContractStatus status) => status switch
    {
        ContractStatus.Draft => null,
        ContractStatus.Review => Conflict("The details can be changed only while the contract is a draft. Move it back to draft first."),
        _ => Final,
    };

    /// <summary>
    /// Whether a contract in <paramref name="from"/> with <paramref name="documentCount"/> documents
    /// and <paramref name="signatureCount"/> signatures may move to <paramref name="to"/>.
    /// </summary>
    public static OperationError? CanMove(ContractStatus from, ContractStatus to, int documentCount, int signatureCount)
    {
        if (from == ContractStatus.Signed)
        {
            return Final;
        }

        return (from, to) switch
        {
            (_, ContractStatus.Signed) => Conflict("A contract becomes signed only when every required signer has signed it."),
            (ContractStatus.Draft, ContractStatus.Review) when documentCount == 0 =>
                Conflict("Add at least one document before sending the contract for review."),
            (ContractStatus.Review, ContractStatus.Draft) when signatureCount > 0 =>
                Conflict("Someone has already signed this contract, so it can no longer go back to draft: what was signed stays as it was signed."),
            _ => null,
        };
    }

    private static OperationError Final => Conflict("This contract is signed and final: it can never change.");

    private static OperationError Conflict(string message) => new(ErrorKind.Conflict, message);
}
