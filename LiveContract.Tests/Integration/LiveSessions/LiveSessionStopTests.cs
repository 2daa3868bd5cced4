using LiveContract.Core.Data;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>Stopping the real app writes what its live sessions have not saved yet.</summary>
public sealed class LiveSessionStopTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Stopping_the_app_saves_a_position_that_was_not_saved_yet(DatabaseProvider provider)
    {
        // A save interval no test reaches: only the stop can write the position.
        await using var scenario = await LiveSessionScenario.CreateAsync(provider, new Dictionary<string, string?> { ["LiveSessions:SaveInterval"] = "01:00:00" });
        var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages, LiveSessionScenario.FivePages]);
        var started = await scenario.StartAsync(contract.Id);
        var annex = contract.Documents[1].Id;
        var access = LiveSessionScenario.Accepted(await scenario.Sessions.OpenForAsync(scenario.AdvisorCaller, started.Session.Id));
        var joined = LiveSessionScenario.Accepted(await scenario.Coordinator.JoinAsync(started.Session.Id, access.Participant, "advisor-tab", _ => ValueTask.CompletedTask));
        LiveSessionScenario.Accepted(await scenario.Coordinator.ChangePageAsync(started.Session.Id, "advisor-tab", annex, 4));
        var store = scenario.App.Services.GetRequiredService<ILiveSessionStateStore>();
        var before = await store.LoadAsync(started.Session.Id);

        await scenario.RestartAsync();

        Assert.NotEqual((annex, 4), (before?.DocumentId, before?.Page));
        var saved = await scenario.App.Services.GetRequiredService<ILiveSessionStateStore>().LoadAsync(started.Session.Id);
        Assert.Equal((annex, 4), (saved!.DocumentId, saved.Page));
        Assert.Equal(SubscriptionEnd.CoordinatorStopped, await joined.Subscription.Completion);
    }
}
