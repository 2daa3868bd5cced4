using LiveContract.Core.Audit;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Fixtures;

/// <summary>Long audit trails, written through the real hash chain in batches.</summary>
internal static class AuditSeed
{
    /// <summary>Appends <paramref name="count"/> joins and leaves of <paramref name="sessionId"/> to the contract's stream, as the unbounded flood of issue #17 did.</summary>
    public static async Task AppendPresenceAsync(LiveContractApp app, Guid contractId, Guid sessionId, int count)
    {
        const int Batch = 500;
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(contractId);
        for (var written = 0; written < count; written += Batch)
        {
            var size = Math.Min(Batch, count - written);

            // Run again from the start when the app appended to the stream meanwhile, as the app's own writers do.
            await AuditWrites.RunOrThrowAsync(
                databases,
                async db =>
                {
                    for (var n = 0; n < size; n++)
                    {
                        var type = n % 2 == 0 ? AuditEventTypes.ParticipantJoined : AuditEventTypes.ParticipantLeft;
                        await AuditTrail.AppendAsync(db, stream, type, AuditActor.Anonymous("203.0.113.7"), new { sessionId }, DateTimeOffset.UtcNow);
                    }

                    await db.SaveChangesAsync();
                    return true;
                });
        }
    }
}
