using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// Tells a contract's active live session about changes made outside it (a status change, a
/// document or field added, changed or removed), so everyone in the session sees them at once. A session not open
/// on this server has nobody to tell; a failure here is logged and never undoes the change.
/// </summary>
public sealed class LiveSessionNotifier(
    IDbContextFactory<LiveContractDbContext> databases,
    ILiveSessionCoordinator coordinator,
    ILogger<LiveSessionNotifier> logger)
{
    /// <summary>
    /// The contract moved to <paramref name="status"/>. Going to review, the session first takes the
    /// fields as they are now, so the ones placed while it was a draft can be filled in.
    /// </summary>
    public Task StatusChangedAsync(Actor actor, Guid contractId, ContractStatus status) =>
        NotifyAsync(contractId, "status", async (db, sessionId) =>
        {
            if (status == ContractStatus.Review)
            {
                var fields = await ContractFieldValues.LoadAsync(db, contractId, CancellationToken.None);
                await coordinator.UpdateFieldsAsync(sessionId, ToLiveActor(actor), fields.Fields);
            }

            return await coordinator.PublishStatusAsync(sessionId, ToLiveActor(actor), status);
        });

    /// <summary>A field of the contract was placed, changed or removed.</summary>
    public Task FieldsChangedAsync(Actor actor, Guid contractId) =>
        NotifyAsync(contractId, "fields", async (db, sessionId) =>
        {
            var fields = await ContractFieldValues.LoadAsync(db, contractId, CancellationToken.None);
            return await coordinator.UpdateFieldsAsync(sessionId, ToLiveActor(actor), fields.Fields);
        });

    /// <summary>A document of the contract was added or removed.</summary>
    public Task DocumentsChangedAsync(Actor actor, Guid contractId) =>
        NotifyAsync(contractId, "documents", async (db, sessionId) =>
        {
            var documents = await OriginalDocumentsAsync(db, contractId, CancellationToken.None);
            return await coordinator.UpdateDocumentsAsync(
                sessionId,
                ToLiveActor(actor),
                documents.Select(d => new SessionDocument(d.Id, d.FileName, d.PageCount)).ToList());
        });

    /// <summary>The contract's original documents in the order the contract page lists them.</summary>
    internal static async Task<List<Document>> OriginalDocumentsAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken)
    {
        var documents = await db.Documents.AsNoTracking()
            .Where(d => d.ContractId == contractId && d.Kind == DocumentKind.Original)
            .ToListAsync(cancellationToken);
        return documents.InContractOrder().ToList();
    }

    private static LiveSessionActor ToLiveActor(Actor actor) => new(actor.UserId, ParticipantRole.Advisor);

    private async Task NotifyAsync(Guid contractId, string what, Func<LiveContractDbContext, Guid, Task<Outcome<long>>> notify)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            var sessionId = await db.LiveSessions
                .Where(s => s.ContractId == contractId && s.Status == LiveSessionStatus.Active)
                .Select(s => (Guid?)s.Id)
                .SingleOrDefaultAsync();
            if (sessionId is null)
            {
                return;
            }

            var outcome = await notify(db, sessionId.Value);
            // Not open here, already over, or its last document removed: nothing to show anyone.
            if (outcome.Error is { } error && error != LiveSessionErrors.UnknownSession && error != LiveSessionErrors.Ended && error != LiveSessionErrors.NoDocuments)
            {
                logger.LogWarning("Live session {SessionId} was not told about the contract's {What}: {Reason}", sessionId, what, error.Message);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Telling the live session of contract {ContractId} about its {What} failed", contractId, what);
        }
    }
}
