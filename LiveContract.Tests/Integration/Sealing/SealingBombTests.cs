using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>A document over the expansion caps that got past the upload check (stored before it existed, or put straight into the store) when its contract is sealed.</summary>
public sealed class SealingBombTests
{
    private const string Reason =
        "'bomb.pdf' is over the limits of what a document may expand to. This PDF has a part that expands to more than 64 MB when decompressed, the most one part may have. Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.";

    [Fact]
    public async Task Sealing_a_document_over_the_caps_fails_once_with_its_reason_and_is_not_retried_at_start_up_or_by_the_sweep()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        using var folder = new TempDirectory();
        var bomb = folder.Combine("bomb.pdf");
        PdfBombs.WriteContentBomb(bomb, PdfBombs.OneGiB);
        var contract = await scenario.Live.CreateContractAsync(null, "lukasz@example.com", "single-page-google-drive.pdf");
        await ReplaceStoredDocumentAsync(scenario, contract.Id, bomb);
        LiveSessionScenario.Accepted(await scenario.App.Services.GetRequiredService<ContractService>()
            .UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        await scenario.SignAsync(contract.Id);

        scenario.App.Services.GetRequiredService<ISealRequests>().Request(contract.Id);

        var refusal = await WaitForRefusalAsync(scenario, contract.Id);
        using (var data = JsonDocument.Parse(refusal.Data))
        {
            Assert.Equal(Reason, data.RootElement.GetProperty("reason").GetString());
        }

        Assert.Null(await scenario.SealedDocumentAsync(contract.Id));
        var state = LiveSessionScenario.Accepted(await scenario.App.Services.GetRequiredService<SigningService>().GetContractStateAsync(scenario.Advisor, contract.Id));
        Assert.Equal($"This contract cannot be sealed: {Reason}", state.SealingProblem);

        // What a server start (or the periodic sweep) would queue, and a server starting now.
        Assert.Empty(await scenario.App.Services.GetRequiredService<SealingWorker>().FindUnsealedAsync(CancellationToken.None));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLogger();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        using (var starting = new SealingWorker(scenario.Sealing, scenario.App.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(), clock, loggers.CreateLogger<SealingWorker>()))
        {
            await starting.StartAsync(CancellationToken.None);
            await Task.Delay(1500);
            clock.Advance(SealingWorker.SweepInterval);
            await Task.Delay(1500);
            await starting.StopAsync(CancellationToken.None);
        }

        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Information);
        Assert.Single(await RefusalsAsync(scenario, contract.Id));

        // "Seal now" checks again and answers with the same reason, recording nothing more.
        var sealNow = await scenario.Sealing.SealAsync(scenario.Advisor, contract.Id);
        Assert.Equal(ErrorKind.Conflict, sealNow.Error?.Kind);
        Assert.Equal($"{contract.Reference} cannot be sealed: {Reason} Nothing was sealed, and it is not retried by itself.", sealNow.Error!.Message);
        Assert.Single(await RefusalsAsync(scenario, contract.Id));
        Assert.Null(await scenario.SealedDocumentAsync(contract.Id));
    }

    /// <summary>Puts <paramref name="path"/> into the document store in place of the contract's only document, below the upload check.</summary>
    private static async Task ReplaceStoredDocumentAsync(SealingScenario scenario, Guid contractId, string path)
    {
        await using var file = File.OpenRead(path);
        var storageKey = await scenario.App.Services.GetRequiredService<EncryptedDocumentStorage>().SaveAsync(file);
        await using var db = scenario.Database();
        var document = await db.Documents.SingleAsync(d => d.ContractId == contractId);
        document.StorageKey = storageKey;
        document.FileName = Path.GetFileName(path);
        document.Size = file.Length;
        file.Position = 0;
        document.Sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file));
        await db.SaveChangesAsync();
    }

    private static async Task<List<AuditEvent>> RefusalsAsync(SealingScenario scenario, Guid contractId)
    {
        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contractId);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream && e.Type == AuditEventTypes.SealingRefused).ToListAsync();
    }

    private static async Task<AuditEvent> WaitForRefusalAsync(SealingScenario scenario, Guid contractId)
    {
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if ((await RefusalsAsync(scenario, contractId)).SingleOrDefault() is { } refusal)
            {
                return refusal;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Sealing contract {contractId} was not refused within {LiveSessionScenario.Patience.TotalSeconds} s.");
    }
}
