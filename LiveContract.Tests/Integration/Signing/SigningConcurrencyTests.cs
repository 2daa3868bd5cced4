using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Signing;
using LiveContract.Tests.Integration.LiveSessions;

namespace LiveContract.Tests.Integration.Signing;

/// <summary>Signers pressing Sign at the same instant, on each database as it runs in production (PostgreSQL read committed, SQLite WAL).</summary>
public sealed class SigningConcurrencyTests
{
    private const int Rounds = 10;

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Both_signers_at_the_same_instant_give_two_signatures_and_one_signed_transition(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        for (var round = 0; round < Rounds; round++)
        {
            var session = await scenario.StartInReviewAsync(customerEmail: $"customer{round}@example.com");
            var start = new TaskCompletionSource();

            var customer = Task.Run(async () => { await start.Task; return await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest()); });
            var advisor = Task.Run(async () => { await start.Task; return await scenario.SignAsync(scenario.Advisor, session.SessionId, SigningScenario.AdvisorRequest()); });
            start.SetResult();
            var outcomes = await Task.WhenAll(customer, advisor);

            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
            Assert.Single(outcomes, o => o.Value!.ContractSigned);
            Assert.Equal([SignerRole.Customer, SignerRole.Advisor], (await scenario.SignaturesAsync(session.ContractId)).Select(s => s.Role).Order());
            Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned));
            Assert.Equal(2, (await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded)).Count);
            Assert.Equal(ContractStatus.Signed, (await scenario.ContractAsync(session.ContractId)).Status);
            Assert.True((await scenario.VerifyChainAsync(session.ContractId)).IsOk);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_same_signer_twice_at_once_gives_one_signature_and_both_calls_succeed_with_it(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        for (var round = 0; round < Rounds; round++)
        {
            var session = await scenario.StartInReviewAsync(advisorMustSign: round % 2 == 0, customerEmail: $"customer{round}@example.com");
            var start = new TaskCompletionSource();

            var tabs = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest());
            })).ToList();
            start.SetResult();
            var outcomes = await Task.WhenAll(tabs);

            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
            var signature = Assert.Single(await scenario.SignaturesAsync(session.ContractId));
            Assert.All(outcomes, o => Assert.Equal(signature.Id, o.Value!.Signature.Id));
            Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.SignatureRecorded));
            var customerOnly = round % 2 != 0;
            Assert.Equal(customerOnly ? 1 : 0, outcomes.Count(o => o.Value!.ContractSigned));
            Assert.Equal(customerOnly ? 1 : 0, (await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned)).Count);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Many_tabs_of_both_signers_at_once_still_sign_the_contract_exactly_once(DatabaseProvider provider)
    {
        await using var scenario = await SigningScenario.CreateAsync(provider);
        var session = await scenario.StartInReviewAsync();
        var start = new TaskCompletionSource();

        var calls = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return i % 2 == 0
                ? await scenario.SignAsync(session.Customer, session.SessionId, SigningScenario.CustomerRequest())
                : await scenario.SignAsync(scenario.Advisor, session.SessionId, SigningScenario.AdvisorRequest());
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(calls);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.Single(outcomes, o => o.Value!.ContractSigned);
        Assert.Equal(2, (await scenario.SignaturesAsync(session.ContractId)).Count);
        Assert.Single(await scenario.AuditAsync(session.ContractId, AuditEventTypes.ContractSigned));
        Assert.Equal(2, outcomes.Select(o => o.Value!.Signature.Id).Distinct().Count());
        LiveSessionScenario.Accepted(await scenario.Signing.GetStateAsync(scenario.Advisor, session.SessionId));
    }
}
