using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Components;

/// <summary>The per-circuit client's field values: shown at once, coalesced on the way, converging on both sides, saved on commit.</summary>
public sealed class LiveSessionClientFieldsTests : LiveSessionTestContext
{
    private readonly Guid fullNameId = Guid.NewGuid();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            db.Fields.Add(new Field
            {
                Id = fullNameId,
                ContractId = ContractId,
                DocumentId = ClaimFormId,
                Page = 1,
                Left = 72,
                Bottom = 600,
                Width = 200,
                Height = 20,
                Kind = FieldKind.Text,
                Label = "Full name",
                Party = FieldParty.Customer,
                Required = true,
            });
            await db.SaveChangesAsync();
        }

        var review = await Context.Services.GetRequiredService<ContractService>().UpdateAsync(Advisor, ContractId, new ContractChanges(Status: ContractStatus.Review));
        Assert.True(review.Succeeded, review.Error?.Message);
    }

    [Fact]
    public async Task Typing_shows_at_once_sends_the_last_value_coalesced_and_commit_saves_it()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);
        Assert.Equal([fullNameId], client.State!.Fields.Select(f => f.Id));

        var keystrokes = new[] { "C", "Ch", "Chl", "Chlo", "Chloé" }.Select(v => client.SetFieldValueAsync(fullNameId, v)).ToList();
        Assert.Equal("Chloé", client.State!.FieldValues[fullNameId].Value);
        Assert.All(await Task.WhenAll(keystrokes), Assert.Null);

        await WaitUntilAsync(() => advisor.State!.FieldValues.GetValueOrDefault(fullNameId)?.Value == "Chloé", "the advisor sees the last value");
        Assert.InRange(advisor.State!.FieldValues[fullNameId].Version, 1, 2);
        Assert.Equal(CustomerName, advisor.State.FieldValues[fullNameId].SetByName);
        Assert.Equal(advisor.State.FieldValues[fullNameId], client.State!.FieldValues[fullNameId]);

        Assert.Null(await client.CommitFieldAsync(fullNameId));
        await using var db = await Context.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync();
        Assert.Equal("Chloé", (await db.FieldValues.SingleAsync()).Value);
    }

    [Fact]
    public async Task A_refused_value_shows_the_sessions_value_again_and_says_why()
    {
        var (sessionId, customer) = await StartSessionAsync();
        var advisor = await JoinAsync(AdvisorCaller, sessionId);
        var client = await JoinAsync(customer, sessionId);

        Assert.Equal(LiveSessionErrors.OtherPartysField, await advisor.SetFieldValueAsync(fullNameId, "Victor"));
        Assert.False(advisor.State!.FieldValues.ContainsKey(fullNameId));

        Assert.True((await advisor.GuideToFieldAsync(fullNameId)).Succeeded);
        await WaitUntilAsync(() => client.State!.Guide?.FieldId == fullNameId, "the customer is guided to the field");
        Assert.Equal((ClaimFormId, 1), (client.State!.Guide!.DocumentId, client.State.Guide.Page));

        Assert.True((await client.FocusFieldAsync(fullNameId)).Succeeded);
        await WaitUntilAsync(() => advisor.State!.FieldFocus.Any(m => m.FieldId == fullNameId && m.DisplayName == CustomerName), "the advisor sees where the customer is");
    }
}
