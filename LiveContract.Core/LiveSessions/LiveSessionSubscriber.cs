using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// One connection of a participant in an <see cref="InMemoryLiveSession"/>: its bounded queue of
/// events and the single loop that hands them to the callback (rate limits are the participant's,
/// kept by the session). The session writes to the queue under its lock and never waits for it; a
/// full queue means the subscriber is dropped.
/// </summary>
internal sealed class LiveSessionSubscriber : ILiveSessionSubscription
{
    private const int Running = -1;

    /// <summary>The subscriber whose callback is running on this flow, so disposing from inside it does not wait for itself.</summary>
    private static readonly AsyncLocal<LiveSessionSubscriber?> Delivering = new();

    private readonly InMemoryLiveSession session;
    private readonly Func<LiveSessionEvent, ValueTask> onEvent;
    private readonly ILogger logger;
    private readonly Channel<LiveSessionEvent> queue;
    private readonly CancellationTokenSource cancel = new();
    private readonly TaskCompletionSource<SubscriptionEnd> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task loop = Task.CompletedTask;
    private int end = Running;

    public LiveSessionSubscriber(
        InMemoryLiveSession session,
        LiveParticipant participant,
        string connectionId,
        Func<LiveSessionEvent, ValueTask> onEvent,
        LiveSessionOptions options,
        ILogger logger)
    {
        this.session = session;
        this.onEvent = onEvent;
        this.logger = logger;
        Participant = participant;
        ConnectionId = connectionId;
        queue = Channel.CreateBounded<LiveSessionEvent>(new BoundedChannelOptions(options.SubscriberQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public LiveParticipant Participant { get; }

    public string ConnectionId { get; }

    public Task<SubscriptionEnd> Completion => completion.Task;

    /// <summary>The delivery loop; it never faults.</summary>
    public Task Loop => loop;

    /// <summary>Whether the current flow is inside this subscriber's callback.</summary>
    public bool IsDelivering => Delivering.Value == this;

    public void Start() => loop = Task.Run(DeliverAsync);

    /// <summary>Queues the event without waiting; false when the queue is full or closed.</summary>
    public bool TryWrite(LiveSessionEvent @event) => queue.Writer.TryWrite(@event);

    /// <summary>
    /// Stops delivering, once: <see cref="SubscriptionEnd.SessionEnded"/> delivers what is queued
    /// first (ending with <see cref="SessionEnded"/>), every other reason stops at once.
    /// </summary>
    public void Stop(SubscriptionEnd reason)
    {
        if (Interlocked.CompareExchange(ref end, (int)reason, Running) != Running)
        {
            return;
        }

        queue.Writer.TryComplete();
        if (reason != SubscriptionEnd.SessionEnded)
        {
            cancel.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        session.Remove(this, SubscriptionEnd.Left);
        if (!IsDelivering)
        {
            await loop;
        }
    }

    private async Task DeliverAsync()
    {
        Delivering.Value = this;
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancel.Token))
            {
                while (!cancel.IsCancellationRequested && queue.Reader.TryRead(out var @event))
                {
                    await onEvent(@event);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Disconnected {ConnectionId} from live session {SessionId}: its event callback threw", ConnectionId, session.Id);
            session.Remove(this, SubscriptionEnd.CallbackFailed);
        }
        finally
        {
            var reason = Volatile.Read(ref end);
            completion.TrySetResult(reason == Running ? SubscriptionEnd.Left : (SubscriptionEnd)reason);
        }
    }
}
