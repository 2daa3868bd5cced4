using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveContract.Tests.Unit.LiveSessions;

/// <summary>A coordinator on a manual clock with a recording store, one open-able session of two documents, and helpers to join it.</summary>
internal sealed class LiveSessionHarness : IAsyncDisposable
{
    /// <summary>Long enough never to be reached by a working coordinator; only a broken one waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public LiveSessionHarness(
        Action<LiveSessionOptions>? configure = null,
        RecordingStateStore? store = null,
        ManualTimeProvider? time = null,
        RecordingFieldValueStore? fieldStore = null)
    {
        FieldStore = fieldStore ?? new RecordingFieldValueStore();
        Options = new LiveSessionOptions { PointerMovesPerSecond = 1_000_000, PageChangesPerSecond = 1_000_000, SubscriberQueueCapacity = 100_000 };
        configure?.Invoke(Options);
        Store = store ?? new RecordingStateStore();
        Time = time ?? new ManualTimeProvider();
        Coordinator = new InMemoryLiveSessionCoordinator(Microsoft.Extensions.Options.Options.Create(Options), Store, FieldStore, Time, Logger);
    }

    public LiveSessionOptions Options { get; }

    public ManualTimeProvider Time { get; }

    public RecordingStateStore Store { get; }

    public RecordingFieldValueStore FieldStore { get; }

    public ListLogger<InMemoryLiveSessionCoordinator> Logger { get; } = new();

    public InMemoryLiveSessionCoordinator Coordinator { get; }

    public Guid SessionId { get; } = Guid.NewGuid();

    public Guid ContractId { get; } = Guid.NewGuid();

    public SessionDocument Terms { get; } = new(Guid.NewGuid(), "terms.pdf", 3);

    public SessionDocument Annex { get; } = new(Guid.NewGuid(), "annex.pdf", 5);

    public static LiveParticipant Advisor { get; } = new("advisor-1", ParticipantRole.Advisor, "Ada Advisor");

    public static LiveParticipant Customer { get; } = new("customer-1", ParticipantRole.Customer, "Carl Customer");

    public LiveSessionSetup Setup => new(ContractId, [Terms, Annex], Terms.DocumentId, 1, ContractStatus.Review);

    public async Task<LiveSessionSnapshot> OpenAsync()
    {
        var opened = await Coordinator.OpenAsync(SessionId, Setup);
        Assert.True(opened.Succeeded, opened.Error?.Message);
        return opened.Value!;
    }

    public async Task<(LiveSessionJoin Join, EventRecorder Events)> JoinAsync(LiveParticipant participant, string connectionId)
    {
        var events = new EventRecorder();
        var joined = await Coordinator.JoinAsync(SessionId, participant, connectionId, events.OnEventAsync);
        Assert.True(joined.Succeeded, joined.Error?.Message);
        return (joined.Value!, events);
    }

    public static T Accepted<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        return outcome.Value!;
    }

    public static void Refused<T>(Outcome<T> outcome, OperationError expected)
    {
        Assert.False(outcome.Succeeded, "The command was accepted.");
        Assert.Equal(expected, outcome.Error);
    }

    public ValueTask DisposeAsync() => Coordinator.DisposeAsync();
}

/// <summary>A subscriber that records what it receives and lets a test wait, without sleeping, until it has received enough.</summary>
internal sealed class EventRecorder
{
    private readonly Lock gate = new();
    private readonly List<LiveSessionEvent> events = [];
    private readonly List<(Func<IReadOnlyList<LiveSessionEvent>, bool> Condition, TaskCompletionSource Reached)> waiters = [];

    public IReadOnlyList<LiveSessionEvent> Events
    {
        get
        {
            lock (gate)
            {
                return events.ToArray();
            }
        }
    }

    public ValueTask OnEventAsync(LiveSessionEvent @event)
    {
        lock (gate)
        {
            events.Add(@event);
            foreach (var waiter in waiters.Where(w => w.Condition(events)).ToArray())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task WaitUntilAsync(Func<IReadOnlyList<LiveSessionEvent>, bool> condition)
    {
        lock (gate)
        {
            if (condition(events))
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((condition, reached));
            return reached.Task.WaitAsync(LiveSessionHarness.Patience);
        }
    }

    /// <summary>Waits until the subscriber, which joined at <paramref name="joinedAt"/>, has received <paramref name="version"/>.</summary>
    public Task WaitForVersionAsync(long version, long joinedAt = 0) =>
        WaitUntilAsync(e => (e.Count == 0 ? joinedAt : e[^1].Version) >= version);

    public Task WaitForAsync<T>()
        where T : LiveSessionEvent => WaitUntilAsync(e => e.OfType<T>().Any());
}

/// <summary>Remembers every state saved, in order.</summary>
internal sealed class RecordingStateStore : ILiveSessionStateStore
{
    private readonly InMemoryLiveSessionStateStore inner = new();
    private readonly Lock gate = new();
    private readonly List<LiveSessionState> saved = [];

    public IReadOnlyList<LiveSessionState> Saved
    {
        get
        {
            lock (gate)
            {
                return saved.ToArray();
            }
        }
    }

    /// <summary>Whether saving throws, as a database that is down would.</summary>
    public bool Failing { get; init; }

    public Task<LiveSessionState?> LoadAsync(Guid sessionId, CancellationToken cancellationToken = default) => inner.LoadAsync(sessionId, cancellationToken);

    public Task SaveAsync(LiveSessionState state, CancellationToken cancellationToken = default)
    {
        if (Failing)
        {
            throw new InvalidOperationException("The database is down.");
        }

        lock (gate)
        {
            saved.Add(state);
        }

        return inner.SaveAsync(state, cancellationToken);
    }
}

/// <summary>Remembers every batch of field values saved, in order; can fail like a database that is down.</summary>
internal sealed class RecordingFieldValueStore : IFieldValueStore
{
    private readonly InMemoryFieldValueStore inner = new();
    private readonly Lock gate = new();
    private readonly List<IReadOnlyList<FieldValueSave>> saved = [];

    public IReadOnlyList<IReadOnlyList<FieldValueSave>> Saved
    {
        get
        {
            lock (gate)
            {
                return saved.ToArray();
            }
        }
    }

    /// <summary>Whether saving throws, as a database that is down would; may be changed at any time.</summary>
    public bool Failing { get; set; }

    /// <summary>While set and not completed, a save is recorded but does not finish, as on a busy database; may be changed at any time.</summary>
    public TaskCompletionSource? Slow { get; set; }

    /// <summary>The value saved last for <paramref name="fieldId"/>, or null.</summary>
    public LiveFieldValue? Find(Guid fieldId) => inner.Find(fieldId);

    public async Task SaveAsync(Guid contractId, IReadOnlyList<FieldValueSave> values, CancellationToken cancellationToken = default)
    {
        if (Failing)
        {
            throw new InvalidOperationException("The database is down.");
        }

        lock (gate)
        {
            saved.Add(values);
        }

        if (Slow is { } slow)
        {
            await slow.Task;
        }

        await inner.SaveAsync(contractId, values, cancellationToken);
    }
}

/// <summary>A logger that keeps what is written, to check that something was logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock gate = new();
    private readonly List<(LogLevel Level, string Message, Exception? Exception)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (gate)
            {
                return entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (gate)
        {
            entries.Add((logLevel, formatter(state, exception), exception));
        }
    }
}
