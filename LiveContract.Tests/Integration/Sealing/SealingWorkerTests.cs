using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveContract.Tests.Integration.Sealing;

public sealed class SealingWorkerTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task After_a_crash_between_signing_and_sealing_the_next_start_seals_every_signed_contract(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);

        // Signed after this server's start-up check, and nobody asked for sealing: as if the
        // server died right after the Signed transition.
        var first = await scenario.SignedAsync("single-page-google-drive.pdf");
        var second = await scenario.SignedAsync("rotated-90.pdf");
        var unsealed = await scenario.App.Services.GetRequiredService<SealingWorker>().FindUnsealedAsync(CancellationToken.None);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), unsealed.Order());

        await scenario.Live.RestartAsync();

        var sealedFirst = await scenario.WaitForSealedAsync(first.Id);
        var sealedSecond = await scenario.WaitForSealedAsync(second.Id);
        var report = await SealingTestTools.PdfSigAsync(await scenario.ReadStoredAsync(sealedSecond.StorageKey));
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.NotEqual(sealedFirst.Id, sealedSecond.Id);
        Assert.Empty(await scenario.App.Services.GetRequiredService<SealingWorker>().FindUnsealedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_request_is_sealed_promptly_in_the_background()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");

        scenario.App.Services.GetRequiredService<ISealRequests>().Request(contract.Id);
        scenario.App.Services.GetRequiredService<ISealRequests>().Request(contract.Id);

        var started = DateTime.UtcNow;
        var document = await scenario.WaitForSealedAsync(contract.Id);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
        await Task.Delay(500);
        await using var db = scenario.Database();
        Assert.Equal(document.Id, (await db.Documents.AsNoTracking().SingleAsync(d => d.ContractId == contract.Id && d.Kind == DocumentKind.Sealed)).Id);
    }

    [Fact]
    public async Task A_contract_left_unsealed_by_a_server_that_died_is_sealed_by_the_periodic_sweep_without_a_restart()
    {
        await using var scenario = await SealingScenario.CreateAsync();

        // Another server in the cluster: its start-up check runs before the contract is signed.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var other = new SealingWorker(
            scenario.Sealing,
            scenario.App.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>(),
            clock,
            NullLogger<SealingWorker>.Instance);
        await other.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(1000);

            // Signed, and the server that signed it died before sealing it.
            var contract = await scenario.SignedAsync("single-page-google-drive.pdf");
            await Task.Delay(500);
            Assert.Null(await scenario.SealedDocumentAsync(contract.Id));

            clock.Advance(SealingWorker.SweepInterval);

            var document = await scenario.WaitForSealedAsync(contract.Id);
            Assert.Equal(contract.Id, document.ContractId);
        }
        finally
        {
            await other.StopAsync(CancellationToken.None);
        }
    }
}
