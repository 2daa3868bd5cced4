using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using LiveContract.Web.Features.LiveSessions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// A real SignalR .NET client of <c>/hubs/sessions</c> over WebSockets, as a non-Blazor client or
/// the load test uses it. It records every event (name and raw JSON payload) in arrival order.
/// </summary>
public sealed class SessionHubClient : IAsyncDisposable
{
    public static readonly string[] EventNames = ["pageChange", "loadDocument", "pointer", "presence", "statusUpdate", "contractSigned", "contractSealed", "sessionEnded", "documents", "fieldFocus", "fieldValue", "fieldGuide", "fields"];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<HubEvent> pending = Channel.CreateUnbounded<HubEvent>();

    private readonly List<HubEvent> received = [];

    private SessionHubClient(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in EventNames)
        {
            connection.On<JsonElement>(name, payload =>
            {
                var e = new HubEvent(name, payload.Clone());
                lock (received)
                {
                    received.Add(e);
                }

                pending.Writer.TryWrite(e);
            });
        }
    }

    public HubConnection Connection { get; }

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<HubEvent> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    /// <summary>Connects with <c>Authorization: Bearer</c> (an API token <c>lc_…</c> or a customer link token <c>lcs_…</c>).</summary>
    public static Task<SessionHubClient> ConnectAsync(LiveContractApp app, string token) => ConnectAsync(app.BaseAddress, token);

    /// <summary>Connects to the app at <paramref name="baseAddress"/> (one server of several, say) with <c>Authorization: Bearer</c>.</summary>
    public static Task<SessionHubClient> ConnectAsync(Uri baseAddress, string token) =>
        ConnectAsync(new Uri(baseAddress, "hubs/sessions"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));

    /// <summary>Connects with <c>Authorization: Bearer</c> and extra headers (such as the identity pass).</summary>
    public static Task<SessionHubClient> ConnectAsync(LiveContractApp app, string token, IReadOnlyDictionary<string, string> headers) =>
        ConnectAsync(new Uri(app.BaseAddress, "hubs/sessions"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            foreach (var (name, value) in headers)
            {
                o.Headers[name] = value;
            }
        });

    /// <summary>Connects as a browser's WebSocket would: no headers, the token in the <c>access_token</c> query string.</summary>
    public static Task<SessionHubClient> ConnectWithQueryTokenAsync(LiveContractApp app, string token) =>
        ConnectAsync(new Uri(app.BaseAddress, $"hubs/sessions?access_token={Uri.EscapeDataString(token)}"), o => o.SkipNegotiation = true);

    public Task<SessionJoined> JoinAsync(Guid sessionId) => Connection.InvokeAsync<SessionJoined>("Join", sessionId);

    /// <summary>Calls a hub method and returns the server's refusal message.</summary>
    public async Task<string> RefusalAsync(string method, params object?[] arguments)
    {
        var refusal = await Assert.ThrowsAsync<HubException>(() => Connection.InvokeCoreAsync<long>(method, arguments));
        return refusal.Message;
    }

    /// <summary>The next event not yet taken, within <paramref name="patience"/> (10 s by default).</summary>
    public async Task<HubEvent> NextAsync(TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? Timeout);
        try
        {
            return await pending.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event arrived within {(patience ?? Timeout).TotalSeconds} s; received so far: {string.Join(", ", Received.Select(e => e.Name))}.");
        }
    }

    /// <summary>Takes events until one named <paramref name="name"/> (and matching) arrives.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? patience = null)
    {
        while (true)
        {
            var e = await NextAsync(patience);
            if (e.Name == name && (match is null || match(e.Payload)))
            {
                return e.Payload;
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private static async Task<SessionHubClient> ConnectAsync(Uri url, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> configure)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                configure(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        var client = new SessionHubClient(connection);
        await connection.StartAsync();
        return client;
    }
}

/// <summary>One event as it arrived: its protocol name and JSON payload.</summary>
public sealed record HubEvent(string Name, JsonElement Payload)
{
    public long Version => Payload.GetProperty("version").GetInt64();
}
