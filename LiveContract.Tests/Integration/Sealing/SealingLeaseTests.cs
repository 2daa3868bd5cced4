using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>
/// The sealing lease: sealers on several servers (here two <see cref="SealingService"/> instances
/// on one database, each with its own log) build a contract's sealed PDF once between them.
/// </summary>
public sealed class SealingLeaseTests
{
    private const string Building = "Building the sealed PDF of contract";

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Two_sealers_racing_build_and_store_one_pdf_and_both_return_it(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");
        var blobsBefore = scenario.StoredBlobs().Count;
        var (firstLog, first) = Sealer(scenario, new SealingOptions());
        var (secondLog, second) = Sealer(scenario, new SealingOptions());

        var results = await Task.WhenAll(
            Task.Run(() => first.SealAsync(contract.Id)),
            Task.Run(() => second.SealAsync(contract.Id)));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(results[0].Value!.Id, results[1].Value!.Id);
        var builds = firstLog.Messages(LogLevel.Information).Concat(secondLog.Messages(LogLevel.Information)).Count(m => m.StartsWith(Building, StringComparison.Ordinal));
        Assert.Equal(1, builds);
        Assert.Equal(blobsBefore + 1, scenario.StoredBlobs().Count);
        await using var db = scenario.Database();
        var row = await db.Documents.AsNoTracking().SingleAsync(d => d.ContractId == contract.Id && d.Kind == DocumentKind.Sealed);
        Assert.Equal(results[0].Value!.Id, row.Id);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed));
        var lease = await db.Contracts.AsNoTracking().Where(c => c.Id == contract.Id).Select(c => new { c.SealingLeaseHolder, c.SealingLeaseUntil }).SingleAsync();
        Assert.Equal((null, null), (lease.SealingLeaseHolder, lease.SealingLeaseUntil));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_lease_held_elsewhere_is_answered_as_being_sealed_until_it_expires_and_is_taken_over(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");
        var blobsBefore = scenario.StoredBlobs().Count;
        var (log, sealer) = Sealer(scenario, new SealingOptions { LeaseWait = TimeSpan.FromMilliseconds(600) });

        // Another server took the lease and is still within it.
        await SetLeaseAsync(scenario, contract.Id, "another-server-holder", DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        var busy = await sealer.SealAsync(contract.Id);

        Assert.Equal(ErrorKind.Unavailable, busy.Error?.Kind);
        Assert.Equal($"{contract.Reference} is being sealed by another server right now; its sealed PDF will be there in a moment. Try again then.", busy.Error!.Message);
        Assert.DoesNotContain(log.Messages(LogLevel.Information), m => m.StartsWith(Building, StringComparison.Ordinal));
        Assert.Equal(blobsBefore, scenario.StoredBlobs().Count);
        Assert.Null(await scenario.SealedDocumentAsync(contract.Id));
        await using (var db = scenario.Database())
        {
            Assert.Equal("another-server-holder", await db.Contracts.Where(c => c.Id == contract.Id).Select(c => c.SealingLeaseHolder).SingleAsync());
        }

        // That server died: once its lease has ended, the next attempt takes it over and seals.
        await SetLeaseAsync(scenario, contract.Id, "another-server-holder", DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
        var taken = await sealer.SealAsync(contract.Id);

        Assert.True(taken.Succeeded, taken.Error?.Message);
        Assert.Equal(taken.Value!.Id, (await scenario.SealedDocumentAsync(contract.Id))!.Id);
        Assert.Equal(blobsBefore + 1, scenario.StoredBlobs().Count);
        await using (var db = scenario.Database())
        {
            Assert.Null(await db.Contracts.Where(c => c.Id == contract.Id).Select(c => c.SealingLeaseHolder).SingleAsync());
        }
    }

    [Fact]
    public async Task A_sealer_waiting_for_the_lease_returns_the_holders_pdf_once_it_is_there()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");
        var (log, waiting) = Sealer(scenario, new SealingOptions { LeaseWait = TimeSpan.FromSeconds(30) });
        await SetLeaseAsync(scenario, contract.Id, "another-server-holder", DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));

        var waited = Task.Run(() => waiting.SealAsync(contract.Id));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waited.IsCompleted, "The sealer waits while the lease is held.");

        // The lease ends and a sealer seals: the waiting one returns that PDF, or is the one that seals.
        await SetLeaseAsync(scenario, contract.Id, null, null);
        var (holderLog, holder) = Sealer(scenario, new SealingOptions());
        var (sealedOutcome, waitedOutcome) = (await holder.SealAsync(contract.Id), await waited);

        Assert.True(waitedOutcome.Succeeded, waitedOutcome.Error?.Message);
        Assert.Equal(sealedOutcome.Value!.Id, waitedOutcome.Value!.Id);
        await using var db = scenario.Database();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed));
        Assert.Equal(1, log.Messages(LogLevel.Information).Concat(holderLog.Messages(LogLevel.Information)).Count(m => m.StartsWith(Building, StringComparison.Ordinal)));
    }

    /// <summary>A sealing service of its own (as on another server) on the scenario's database and store, logging to its own log.</summary>
    private static (RecordingLogger Log, SealingService Sealer) Sealer(SealingScenario scenario, SealingOptions options)
    {
        var log = new RecordingLogger();
        var logger = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Information)).CreateLogger<SealingService>();
        return (log, ActivatorUtilities.CreateInstance<SealingService>(scenario.App.Services, logger, Options.Create(options)));
    }

    private static async Task SetLeaseAsync(SealingScenario scenario, Guid contractId, string? holder, DateTimeOffset? until)
    {
        await using var db = scenario.Database();
        await db.Contracts.Where(c => c.Id == contractId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.SealingLeaseHolder, holder).SetProperty(c => c.SealingLeaseUntil, until));
    }
}
