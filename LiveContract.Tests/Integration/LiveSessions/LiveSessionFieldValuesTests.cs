using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Fields;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.Signing;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>Field values filled live through the hub and the API, on the real app and database: shared, refused alike, durable, restored, and frozen by the first signature.</summary>
public sealed class LiveSessionFieldValuesTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Values_are_shared_refused_alike_saved_restored_and_frozen_by_the_first_signature(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var (contract, fullName, agree, advisorNumber) = await ContractWithFieldsAsync(scenario);
        var other = await ContractWithFieldsAsync(scenario);
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        var advisorToken = await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.UserId);
        await using var advisorHub = await SessionHubClient.ConnectAsync(scenario.App, advisorToken);
        var customerHub = await SessionHubClient.ConnectAsync(scenario.App, token);
        using var advisorApi = ApiClient.WithToken(scenario.App, advisorToken);
        using var customerApi = ApiClient.WithToken(scenario.App, token);

        var joined = await advisorHub.JoinAsync(started.Session.Id);
        await customerHub.JoinAsync(started.Session.Id);
        Assert.Equal([fullName.Id, agree.Id, advisorNumber.Id], joined.Fields.Select(f => f.Id));
        Assert.Equal(("Full name", FieldParty.Customer, true), (joined.Fields[0].Label, joined.Fields[0].Party, joined.Fields[0].Required));
        Assert.Empty(joined.FieldValues);
        Assert.False(joined.FieldsFrozen);

        // The customer types; the advisor sees each value with its version and problem.
        Assert.Equal(1, await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "C\nD"));
        Assert.Equal(2, await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "Chloé <b>Dupont</b>"));
        await customerHub.Connection.InvokeAsync<long>("FieldFocus", fullName.Id);
        var typed = await advisorHub.WaitForAsync("fieldValue", v => v.GetProperty("valueVersion").GetInt64() == 1);
        Assert.Equal(("C\nD", "Full name must be a single line."), (typed.GetProperty("value").GetString(), typed.GetProperty("problem").GetString()));
        var valid = await advisorHub.WaitForAsync("fieldValue");
        Assert.Equal((fullName.Id, "Chloé <b>Dupont</b>", 2L, JsonValueKind.Null), (valid.GetProperty("fieldId").GetGuid(), valid.GetProperty("value").GetString(), valid.GetProperty("valueVersion").GetInt64(), valid.GetProperty("problem").ValueKind));
        var focus = await advisorHub.WaitForAsync("fieldFocus");
        Assert.Equal((fullName.Id, "Chloé Dupont"), (focus.GetProperty("fieldId").GetGuid(), focus.GetProperty("displayName").GetString()));

        // The same refusals, the same sentences, on the hub and the API.
        await AssertRefusedAlikeAsync(customerHub, customerApi, contract.Id, advisorNumber.Id, "42", HttpStatusCode.Forbidden, "That field is for the other party to fill in.");
        await AssertRefusedAlikeAsync(customerHub, customerApi, contract.Id, agree.Id, "maybe", HttpStatusCode.BadRequest, "I agree is a checkbox: its value is \"true\" (ticked) or empty.");
        await AssertRefusedAlikeAsync(
            customerHub, customerApi, contract.Id, fullName.Id, new string('x', FieldValueRules.HardMaxLength + 1), HttpStatusCode.BadRequest, "Full name cannot hold more than 10,000 characters.");
        await AssertRefusedAlikeAsync(
            customerHub, customerApi, contract.Id, fullName.Id, "Chlo\u0000é", HttpStatusCode.BadRequest, "Full name cannot hold control characters (other than line breaks and tabs) or broken characters.");
        await AssertRefusedAlikeAsync(advisorHub, advisorApi, contract.Id, other.FullName.Id, "x", HttpStatusCode.NotFound, "That field is not part of this contract.");
        using (var otherContract = await customerApi.PutAsJsonAsync($"api/contracts/{other.Contract.Id}/fields/{other.FullName.Id}/value", new { value = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, otherContract.StatusCode);
            Assert.Equal("That contract does not exist or is not yours.", await otherContract.ProblemDetailAsync());
        }

        // The advisor fills an advisor field through the API: the customer sees it, and it is durable at once.
        using (var put = await advisorApi.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{advisorNumber.Id}/value", new { value = "A-42" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(new FieldValueResponse("A-42", 1, null), await put.ReadAsync<FieldValueResponse>());
        }

        var fromApi = await customerHub.WaitForAsync("fieldValue", v => v.GetProperty("fieldId").GetGuid() == advisorNumber.Id);
        Assert.Equal("Advisor", fromApi.GetProperty("actor").GetProperty("role").GetString());
        // A commit answers without waiting for the write; the value is durable and audited with the next batch.
        await customerHub.Connection.InvokeAsync<long>("CommitField", fullName.Id);
        await WaitUntilAsync(async () =>
        {
            await using var db = scenario.Database();
            return await db.AuditEvents.CountAsync(e => e.Type == AuditEventTypes.FieldValueSet) == 2;
        });
        await using (var db = scenario.Database())
        {
            var rows = await db.FieldValues.AsNoTracking().OrderBy(v => v.Version).ToListAsync();
            Assert.Equal([(advisorNumber.Id, "A-42", 1L, FieldParty.Advisor), (fullName.Id, "Chloé <b>Dupont</b>", 2L, FieldParty.Customer)], rows.Select(r => (r.FieldId, r.Value, r.Version, r.SetByParty)));
            var audits = await db.AuditEvents.AsNoTracking().Where(e => e.Type == AuditEventTypes.FieldValueSet).ToListAsync();
            Assert.Equal(2, audits.Count);
            Assert.Contains(audits, a => a.ActorRole == AuditActor.CustomerRole && a.Data.Contains("\"version\":2") && a.Data.Contains("\"label\":\"Full name\""));
        }

        // After a restart the session opens with the stored values.
        await customerHub.DisposeAsync();
        await advisorHub.DisposeAsync();
        await scenario.RestartAsync();
        await using var restarted = await SessionHubClient.ConnectAsync(scenario.App, token);
        using var customerApiAfter = ApiClient.WithToken(scenario.App, token);
        using var advisorApiAfter = ApiClient.WithToken(scenario.App, advisorToken);
        var rejoined = await restarted.JoinAsync(started.Session.Id);
        Assert.Equal(
            [(fullName.Id, "Chloé <b>Dupont</b>", 2L, "Chloé Dupont"), (advisorNumber.Id, "A-42", 1L, "Victor Advisor")],
            rejoined.FieldValues.OrderByDescending(v => v.Version).Select(v => (v.FieldId, v.Value, v.Version, v.SetByName)));

        // Signing needs the signer's required fields; the signature keeps the values' fingerprint; then they are frozen.
        var signing = await SigningScenarioFor(scenario, token);
        var refused = await scenario.App.Services.GetRequiredService<Core.Signing.SigningService>()
            .SignAsync(signing, started.Session.Id, SigningScenario.CustomerRequest());
        Assert.Equal("Fill in the required fields first: I agree.", refused.Error?.Message);
        Assert.Equal(3, await restarted.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "Chloé Dupont"));
        await restarted.Connection.InvokeAsync<long>("FieldValue", agree.Id, "true");
        var signed = await scenario.App.Services.GetRequiredService<Core.Signing.SigningService>()
            .SignAsync(signing, started.Session.Id, SigningScenario.CustomerRequest());
        Assert.True(signed.Succeeded, signed.Error?.Message);

        await using (var db = scenario.Database())
        {
            var signature = await db.Signatures.AsNoTracking().SingleAsync();
            var stored = await ContractFieldValues.LoadAsync(db, contract.Id);
            Assert.Equal(FieldValuesHash.Compute(stored.Fields, stored.Texts), signature.FieldValuesSha256);
            Assert.Equal("Chloé Dupont", stored.Texts[fullName.Id]);
            var recorded = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Type == AuditEventTypes.SignatureRecorded);
            using var data = JsonDocument.Parse(recorded.Data);
            Assert.Equal(signature.FieldValuesSha256, data.RootElement.GetProperty("fieldValuesSha256").GetString());
        }

        await restarted.WaitForAsync("contractSigned");
        await AssertRefusedAlikeAsync(restarted, customerApiAfter, contract.Id, fullName.Id, "Chloé", HttpStatusCode.Conflict, "The fields cannot change any more: the contract has been signed.");
        using (var frozen = await advisorApiAfter.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{advisorNumber.Id}/value", new { value = "A-43" }))
        {
            Assert.Equal("The fields cannot change any more: the contract has been signed.", await frozen.ProblemDetailAsync());
        }

        Assert.True((await scenario.Coordinator.GetSnapshotAsync(started.Session.Id))!.FieldsFrozen);
    }

    [Fact]
    public async Task A_flood_of_values_on_one_connection_is_refused_without_touching_other_sessions()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(settings: new Dictionary<string, string?> { ["LiveSessions:FieldChangesPerSecond"] = "3" });
        var first = await ContractWithFieldsAsync(scenario);
        var second = await ContractWithFieldsAsync(scenario);
        await using var flooding = await SessionHubClient.ConnectAsync(scenario.App, LiveSessionScenario.TokenOf((await scenario.StartAsync(first.Contract.Id)).CustomerLink));
        await using var calm = await SessionHubClient.ConnectAsync(scenario.App, LiveSessionScenario.TokenOf((await scenario.StartAsync(second.Contract.Id)).CustomerLink));
        await flooding.JoinAsync((await scenario.Sessions.GetActiveAsync(scenario.Advisor, first.Contract.Id))!.Id);
        await calm.JoinAsync((await scenario.Sessions.GetActiveAsync(scenario.Advisor, second.Contract.Id))!.Id);

        for (var i = 0; i < 3; i++)
        {
            await flooding.Connection.InvokeAsync<long>("FieldValue", first.FullName.Id, $"Chloé {i}");
        }

        Assert.Contains("Fields are changing too quickly; wait a moment and try again.", await flooding.RefusalAsync("FieldValue", first.FullName.Id, "one too many"));
        Assert.Equal(1, await calm.Connection.InvokeAsync<long>("FieldValue", second.FullName.Id, "Chloé"));
    }

    [Fact]
    public async Task The_first_signature_waits_for_the_other_partys_required_fields_which_it_would_freeze()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var (contract, fullName, agree, advisorReference) = await ContractWithFieldsAsync(scenario, advisorFieldRequired: true);
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        await using var customerHub = await SessionHubClient.ConnectAsync(scenario.App, token);
        await customerHub.JoinAsync(started.Session.Id);
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "Chloé Dupont");
        await customerHub.Connection.InvokeAsync<long>("FieldValue", agree.Id, "true");
        var signing = scenario.App.Services.GetRequiredService<Core.Signing.SigningService>();
        var customer = await SigningScenarioFor(scenario, token);

        var refused = await signing.SignAsync(customer, started.Session.Id, SigningScenario.CustomerRequest());
        Assert.Equal("The advisor must fill in their required fields before the first signature, which freezes every value: Advisor number.", refused.Error?.Message);
        await using (var db = scenario.Database())
        {
            Assert.False(await db.Signatures.AnyAsync(s => s.ContractId == contract.Id));
        }

        var advisorToken = await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.UserId);
        using var advisorApi = ApiClient.WithToken(scenario.App, advisorToken);
        using (var put = await advisorApi.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{advisorReference.Id}/value", new { value = "A-42" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var signed = await signing.SignAsync(customer, started.Session.Id, SigningScenario.CustomerRequest());
        Assert.True(signed.Succeeded, signed.Error?.Message);
    }

    [Fact]
    public async Task A_french_callers_refusal_is_in_french_while_the_problem_everyone_shares_stays_english()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var (contract, fullName, agree, _) = await ContractWithFieldsAsync(scenario);
        var started = await scenario.StartAsync(contract.Id);
        var advisorToken = await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.UserId);
        await using var advisorHub = await SessionHubClient.ConnectAsync(scenario.App, advisorToken);
        await advisorHub.JoinAsync(started.Session.Id);
        using var customerApi = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = scenario.App.BaseAddress };
        customerApi.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", LiveSessionScenario.TokenOf(started.CustomerLink));
        customerApi.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Dfr%7Cuic%3Dfr");

        using (var refused = await customerApi.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{agree.Id}/value", new { value = "peut-être" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("I agree est une case à cocher : sa valeur est « true » (cochée) ou vide.", await refused.ProblemDetailAsync());
        }

        using (var kept = await customerApi.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{fullName.Id}/value", new { value = "C\nD" }))
        {
            Assert.Equal(new FieldValueResponse("C\nD", 1, "Full name must be a single line."), await kept.ReadAsync<FieldValueResponse>());
        }

        var shared = await advisorHub.WaitForAsync("fieldValue");
        Assert.Equal(("C\nD", "Full name must be a single line."), (shared.GetProperty("value").GetString(), shared.GetProperty("problem").GetString()));
    }

    [Fact]
    public async Task A_value_reaches_the_audit_trail_when_committed_once_while_the_other_side_sees_every_value()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var (contract, fullName, _, advisorNumber) = await ContractWithFieldsAsync(scenario);
        var started = await scenario.StartAsync(contract.Id);
        var advisorToken = await LiveSessionApiHarness.ApiTokenAsync(scenario.App, scenario.Advisor.UserId);
        await using var advisorHub = await SessionHubClient.ConnectAsync(scenario.App, advisorToken);
        await using var customerHub = await SessionHubClient.ConnectAsync(scenario.App, LiveSessionScenario.TokenOf(started.CustomerLink));
        using var advisorApi = ApiClient.WithToken(scenario.App, advisorToken);
        await advisorHub.JoinAsync(started.Session.Id);
        await customerHub.JoinAsync(started.Session.Id);

        // The customer types; the advisor sees each value as it comes, and the last one is saved for resuming, not audited.
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "12 rue");
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "12 rue de la Paix");
        Assert.Equal("12 rue", (await advisorHub.WaitForAsync("fieldValue", v => v.GetProperty("valueVersion").GetInt64() == 1)).GetProperty("value").GetString());
        Assert.Equal("12 rue de la Paix", (await advisorHub.WaitForAsync("fieldValue", v => v.GetProperty("valueVersion").GetInt64() == 2)).GetProperty("value").GetString());
        await WaitUntilAsync(async () =>
        {
            await using var db = scenario.Database();
            return await db.FieldValues.AnyAsync(v => v.FieldId == fullName.Id && v.Version == 2);
        });
        Assert.Empty(await AuditedValuesAsync(scenario, contract.Id, fullName.Id));

        // Leaving the field commits its value: one event, with the final value.
        await customerHub.Connection.InvokeAsync<long>("CommitField", fullName.Id);
        await WaitUntilAsync(async () => (await AuditedValuesAsync(scenario, contract.Id, fullName.Id)).Count > 0);
        Assert.Equal(["12 rue de la Paix"], await AuditedValuesAsync(scenario, contract.Id, fullName.Id));

        // Changed and changed back, then left again: the same value is not audited twice. (The
        // advisor's value through the API waits for the store, which writes the session's saves in order.)
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "12 rue de la Paix,");
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "12 rue de la Paix");
        await customerHub.Connection.InvokeAsync<long>("CommitField", fullName.Id);
        await customerHub.Connection.InvokeAsync<long>("CommitField", fullName.Id);
        using (var put = await advisorApi.PutAsJsonAsync($"api/contracts/{contract.Id}/fields/{advisorNumber.Id}/value", new { value = "A-42" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(["12 rue de la Paix"], await AuditedValuesAsync(scenario, contract.Id, fullName.Id));
        Assert.Equal(["A-42"], await AuditedValuesAsync(scenario, contract.Id, advisorNumber.Id));

        // A value still being typed when the session ends is committed by the end.
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "12 rue de la Paix, Paris");
        await advisorHub.WaitForAsync("fieldValue", v => v.GetProperty("value").GetString() == "12 rue de la Paix, Paris");
        LiveSessionScenario.Accepted(await scenario.Sessions.EndAsync(scenario.Advisor, started.Session.Id));
        await WaitUntilAsync(async () => (await AuditedValuesAsync(scenario, contract.Id, fullName.Id)).Count > 1);
        Assert.Equal(["12 rue de la Paix", "12 rue de la Paix, Paris"], await AuditedValuesAsync(scenario, contract.Id, fullName.Id));
        Assert.Equal(["A-42"], await AuditedValuesAsync(scenario, contract.Id, advisorNumber.Id));
        await using var check = scenario.Database();
        Assert.True((await AuditTrail.VerifyAsync(check, AuditStreams.Contract(contract.Id))).IsOk);
    }

    [Fact]
    public async Task Signing_commits_the_values_typed_but_not_left_before_the_signature()
    {
        await using var scenario = await LiveSessionScenario.CreateAsync();
        var (contract, fullName, agree, _) = await ContractWithFieldsAsync(scenario);
        var started = await scenario.StartAsync(contract.Id);
        var token = LiveSessionScenario.TokenOf(started.CustomerLink);
        await using var customerHub = await SessionHubClient.ConnectAsync(scenario.App, token);
        await customerHub.JoinAsync(started.Session.Id);
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "Chloé");
        await customerHub.Connection.InvokeAsync<long>("FieldValue", fullName.Id, "Chloé Dupont");
        await customerHub.Connection.InvokeAsync<long>("FieldValue", agree.Id, "true");

        var signed = await scenario.App.Services.GetRequiredService<Core.Signing.SigningService>()
            .SignAsync(await SigningScenarioFor(scenario, token), started.Session.Id, SigningScenario.CustomerRequest());

        Assert.True(signed.Succeeded, signed.Error?.Message);
        Assert.Equal(["Chloé Dupont"], await AuditedValuesAsync(scenario, contract.Id, fullName.Id));
        Assert.Equal(["true"], await AuditedValuesAsync(scenario, contract.Id, agree.Id));
        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contract.Id);
        var types = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream).OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync();
        Assert.True(types.LastIndexOf(AuditEventTypes.FieldValueSet) < types.IndexOf(AuditEventTypes.SignatureRecorded), string.Join(", ", types));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task The_store_saves_the_waiting_contracts_in_one_transaction_and_one_refused_contract_does_not_hold_back_the_others(DatabaseProvider provider)
    {
        await using var scenario = await LiveSessionScenario.CreateAsync(provider);
        var contracts = new List<(ContractDetails Contract, Field FullName, Field Agree, Field AdvisorNumber)>();
        for (var i = 0; i < 4; i++)
        {
            contracts.Add(await ContractWithFieldsAsync(scenario));
        }

        // A draft's values are refused by the database itself (migration FieldGuards), as after a signature.
        var draft = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages]);
        var draftField = NewField(draft.Id, draft.Documents[0].Id, FieldKind.Text, "Full name", FieldParty.Customer, top: 700);
        await using (var db = scenario.Database())
        {
            db.Fields.Add(draftField);
            await db.SaveChangesAsync();
        }

        // The first save holds the writer; the next ones (four contracts, eleven values) wait and go together.
        var databases = new HeldDatabases(scenario.App.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>());
        var store = new EfFieldValueStore(databases, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<EfFieldValueStore>.Instance);
        var first = store.SaveAsync(contracts[0].Contract.Id, [Save(contracts[0].FullName, "Anna", 1)]);
        await databases.FirstAsked;
        var waiting = contracts.Skip(1).Select(c => store.SaveAsync(c.Contract.Id, [Save(c.FullName, "Bea", 1), Save(c.Agree, "true", 1), Save(c.AdvisorNumber, "A-1", 1)])).ToList();
        waiting.Add(store.SaveAsync(contracts[0].Contract.Id, [Save(contracts[0].FullName, "Anna Maria", 2), Save(contracts[0].FullName, "Ann", 1)]));
        databases.Release();
        await first;
        await Task.WhenAll(waiting);
        Assert.Equal(2, databases.Created);

        // One contract refused among the waiting ones: the others are saved all the same, each on its own.
        databases = new HeldDatabases(scenario.App.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>());
        store = new EfFieldValueStore(databases, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<EfFieldValueStore>.Instance);
        first = store.SaveAsync(contracts[1].Contract.Id, [Save(contracts[1].FullName, "Bea Two", 2)]);
        await databases.FirstAsked;
        var refused = store.SaveAsync(draft.Id, [Save(draftField, "Dora", 1)]);
        var others = contracts.Skip(2).Select(c => store.SaveAsync(c.Contract.Id, [Save(c.FullName, "Cleo", 2)])).ToList();
        databases.Release();
        await first;
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => refused);
        await Task.WhenAll(others);
        Assert.Equal(2 + 3, databases.Created);

        await using var check = scenario.Database();
        var rows = await check.FieldValues.AsNoTracking().ToDictionaryAsync(v => v.FieldId);
        Assert.Equal(("Anna Maria", 2L), (rows[contracts[0].FullName.Id].Value, rows[contracts[0].FullName.Id].Version));
        Assert.Equal(("Bea Two", 2L), (rows[contracts[1].FullName.Id].Value, rows[contracts[1].FullName.Id].Version));
        Assert.All(contracts.Skip(2), c => Assert.Equal(("Cleo", 2L), (rows[c.FullName.Id].Value, rows[c.FullName.Id].Version)));
        Assert.All(contracts.Skip(1), c => Assert.Equal(("true", "A-1"), (rows[c.Agree.Id].Value, rows[c.AdvisorNumber.Id].Value)));
        Assert.False(rows.ContainsKey(draftField.Id));
        foreach (var (contract, fullName, _, _) in contracts)
        {
            var stream = AuditStreams.Contract(contract.Id);
            Assert.True((await AuditTrail.VerifyAsync(check, stream)).IsOk);
            var sets = await check.AuditEvents.AsNoTracking().Where(e => e.Stream == stream && e.Type == AuditEventTypes.FieldValueSet).CountAsync();
            Assert.Equal(contract.Id == contracts[0].Contract.Id ? 2 : 4, sets);
        }

        Assert.False(await check.AuditEvents.AnyAsync(e => e.Stream == AuditStreams.Contract(draft.Id) && e.Type == AuditEventTypes.FieldValueSet));
    }

    private static FieldValueSave Save(Field field, string value, long version) =>
        new(FieldDefinition.From(field), new LiveFieldValue(field.Id, value, version, "customer-1", "Chloé Dupont", DateTimeOffset.UtcNow, null), ParticipantRole.Customer, Committed: true);

    /// <summary>The values <paramref name="fieldId"/> was audited with, in order.</summary>
    private static async Task<List<string?>> AuditedValuesAsync(LiveSessionScenario scenario, Guid contractId, Guid fieldId)
    {
        await using var db = scenario.Database();
        var stream = AuditStreams.Contract(contractId);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == stream && e.Type == AuditEventTypes.FieldValueSet).OrderBy(e => e.Sequence).Select(e => e.Data).ToListAsync();
        var values = new List<string?>();
        foreach (var data in events)
        {
            using var json = JsonDocument.Parse(data);
            if (json.RootElement.GetProperty("fieldId").GetGuid() == fieldId)
            {
                values.Add(json.RootElement.GetProperty("value").GetString());
            }
        }

        return values;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, patience.Token);
        }
    }

    /// <summary>A Draft contract with a three-page document and three fields (the customer's name and consent, the advisor's number), moved to Review.</summary>
    private static async Task<(ContractDetails Contract, Field FullName, Field Agree, Field AdvisorNumber)> ContractWithFieldsAsync(LiveSessionScenario scenario, bool advisorFieldRequired = false)
    {
        var contract = await scenario.CreateContractAsync(fixtures: [LiveSessionScenario.ThreePages]);
        var documentId = contract.Documents[0].Id;
        var fullName = NewField(contract.Id, documentId, FieldKind.Text, "Full name", FieldParty.Customer, top: 700);
        var agree = NewField(contract.Id, documentId, FieldKind.Checkbox, "I agree", FieldParty.Customer, top: 600);
        var advisorNumber = NewField(contract.Id, documentId, FieldKind.Text, "Advisor number", FieldParty.Advisor, top: 500);
        advisorNumber.Required = advisorFieldRequired;
        await using (var db = scenario.Database())
        {
            db.Fields.AddRange(fullName, agree, advisorNumber);
            await db.SaveChangesAsync();
        }

        LiveSessionScenario.Accepted(await scenario.Contracts.UpdateAsync(scenario.Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        return (contract, fullName, agree, advisorNumber);
    }

    private static Field NewField(Guid contractId, Guid documentId, FieldKind kind, string label, FieldParty party, double top) => new()
    {
        Id = Guid.NewGuid(),
        ContractId = contractId,
        DocumentId = documentId,
        Page = 1,
        Left = 72,
        Bottom = top - 20,
        Width = 200,
        Height = 20,
        Kind = kind,
        Label = label,
        Party = party,
        Required = kind != FieldKind.Text || party == FieldParty.Customer,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private static async Task<Core.LiveSessions.SessionCaller.Customer> SigningScenarioFor(LiveSessionScenario scenario, string token) =>
        new((await scenario.Sessions.CheckLinkAsync(token)).Grant!.LinkId) { IpAddress = SigningScenario.CustomerIp };

    private static async Task AssertRefusedAlikeAsync(SessionHubClient hub, HttpClient api, Guid contractId, Guid fieldId, string value, HttpStatusCode status, string sentence)
    {
        Assert.Contains(sentence, await hub.RefusalAsync("FieldValue", fieldId, value));
        using var response = await api.PutAsJsonAsync($"api/contracts/{contractId}/fields/{fieldId}/value", new { value });
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(sentence, await response.ProblemDetailAsync());
    }

    /// <summary>The app's databases, counting the contexts made (one per transaction of the store) and holding the first until <see cref="Release"/>.</summary>
    private sealed class HeldDatabases(IDbContextFactory<LiveContractDbContext> inner) : IDbContextFactory<LiveContractDbContext>
    {
        private readonly TaskCompletionSource asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int created;

        public int Created => Volatile.Read(ref created);

        /// <summary>Completes once the first context was asked for: the writer has taken its batch.</summary>
        public Task FirstAsked => asked.Task;

        public void Release() => released.SetResult();

        public LiveContractDbContext CreateDbContext() => throw new NotSupportedException("The store makes its contexts asynchronously.");

        public async Task<LiveContractDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref created) == 1)
            {
                asked.SetResult();
                await released.Task;
            }

            return await inner.CreateDbContextAsync(cancellationToken);
        }
    }
}
