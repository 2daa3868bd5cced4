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
/// document or field added, changed or removed), and its completed session that the signed PDF is
/// ready, so everyone in the session sees them at once. A session not open on this server has
/// nobody to tell here (with Redis the coordinator tells the other servers); a failure here is
/// logged and never undoes the change.
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

    /// <summary>
    /// The signed contract's sealed PDF is stored: its session (complete since the contract was
    /// signed) publishes <see cref="ContractSealed"/>, so the participants still in it get the
    /// download at once. Called by whichever sealer stored the PDF, on any server.
    /// </summary>
    public Task ContractSealedAsync(Guid contractId, SessionSealedPdf sealedPdf) =>
        NotifyAsync(
            contractId,
            "sealed PDF",
            (_, session) => coordinator.PublishContractSealedAsync(session.Id, new LiveSessionActor(session.AdvisorId, ParticipantRole.Advisor), sealedPdf).AsTask(),
            includeCompleted: true);

    /// <summary>The contract's original documents in the order the contract page lists them.</summary>
    internal static async Task<List<Document>> OriginalDocumentsAsync(LiveContractDbContext db, Guid contractId, CancellationToken cancellationToken)
    {
        var documents = await db.Documents.AsNoTracking()
            .Where(d => d.ContractId == contractId && d.Kind == DocumentKind.Original)
            .ToListAsync(cancellationToken);
        return documents.InContractOrder().ToList();
    }

    private static LiveSessionActor ToLiveActor(Actor actor) => new(actor.UserId, ParticipantRole.Advisor);

    private Task NotifyAsync(Guid contractId, string what, Func<LiveContractDbContext, Guid, Task<Outcome<long>>> notify) =>
        NotifyAsync(contractId, what, (db, session) => notify(db, session.Id), includeCompleted: false);

    /// <summary>Tells the contract's active session, or (<paramref name="includeCompleted"/>) its newest active or completed one, if it has one.</summary>
    private async Task NotifyAsync(Guid contractId, string what, Func<LiveContractDbContext, LiveSession, Task<Outcome<long>>> notify, bool includeCompleted)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync();
            var session = (await db.LiveSessions.AsNoTracking()
                    .Where(s => s.ContractId == contractId && (s.Status == LiveSessionStatus.Active || (includeCompleted && s.Status == LiveSessionStatus.Completed)))
                    .ToListAsync())
                .MaxBy(s => s.StartedAt);
            if (session is null)
            {
                return;
            }

            var sessionId = session.Id;
            var outcome = await notify(db, session);
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
