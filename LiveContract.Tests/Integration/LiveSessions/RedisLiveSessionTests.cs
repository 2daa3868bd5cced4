using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveContract.Core.Contracts;
using LiveContract.Core.Fields;
using LiveContract.Core.Health;
using LiveContract.Core.LiveSessions;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit.Fields;
using LiveContract.Tests.Unit.LiveSessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Tests.Integration.LiveSessions;

/// <summary>
/// Two or three Redis coordinators in one process, each a server of its own (its own instance id,
/// connection, stores), sharing a real Redis: the shared one under a key prefix of each test's own,
/// or, for the tests that stop Redis, a redis-server started for the test.
/// </summary>
public sealed class RedisLiveSessionTests
{
    private static readonly FieldDefinition FullName = FieldValueRulesTests.Field(FieldKind.Text, "Full name");
    private static readonly LiveParticipant Advisor = LiveSessionHarness.Advisor;
    private static readonly LiveParticipant Customer = LiveSessionHarness.Customer;

    private readonly Guid sessionId = Guid.NewGuid();
    private readonly Guid contractId = Guid.NewGuid();
    private readonly SessionDocument terms = new(Guid.NewGuid(), "terms.pdf", 3);
    private readonly SessionDocument annex = new(Guid.NewGuid(), "annex.pdf", 5);
    private readonly string prefix = $"lc-test:{Guid.NewGuid():N}:";

    private LiveSessionSetup Setup => new(contractId, [terms, annex], terms.DocumentId, 1, ContractStatus.Review) { Fields = [FullName] };

    [Fact]
    public async Task A_participant_connected_to_two_servers_keeps_one_connection_cap_and_one_rate_between_them()
    {
        void Limits(LiveSessionOptions o)
        {
            o.PageChangesPerSecond = 10;
            o.MaxConnectionsPerParticipant = 2;
        }

        await using var a = await StartAsync("A", configure: Limits);
        await using var b = await StartAsync("B", configure: Limits);
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        await a.JoinAsync(Customer, "customer-a");
        await b.JoinAsync(Customer, "customer-b");
        await Eventually(async () => await CustomerConnectionsAsync(a) == 2 && await CustomerConnectionsAsync(b) == 2);

        // The cap counts the connections on both servers.
        LiveSessionHarness.Refused(
            await a.Coordinator.JoinAsync(sessionId, Customer, "customer-a2", _ => ValueTask.CompletedTask),
            LiveSessionErrors.TooManyConnections(2));

        // Each server allows its half of the rate: together, the configured rate (plus what refills meanwhile).
        var clock = Stopwatch.StartNew();
        var accepted = (A: 0, B: 0);
        for (var n = 0; n < 20; n++)
        {
            accepted.A += (await a.Coordinator.ChangePageAsync(sessionId, "customer-a", terms.DocumentId, (n % 3) + 1)).Succeeded ? 1 : 0;
            accepted.B += (await b.Coordinator.ChangePageAsync(sessionId, "customer-b", terms.DocumentId, (n % 3) + 1)).Succeeded ? 1 : 0;
        }

        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 10);
        Assert.InRange(accepted.A, 5, 5 + refilled);
        Assert.InRange(accepted.B, 5, 5 + refilled);
        Assert.InRange(accepted.A + accepted.B, 10, 10 + refilled);
    }

    [Fact]
    public async Task Page_changes_cross_between_servers_both_ways()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        var (_, advisorEvents) = await a.JoinAsync(Advisor, "advisor");
        var (_, customerEvents) = await b.JoinAsync(Customer, "customer");

        LiveSessionHarness.Accepted(await a.Coordinator.ChangePageAsync(sessionId, "advisor", terms.DocumentId, 3));
        await customerEvents.WaitUntilAsync(e => e.OfType<PageChange>().Any(p => p.Page == 3));
        LiveSessionHarness.Accepted(await b.Coordinator.LoadDocumentAsync(sessionId, "customer", annex.DocumentId));
        await advisorEvents.WaitUntilAsync(e => e.OfType<LoadDocument>().Any());

        var page = customerEvents.Events.OfType<PageChange>().Single();
        Assert.Equal((terms.DocumentId, 3, Advisor.Actor), (page.DocumentId, page.Page, page.Actor));
        var load = advisorEvents.Events.OfType<LoadDocument>().Single();
        Assert.Equal((annex.DocumentId, 1, Customer.Actor), (load.DocumentId, load.Page, load.Actor));
        await Eventually(async () => await PositionAsync(a) == (annex.DocumentId, 1) && await PositionAsync(b) == (annex.DocumentId, 1));

        // Versions are each server's own, gapless for its subscribers.
        Assert.All([advisorEvents, customerEvents], events => Assert.Equal(
            Enumerable.Range(0, events.Events.Count).Select(i => events.Events[0].Version + i),
            events.Events.Select(e => e.Version)));
    }

    [Fact]
    public async Task Racing_page_changes_end_on_the_same_page_everywhere()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        await a.JoinAsync(Advisor, "advisor");
        await b.JoinAsync(Customer, "customer");

        var racing = Enumerable.Range(0, 20).Select(async i =>
        {
            await Task.Yield();
            return i % 2 == 0
                ? await a.Coordinator.ChangePageAsync(sessionId, "advisor", annex.DocumentId, 1 + (i % 5))
                : await b.Coordinator.ChangePageAsync(sessionId, "customer", terms.DocumentId, 1 + (i % 3));
        });
        Assert.All(await Task.WhenAll(racing), outcome => Assert.True(outcome.Succeeded));

        await Eventually(async () => await PositionAsync(a) == await PositionAsync(b));
        await Task.Delay(500);
        Assert.Equal(await PositionAsync(a), await PositionAsync(b));
    }

    [Fact]
    public async Task A_value_typed_on_one_server_reaches_the_other_and_only_its_own_server_saves_it()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        var (_, advisorEvents) = await a.JoinAsync(Advisor, "advisor");
        await b.JoinAsync(Customer, "customer");

        var typed = LiveSessionHarness.Accepted(await b.Coordinator.SetFieldValueAsync(sessionId, "customer", FullName.Id, "Carl Customer"));
        await advisorEvents.WaitUntilAsync(e => e.OfType<FieldValueChanged>().Any());
        LiveSessionHarness.Accepted(await a.Coordinator.FlushFieldsAsync(sessionId));
        LiveSessionHarness.Accepted(await b.Coordinator.FlushFieldsAsync(sessionId));

        var arrived = advisorEvents.Events.OfType<FieldValueChanged>().Single();
        Assert.Equal((FullName.Id, "Carl Customer", Customer.Actor), (arrived.FieldId, arrived.Value, arrived.Actor));
        Assert.Equal("Carl Customer", (await a.Coordinator.GetSnapshotAsync(sessionId))!.FieldValues[FullName.Id].Value);
        Assert.Empty(a.FieldStore.Saved);
        Assert.Equal(typed, Assert.Single(Assert.Single(b.FieldStore.Saved)).Value);
    }

    [Fact]
    public async Task Presence_joins_both_servers_and_a_server_that_falls_silent_drops_out()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        await a.JoinAsync(Advisor, "advisor");
        var (_, customerEvents) = await b.JoinAsync(Customer, "customer");
        await b.JoinAsync(Customer, "customer-tab-2");
        await a.JoinAsync(Customer, "customer-on-a");

        await Eventually(async () => (await b.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Count == 2
            && (await a.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Count == 2);
        var seenFromB = (await b.Coordinator.GetSnapshotAsync(sessionId))!.Participants;
        Assert.Equal([("advisor-1", 1), ("customer-1", 3)], seenFromB.Select(p => (p.ParticipantId, p.ConnectionCount)));

        // Server A dies without a word: its connection to Redis is gone, it sends nothing more.
        var killed = Stopwatch.StartNew();
        await a.Redis.DisposeAsync();
        await customerEvents.WaitUntilAsync(e => e.OfType<Presence>().Any(p => p.Participants.All(x => x.ParticipantId != "advisor-1")));

        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"The advisor dropped out after {killed.Elapsed}.");
        Assert.Equal(["customer-1"], (await b.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Select(p => p.ParticipantId));
    }

    [Fact]
    public async Task A_server_opening_the_session_later_starts_from_the_shared_position_and_values()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        await a.JoinAsync(Advisor, "advisor");
        var (_, watcher) = await b.JoinAsync(Advisor, "watcher");
        LiveSessionHarness.Accepted(await a.Coordinator.ChangePageAsync(sessionId, "advisor", annex.DocumentId, 4));
        LiveSessionHarness.Accepted(await a.Coordinator.SetFieldValueAsync(sessionId, Customer, FullName.Id, "Carl"));
        await watcher.WaitUntilAsync(e => e.OfType<FieldValueChanged>().Any());

        await using var c = await StartAsync("C");
        var snapshot = await c.OpenAsync(Setup);

        Assert.Equal((annex.DocumentId, 4), (snapshot.DocumentId, snapshot.Page));
        Assert.Equal("Carl", snapshot.FieldValues[FullName.Id].Value);
        await Eventually(async () => (await c.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Count == 1);
    }

    [Fact]
    public async Task Signatures_field_changes_and_the_end_cross_servers_and_an_ended_session_does_not_open_again()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        await a.JoinAsync(Advisor, "advisor");
        var (customerJoin, customerEvents) = await b.JoinAsync(Customer, "customer");
        var agree = FieldValueRulesTests.Field(FieldKind.Checkbox, "I agree");

        LiveSessionHarness.Accepted(await a.Coordinator.UpdateFieldsAsync(sessionId, Advisor.Actor, [FullName, agree]));
        await customerEvents.WaitUntilAsync(e => e.OfType<FieldsChanged>().Any());
        LiveSessionHarness.Accepted(await a.Coordinator.PublishStatusAsync(sessionId, Advisor.Actor, ContractStatus.Signed));
        LiveSessionHarness.Accepted(await a.Coordinator.PublishContractSignedAsync(sessionId, Advisor.Actor, "Ada Advisor", DateTimeOffset.UnixEpoch));
        await customerEvents.WaitUntilAsync(e => e.OfType<ContractSigned>().Any());

        Assert.Equal([FullName.Id, agree.Id], customerEvents.Events.OfType<FieldsChanged>().Single().Fields.Select(f => f.Id));
        Assert.Equal(ContractStatus.Signed, customerEvents.Events.OfType<StatusUpdate>().Single().Status);
        Assert.Equal("Ada Advisor", customerEvents.Events.OfType<ContractSigned>().Single().SignedBy);
        Assert.True((await b.Coordinator.GetSnapshotAsync(sessionId))!.FieldsFrozen);
        LiveSessionHarness.Refused(await b.Coordinator.SetFieldValueAsync(sessionId, "customer", FullName.Id, "Carl"), LiveSessionErrors.FieldsFrozen);

        LiveSessionHarness.Accepted(await a.Coordinator.EndAsync(sessionId, Advisor.Actor));
        Assert.Equal(SubscriptionEnd.SessionEnded, await customerJoin.Subscription.Completion.WaitAsync(LiveSessionHarness.Patience));
        Assert.Equal(Advisor.Actor, customerEvents.Events.OfType<SessionEnded>().Single().Actor);
        await using var c = await StartAsync("C");
        LiveSessionHarness.Refused(await c.Coordinator.OpenAsync(sessionId, Setup), LiveSessionErrors.Ended);
    }

    [Fact]
    public async Task The_sealed_pdf_crosses_servers_once_even_from_a_server_where_nobody_is_in_the_session()
    {
        await using var a = await StartAsync("A");
        await using var b = await StartAsync("B");
        await using var sealer = await StartAsync("sealer");
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        var (_, advisorEvents) = await a.JoinAsync(Advisor, "advisor");
        var (_, customerEvents) = await b.JoinAsync(Customer, "customer");
        var sealedPdf = new SessionSealedPdf(Guid.NewGuid(), DateTimeOffset.UnixEpoch);

        // The signature and the seal happen on a server that does not hold the session (the API, the sealing worker).
        LiveSessionHarness.Refused(await sealer.Coordinator.PublishStatusAsync(sessionId, Advisor.Actor, ContractStatus.Signed), LiveSessionErrors.UnknownSession);
        await customerEvents.WaitUntilAsync(e => e.OfType<StatusUpdate>().Any(u => u.Status == ContractStatus.Signed));
        LiveSessionHarness.Refused(await sealer.Coordinator.PublishContractSealedAsync(sessionId, Advisor.Actor, sealedPdf), LiveSessionErrors.UnknownSession);
        await customerEvents.WaitForAsync<ContractSealed>();
        await advisorEvents.WaitForAsync<ContractSealed>();

        Assert.Equal(sealedPdf, customerEvents.Events.OfType<ContractSealed>().Single().Sealed);
        Assert.True((await b.Coordinator.GetSnapshotAsync(sessionId))!.Completed);

        // Told again on a server that holds it: each server delivers it once, and its own message coming back changes nothing.
        Assert.Equal(
            (await a.Coordinator.GetSnapshotAsync(sessionId))!.Version,
            LiveSessionHarness.Accepted(await a.Coordinator.PublishContractSealedAsync(sessionId, Advisor.Actor, new SessionSealedPdf(Guid.NewGuid(), DateTimeOffset.UnixEpoch))));
        await Task.Delay(500);
        Assert.Single(customerEvents.Events.OfType<ContractSealed>());
        Assert.Single(advisorEvents.Events.OfType<ContractSealed>());

        // A server opening the session afterwards, from a database read before the signature, starts signed and sealed.
        await using var c = await StartAsync("C");
        var snapshot = await c.OpenAsync(Setup);
        Assert.Equal((ContractStatus.Signed, sealedPdf), (snapshot.Status, snapshot.Sealed));
    }

    [Fact]
    public async Task While_Redis_is_down_each_server_goes_on_alone_and_they_converge_when_it_returns()
    {
        await using var redis = RedisProcess.Start();
        await using var a = await StartAsync("A", redis.Endpoint);
        await using var b = await StartAsync("B", redis.Endpoint);
        await a.OpenAsync(Setup);
        await b.OpenAsync(Setup);
        var (_, advisorEvents) = await a.JoinAsync(Advisor, "advisor");
        var (_, customerEvents) = await b.JoinAsync(Customer, "customer");
        await Eventually(async () => (await a.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Count == 2);

        redis.Kill();
        await Eventually(() => Task.FromResult(!a.Coordinator.IsConnected && !b.Coordinator.IsConnected));
        LiveSessionHarness.Accepted(await a.Coordinator.ChangePageAsync(sessionId, "advisor", annex.DocumentId, 2));
        LiveSessionHarness.Accepted(await b.Coordinator.SetFieldValueAsync(sessionId, "customer", FullName.Id, "Carl"));
        await advisorEvents.WaitUntilAsync(e => e.OfType<PageChange>().Any());

        Assert.Equal((annex.DocumentId, 2), await PositionAsync(a));
        Assert.Equal((terms.DocumentId, 1), await PositionAsync(b));
        var report = await a.Cluster.GetReportAsync();
        Assert.Equal(LiveSessionBackendState.Degraded, report.State);
        Assert.StartsWith("Redis is unreachable since ", report.Detail);
        Assert.DoesNotContain(redis.Port.ToString(), report.Detail);
        Assert.True(Assert.Single(report.Instances).IsThisServer);
        var health = await new LiveSessionsHealthCheck(b.Cluster).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);

        redis.Restart();
        await Eventually(async () => await PositionAsync(b) == (annex.DocumentId, 2)
            && (await a.Coordinator.GetSnapshotAsync(sessionId))!.FieldValues.GetValueOrDefault(FullName.Id)?.Value == "Carl");
        Assert.Contains(customerEvents.Events.OfType<PageChange>(), p => p.Page == 2);
        LiveSessionHarness.Accepted(await b.Coordinator.ChangePageAsync(sessionId, "customer", terms.DocumentId, 3));
        await advisorEvents.WaitUntilAsync(e => e.OfType<PageChange>().Any(p => p.Page == 3));
        var restored = await a.Cluster.GetReportAsync();
        Assert.Equal(LiveSessionBackendState.Connected, restored.State);
        await Eventually(async () => (await a.Cluster.GetReportAsync()).Instances.Count == 2);
        Assert.Equal(HealthStatus.Healthy, (await new LiveSessionsHealthCheck(b.Cluster).CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Single(b.FieldStore.Saved.SelectMany(s => s));
    }

    [Fact]
    public async Task Without_Redis_a_server_starts_and_its_sessions_work_alone()
    {
        await using var alone = await StartAsync("alone", $"127.0.0.1:{RedisProcess.FreePort()}", waitForRedis: false);
        await alone.OpenAsync(Setup);
        var (join, events) = await alone.JoinAsync(Advisor, "advisor");

        LiveSessionHarness.Accepted(await alone.Coordinator.ChangePageAsync(sessionId, "advisor", annex.DocumentId, 5));
        await events.WaitForVersionAsync(join.Snapshot.Version + 1, join.Snapshot.Version);

        Assert.False(alone.Coordinator.IsConnected);
        Assert.Equal((annex.DocumentId, 5), await PositionAsync(alone));
        var report = await alone.Cluster.GetReportAsync();
        Assert.Equal((RedisLiveSessionCoordinator.Backend, LiveSessionBackendState.Degraded), (report.Backend, report.State));
        Assert.Equal("alone", Assert.Single(report.Instances).Name);
        Assert.Equal(1, (await alone.Coordinator.GetServerLoadAsync()).Connections);
    }

    [Fact]
    public async Task The_backend_setting_chooses_the_coordinator_and_its_cluster_report()
    {
        await using (var shared = Provider(new()
        {
            ["LiveSessions:Backend"] = "Redis",
            ["LiveSessions:Redis"] = TestServers.Redis,
            ["LiveSessions:RedisPrefix"] = prefix,
            ["LiveSessions:InstanceName"] = "web-1",
        }))
        {
            var coordinator = Assert.IsType<RedisLiveSessionCoordinator>(shared.GetRequiredService<ILiveSessionCoordinator>());
            Assert.IsType<RedisLiveSessionCluster>(shared.GetRequiredService<ILiveSessionCluster>());
            await Eventually(() => Task.FromResult(coordinator.IsConnected));
            var report = await shared.GetRequiredService<ILiveSessionCluster>().GetReportAsync();
            Assert.Equal((RedisLiveSessionCoordinator.Backend, LiveSessionBackendState.Connected), (report.Backend, report.State));
            Assert.Equal(("web-1", true), (Assert.Single(report.Instances).Name, report.Instances[0].IsThisServer));
            Assert.DoesNotContain(TestServers.Redis, report.Detail);
        }

        await using var alone = Provider([]);
        Assert.IsType<InMemoryLiveSessionCoordinator>(alone.GetRequiredService<ILiveSessionCoordinator>());
        Assert.IsType<InMemoryLiveSessionCluster>(alone.GetRequiredService<ILiveSessionCluster>());
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddLiveContractLiveSessions();
        return services.BuildServiceProvider();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(LiveSessionHarness.Patience);
        while (!await condition())
        {
            await Task.Delay(50, patience.Token);
        }
    }

    private async Task<(Guid DocumentId, int Page)> PositionAsync(Server server)
    {
        var snapshot = (await server.Coordinator.GetSnapshotAsync(sessionId))!;
        return (snapshot.DocumentId, snapshot.Page);
    }

    private async Task<int> CustomerConnectionsAsync(Server server) =>
        (await server.Coordinator.GetSnapshotAsync(sessionId))!.Participants.Where(p => p.ParticipantId == Customer.ParticipantId).Sum(p => p.ConnectionCount);

    private async Task<Server> StartAsync(string name, string? endpoint = null, bool waitForRedis = true, Action<LiveSessionOptions>? configure = null)
    {
        var server = new Server(name, endpoint ?? TestServers.Redis, prefix, sessionId, configure);
        if (waitForRedis)
        {
            await Eventually(() => Task.FromResult(server.Coordinator.IsConnected));
        }

        return server;
    }

    /// <summary>One server: its own Redis connection, stores and coordinator.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly Guid sessionId;

        public Server(string name, string endpoint, string prefix, Guid sessionId, Action<LiveSessionOptions>? configure)
        {
            this.sessionId = sessionId;
            var options = new LiveSessionOptions
            {
                Backend = LiveSessionBackend.Redis,
                Redis = endpoint,
                RedisPrefix = prefix,
                InstanceName = name,
                InstanceHeartbeat = TimeSpan.FromMilliseconds(250),
                InstanceTimeout = TimeSpan.FromSeconds(1.5),
                PageChangesPerSecond = 1_000_000,
                PointerMovesPerSecond = 1_000_000,
            };
            configure?.Invoke(options);
            Redis = new LiveSessionRedis(endpoint);
            Coordinator = new RedisLiveSessionCoordinator(Microsoft.Extensions.Options.Options.Create(options), Redis, new RecordingStateStore(), FieldStore, TimeProvider.System);
            Cluster = new RedisLiveSessionCluster(Coordinator);
        }

        public LiveSessionRedis Redis { get; }

        public RecordingFieldValueStore FieldStore { get; } = new();

        public RedisLiveSessionCoordinator Coordinator { get; }

        public ILiveSessionCluster Cluster { get; }

        public async Task<LiveSessionSnapshot> OpenAsync(LiveSessionSetup setup) => LiveSessionHarness.Accepted(await Coordinator.OpenAsync(sessionId, setup));

        public async Task<(LiveSessionJoin Join, EventRecorder Events)> JoinAsync(LiveParticipant participant, string connectionId)
        {
            var events = new EventRecorder();
            var joined = LiveSessionHarness.Accepted(await Coordinator.JoinAsync(sessionId, participant, connectionId, events.OnEventAsync));
            return (joined, events);
        }

        public async ValueTask DisposeAsync()
        {
            await Coordinator.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    /// <summary>A redis-server of the test's own, on a free loopback port, without persistence, that the test can kill and start again.</summary>
    private sealed class RedisProcess : IAsyncDisposable
    {
        private Process process;

        private RedisProcess(int port)
        {
            Port = port;
            process = Launch();
        }

        public int Port { get; }

        public string Endpoint => $"127.0.0.1:{Port}";

        public static RedisProcess Start() => new(FreePort());

        public static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }

        public void Restart() => process = Launch();

        public ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                Kill();
            }

            return ValueTask.CompletedTask;
        }

        private Process Launch()
        {
            var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            {
                start.ArgumentList.Add(argument);
            }

            var started = Process.Start(start)!;
            started.OutputDataReceived += (_, _) => { };
            started.ErrorDataReceived += (_, _) => { };
            started.BeginOutputReadLine();
            started.BeginErrorReadLine();
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, Port);
                    return started;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
                {
                    Thread.Sleep(50);
                }
            }
        }
    }
}
