using LiveContract.Core.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The process's one connection to the Redis of <see cref="LiveSessionOptions.Redis"/>, opened on
/// first use, in the background: it never fails because Redis is down (it keeps reconnecting, and
/// commands fail fast meanwhile). The Redis live-session backend uses it, and so may other parts
/// that need the same Redis (such as SignalR's backplane, through <see cref="ConnectAsync"/>).
/// Errors name the setting, never the connection string, which may hold a password.
/// </summary>
public sealed class LiveSessionRedis : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> connection;

    public LiveSessionRedis(IOptions<LiveSessionOptions> options)
        : this(options.Value.Redis ?? throw new ConfigurationErrorException($"{LiveSessionOptions.Section}:{nameof(LiveSessionOptions.Redis)} must be the Redis connection string (such as 127.0.0.1:6379)."))
    {
    }

    public LiveSessionRedis(string connectionString)
    {
        var configuration = Configure(connectionString);
        connection = new Lazy<Task<IConnectionMultiplexer>>(
            async () => await ConnectionMultiplexer.ConnectAsync(configuration),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the connection has been opened and Redis answers now.</summary>
    public bool IsConnected => connection.IsValueCreated && connection.Value is { IsCompletedSuccessfully: true } opened && opened.Result.IsConnected;

    /// <summary>The connection, once opened (whether or not Redis answers yet); opens it on the first call.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync() => connection.Value;

    /// <summary>
    /// The settings of <paramref name="connectionString"/> for a connection that survives Redis
    /// going away: it does not give up when Redis is down at start, times out quickly, and retries
    /// every half second, so servers hear of each other again within a second or two of Redis' return.
    /// </summary>
    public static ConfigurationOptions Configure(string connectionString)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException)
        {
            throw new ConfigurationErrorException($"{LiveSessionOptions.Section}:{nameof(LiveSessionOptions.Redis)} is not a valid Redis connection string (such as 127.0.0.1:6379).");
        }

        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        configuration.AsyncTimeout = 2000;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "LiveContract";
        return configuration;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection.IsValueCreated)
        {
            await (await connection.Value).DisposeAsync();
        }
    }
}
