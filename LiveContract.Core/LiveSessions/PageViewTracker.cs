using System.Collections.Concurrent;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// How long the customer had each page of each document of a live session in front of them, for
/// the one <c>session.pages_viewed</c> audit event that <see cref="LiveSessionService.EndAsync"/>
/// writes when the session ends, in the same transaction as <c>session.ended</c>.
/// <para>
/// The <see cref="InMemoryLiveSessionCoordinator"/> reports what the session shows (each accepted
/// page change, document switch or document list change, with its version) and each connection
/// of the customer joining and leaving. Time counts for the page shown while at least one of the
/// customer's connections is joined; time with no connection of the customer (before joining,
/// after closing the tab, while the network is down) does not count.
/// </para>
/// <para>
/// Why one summary at the end rather than at the customer's last leave: a customer leaves and
/// comes back within one session (a reload, a dropped network, a second visit from the emailed
/// link). Only the end of the session knows the whole time; summarising at each leave would split
/// the total over several events, or lose what follows a return.
/// </para>
/// <para>
/// What counts is the page the session shows: a customer who turns "Follow the advisor" off
/// browses in their own browser, which the server does not see, so that time counts for the
/// shared page. The tally lives in memory on the server that holds the session: after a restart
/// it counts again from zero, which the summary states (<see cref="PageViews.CountedSince"/>).
/// It costs one small object per open session, updated under that session's own lock on page
/// changes and on the customer's joins and leaves (never on pointer moves).
/// </para>
/// </summary>
public sealed class PageViewTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Tally> sessions = new();

    /// <summary>
    /// Counts up to now and returns the customer's time per page, in the order the pages were first
    /// viewed (pages viewed for no time left out); null when no connection of the customer joined
    /// the session on this server. Counting goes on: the summary is only taken.
    /// </summary>
    public PageViews? Summarize(Guid sessionId) =>
        sessions.TryGetValue(sessionId, out var tally) ? tally.Summarize(time.GetUtcNow()) : null;

    /// <summary>The session shows <paramref name="page"/> of <paramref name="documentId"/> since its event <paramref name="version"/>; older reports are ignored.</summary>
    internal void Shown(Guid sessionId, Guid documentId, int page, long version) =>
        sessions.GetOrAdd(sessionId, static _ => new Tally()).Show(documentId, page, version, time.GetUtcNow());

    /// <summary>
    /// A connection of the customer joined (with its snapshot). Counting runs until the connection
    /// leaves: when the returned join's subscription is disposed, or when the coordinator stops
    /// delivering to it (the session ended, the connection was too slow, the server stops).
    /// </summary>
    internal LiveSessionJoin CustomerJoined(Guid sessionId, string connectionId, LiveSessionJoin join)
    {
        var snapshot = join.Snapshot;
        var tally = sessions.GetOrAdd(sessionId, static _ => new Tally());
        var now = time.GetUtcNow();
        tally.Show(snapshot.DocumentId, snapshot.Page, snapshot.Version, now);
        tally.Connect(connectionId, now);
        var counted = new CountedSubscription(join.Subscription, () => tally.Disconnect(connectionId, time.GetUtcNow()));
        _ = counted.DisconnectWhenCompletedAsync();
        return join with { Subscription = counted };
    }

    /// <summary>The session has ended: nothing more to count or summarise.</summary>
    internal void Forget(Guid sessionId) => sessions.TryRemove(sessionId, out _);

    /// <summary>A customer's subscription that stops the count as it is disposed, so a leave counts at once.</summary>
    private sealed class CountedSubscription(ILiveSessionSubscription inner, Action disconnect) : ILiveSessionSubscription
    {
        public Task<SubscriptionEnd> Completion => inner.Completion;

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            disconnect();
        }

        /// <summary>Stops the count when the coordinator stops delivering without a dispose (a leave disconnects twice, harmlessly).</summary>
        public async Task DisconnectWhenCompletedAsync()
        {
            await inner.Completion;
            disconnect();
        }
    }

    /// <summary>One session's count. Its lock guards all of it.</summary>
    private sealed class Tally
    {
        private readonly Lock gate = new();
        private readonly HashSet<string> customerConnections = new(StringComparer.Ordinal);
        private readonly Dictionary<(Guid DocumentId, int Page), int> indexes = [];
        private readonly List<(Guid DocumentId, int Page, TimeSpan Duration)> pages = [];
        private long version = -1;
        private Guid documentId;
        private int page;
        private DateTimeOffset countedTo;
        private DateTimeOffset? countedSince;

        public void Show(Guid newDocumentId, int newPage, long newVersion, DateTimeOffset now)
        {
            lock (gate)
            {
                if (newVersion <= version)
                {
                    return;
                }

                CountLocked(now);
                version = newVersion;
                documentId = newDocumentId;
                page = newPage;
            }
        }

        public void Connect(string connectionId, DateTimeOffset now)
        {
            lock (gate)
            {
                CountLocked(now);
                customerConnections.Add(connectionId);
                countedSince ??= now;
            }
        }

        public void Disconnect(string connectionId, DateTimeOffset now)
        {
            lock (gate)
            {
                CountLocked(now);
                customerConnections.Remove(connectionId);
            }
        }

        public PageViews? Summarize(DateTimeOffset now)
        {
            lock (gate)
            {
                if (countedSince is not { } since)
                {
                    return null;
                }

                CountLocked(now);
                var viewed = pages
                    .Where(p => p.Duration > TimeSpan.Zero)
                    .Select(p => new PageView(p.DocumentId, p.Page, p.Duration))
                    .ToList();
                return new PageViews(since, new TimeSpan(viewed.Sum(p => p.Duration.Ticks)), viewed);
            }
        }

        /// <summary>Adds the time since the last count to the page shown, when the customer is connected.</summary>
        private void CountLocked(DateTimeOffset now)
        {
            if (customerConnections.Count > 0 && version >= 0 && now > countedTo)
            {
                var key = (documentId, page);
                if (!indexes.TryGetValue(key, out var index))
                {
                    index = pages.Count;
                    indexes.Add(key, index);
                    pages.Add((documentId, page, TimeSpan.Zero));
                }

                pages[index] = pages[index] with { Duration = pages[index].Duration + (now - countedTo) };
            }

            countedTo = now > countedTo ? now : countedTo;
        }
    }
}

/// <summary>How long the customer viewed the pages of a session: counting started at <see cref="CountedSince"/> (their first connection on this server).</summary>
public sealed record PageViews(DateTimeOffset CountedSince, TimeSpan Total, IReadOnlyList<PageView> Pages);

/// <summary>How long the customer had <see cref="Page"/> of <see cref="DocumentId"/> in front of them.</summary>
public sealed record PageView(Guid DocumentId, int Page, TimeSpan Duration);
