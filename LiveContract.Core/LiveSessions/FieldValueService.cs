using System.Globalization;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Sets a field's value from outside a live session's connections (the API): the party that owns
/// the field (its advisor, or the customer by link) sets it through the contract's active live
/// session when there is one, so everyone in it sees the value at once, and the value is durable
/// before the answer. Without an active session the advisor's value goes straight to the database.
/// The refusals are the session's own sentences (<see cref="LiveSessionErrors"/>).
/// </summary>
public sealed class FieldValueService(
    IDbContextFactory<LiveContractDbContext> databases,
    LiveSessionService sessions,
    ILiveSessionCoordinator coordinator,
    IFieldValueStore store,
    TimeProvider time)
{
    private static readonly OperationError UnknownContract = OperationError.NotFound("That contract");

    private static readonly OperationError OnlyTheAdvisor =
        new(ErrorKind.Forbidden, "Only the contract's advisor fills in the advisor's fields; administrators watch.");

    /// <summary>Sets <paramref name="fieldId"/> of <paramref name="contractId"/> to <paramref name="value"/> as <paramref name="caller"/>; returns the value as stored (its version, its problem).</summary>
    public async Task<Outcome<LiveFieldValue>> SetAsync(SessionCaller caller, Guid contractId, Guid fieldId, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(value);
        Guid? sessionId;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            if (caller is SessionCaller.Customer customer)
            {
                var linked = await db.SessionLinks.AsNoTracking()
                    .Where(l => l.Id == customer.LinkId)
                    .Join(db.LiveSessions, l => l.SessionId, s => s.Id, (l, s) => new { s.Id, s.ContractId })
                    .SingleOrDefaultAsync(cancellationToken);
                if (linked is null || linked.ContractId != contractId)
                {
                    return UnknownContract;
                }

                sessionId = linked.Id;
            }
            else
            {
                sessionId = await db.LiveSessions
                    .Where(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active)
                    .Select(s => (Guid?)s.Id)
                    .SingleOrDefaultAsync(cancellationToken);
            }
        }

        return sessionId is { } id
            ? await SetInSessionAsync(caller, id, contractId, fieldId, value, cancellationToken)
            : await SetDirectlyAsync((SessionCaller.Staff)caller, contractId, fieldId, value, cancellationToken);
    }

    private async Task<Outcome<LiveFieldValue>> SetInSessionAsync(SessionCaller caller, Guid sessionId, Guid contractId, Guid fieldId, string value, CancellationToken cancellationToken)
    {
        var access = await sessions.OpenForAsync(caller, sessionId, cancellationToken);
        if (!access.Succeeded)
        {
            return access.Error!;
        }

        if (access.Value!.Session.ContractId != contractId)
        {
            return UnknownContract;
        }

        var set = await coordinator.SetFieldValueAsync(sessionId, access.Value.Participant, fieldId, value, cancellationToken);
        if (!set.Succeeded)
        {
            return set;
        }

        var saved = await coordinator.FlushFieldsAsync(sessionId, fieldId, cancellationToken);
        return saved.Succeeded ? set : saved.Error!;
    }

    /// <summary>The advisor's value while no live session is active: the same checks, then the store (value and audit event).</summary>
    private async Task<Outcome<LiveFieldValue>> SetDirectlyAsync(SessionCaller.Staff staff, Guid contractId, Guid fieldId, string value, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().VisibleTo(staff.Actor).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);
        if (contract is null)
        {
            return UnknownContract;
        }

        if (contract.AdvisorId != staff.Actor.UserId)
        {
            return OnlyTheAdvisor;
        }

        var row = await db.Fields.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fieldId && f.ContractId == contractId, cancellationToken);
        if (row is null)
        {
            return LiveSessionErrors.FieldNotInSession;
        }

        var field = FieldDefinition.From(row);
        if (field.Party != FieldParty.Advisor)
        {
            return LiveSessionErrors.OtherPartysField;
        }

        if (await db.Signatures.AnyAsync(s => s.ContractId == contractId, cancellationToken))
        {
            return LiveSessionErrors.FieldsFrozen;
        }

        if (contract.Status != ContractStatus.Review)
        {
            return LiveSessionErrors.FieldsNotInReview;
        }

        // Refused in the caller's language; a problem kept with the value is shared, so English.
        if (FieldValueRules.Refusal(field, value, CultureInfo.CurrentUICulture) is { } refusal)
        {
            return LiveSessionErrors.ValueRefused(refusal);
        }

        var stored = await db.FieldValues.AsNoTracking().SingleOrDefaultAsync(v => v.FieldId == fieldId, cancellationToken);
        if (stored is not null && stored.Value == value)
        {
            return new LiveFieldValue(fieldId, value, stored.Version, stored.SetById, staff.DisplayName, stored.SetAt, FieldValueRules.Problem(field, value));
        }

        var changed = new LiveFieldValue(
            fieldId, value, (stored?.Version ?? 0) + 1, staff.Actor.UserId, staff.DisplayName, time.GetUtcNow(), FieldValueRules.Problem(field, value));
        await store.SaveAsync(contractId, [new FieldValueSave(field, changed, ParticipantRole.Advisor, Committed: true)], cancellationToken);
        return changed;
    }
}
