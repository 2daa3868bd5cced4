using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.Signing.Sealing;

/// <summary>
/// Seals signed contracts in the background. <see cref="Request"/> queues a contract (the signing
/// service calls it right after the Signed transition); the worker seals queued contracts one at
/// a time, promptly. A failure that may pass (database, document store, sealing key) is retried
/// with a growing delay, from <see cref="FirstRetryDelay"/> up to <see cref="MaxRetryDelay"/>; a
/// refusal that cannot pass (a document that is not the one reviewed) is logged as an error and
/// left. On start-up (retrying until the database answers) it queues every Signed contract that
/// has no sealed PDF and no recorded refusal (<see cref="AuditEventTypes.SealingRefused"/>: a
/// document over the expansion limits fails once, not at every start), so a request lost in a crash or a restart is made up for; and every
/// <see cref="SweepInterval"/> it does so again for contracts signed more than
/// <see cref="SweepGrace"/> ago, so a contract left unsealed by another server that died is sealed
/// by the surviving ones without waiting for a restart (the grace leaves a fresh signing to the
/// server that is sealing it). The sweep skips contracts this worker already found it cannot seal
/// and those waiting for a retry. Sealing itself is idempotent and guarded by the database, so
/// several servers doing this at once seal each contract once.
/// </summary>
public sealed class SealingWorker(
    SealingService sealing,
    IDbContextFactory<LiveContractDbContext> databases,
    TimeProvider time,
    ILogger<SealingWorker> logger) : BackgroundService, ISealRequests
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>How often the worker looks again for Signed contracts without a sealed PDF.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long ago a contract must have been signed for the periodic sweep to take it up.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromMinutes(1);

    private readonly Channel<Guid> requests = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, int> failures = new();
    private readonly ConcurrentDictionary<Guid, byte> refused = new();

    /// <summary>Queues <paramref name="contractId"/> for sealing; returns at once.</summary>
    public void Request(Guid contractId) => requests.Writer.TryWrite(contractId);

    /// <summary>The ids of Signed contracts without a sealed PDF whose sealing was not refused for good.</summary>
    public Task<IReadOnlyList<Guid>> FindUnsealedAsync(CancellationToken cancellationToken) => FindUnsealedAsync(null, cancellationToken);

    /// <summary>The ids of Signed contracts without a sealed PDF, signed before <paramref name="signedBefore"/> when given.</summary>
    private async Task<IReadOnlyList<Guid>> FindUnsealedAsync(DateTimeOffset? signedBefore, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var unsealed = db.Contracts.AsNoTracking()
            .Where(c => c.Status == ContractStatus.Signed && !c.Documents.Any(d => d.Kind == DocumentKind.Sealed));
        if (signedBefore is { } before)
        {
            unsealed = unsealed.Where(c => c.SignedAt == null || c.SignedAt < before);
        }

        var ids = await unsealed.Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return ids;
        }

        var refusedStreams = (await db.AuditEvents.AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.SealingRefused)
            .Select(e => e.Stream)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return ids.Where(id => !refusedStreams.Contains(AuditStreams.Contract(id))).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _ = RecoverAsync(stoppingToken);
        _ = SweepAsync(stoppingToken);
        await foreach (var contractId in requests.Reader.ReadAllAsync(stoppingToken))
        {
            await SealOneAsync(contractId, stoppingToken);
        }
    }

    /// <summary>Queues every Signed contract without a sealed PDF, retrying with the same delays until the database answers.</summary>
    private async Task RecoverAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var unsealed = await FindUnsealedAsync(stoppingToken);
                if (unsealed.Count > 0)
                {
                    logger.LogInformation("Sealing {Count} signed contracts that have no sealed PDF yet", unsealed.Count);
                }

                foreach (var contractId in unsealed)
                {
                    Request(contractId);
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                var delay = Delay(attempt);
                logger.LogWarning(e, "Finding signed contracts without a sealed PDF failed; trying again in {Delay}", delay);
                await WaitAsync(delay, stoppingToken);
            }
        }
    }

    /// <summary>Every <see cref="SweepInterval"/>, queues the Signed contracts still without a sealed PDF (see the class remarks).</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitAsync(SweepInterval, stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var unsealed = await FindUnsealedAsync(time.GetUtcNow() - SweepGrace, stoppingToken);
                var queued = 0;
                foreach (var contractId in unsealed.Where(id => !refused.ContainsKey(id) && !failures.ContainsKey(id)))
                {
                    Request(contractId);
                    queued++;
                }

                if (queued > 0)
                {
                    logger.LogInformation("Sealing {Count} signed contracts found without a sealed PDF", queued);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever failed, the sweep goes on: it is what seals contracts other servers left.
                logger.LogWarning(e, "Looking for signed contracts without a sealed PDF failed; trying again in {Delay}", SweepInterval);
            }
        }
    }

    private async Task SealOneAsync(Guid contractId, CancellationToken stoppingToken)
    {
        OperationError? error;
        try
        {
            var outcome = await sealing.SealAsync(contractId, stoppingToken);
            error = outcome.Error;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sealing contract {ContractId} failed unexpectedly", contractId);
            error = new OperationError(ErrorKind.Unavailable, e.Message);
        }

        if (error is null)
        {
            failures.TryRemove(contractId, out _);
            refused.TryRemove(contractId, out _);
            return;
        }

        if (error.Kind != ErrorKind.Unavailable)
        {
            failures.TryRemove(contractId, out _);
            refused.TryAdd(contractId, 0);
            logger.LogError("Contract {ContractId} cannot be sealed: {Reason}", contractId, error.Message);
            return;
        }

        var attempt = failures.AddOrUpdate(contractId, 1, (_, count) => count + 1);
        var delay = Delay(attempt - 1);
        logger.LogWarning("Sealing contract {ContractId} failed (attempt {Attempt}): {Reason} Trying again in {Delay}", contractId, attempt, error.Message, delay);
        _ = RetryLaterAsync(contractId, delay, stoppingToken);
    }

    private async Task RetryLaterAsync(Guid contractId, TimeSpan delay, CancellationToken stoppingToken)
    {
        await WaitAsync(delay, stoppingToken);
        if (!stoppingToken.IsCancellationRequested)
        {
            Request(contractId);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next start-up (or another server's sweep) finds what is still unsealed.
        }
    }

    /// <summary>2 s, 4 s, 8 s… capped at <see cref="MaxRetryDelay"/>.</summary>
    private static TimeSpan Delay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(attempt, 20)));
}
