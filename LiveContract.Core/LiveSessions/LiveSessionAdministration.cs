using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.LiveSessions;

/// <summary>
/// The administration's lists of live sessions: the active ones, with who is connected and when
/// something last happened, and the finished ones: completed (their contract was signed) or ended,
/// with who ended them. The database pages and sorts
/// (so the lists stay fast with any number of sessions); the coordinator is asked only about the
/// rows of the page shown. Callers check that the person is an administrator.
/// </summary>
public sealed class LiveSessionAdministration(IDbContextFactory<LiveContractDbContext> databases, ILiveSessionCoordinator coordinator)
{
    /// <summary>The active sessions, newest first unless <paramref name="query"/> sorts otherwise.</summary>
    public async Task<PagedResult<ActiveSessionRow>> ListActiveAsync(SessionListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (page, size) = query.Bounds();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = Rows(db, LiveSessionStatus.Active);
        var total = await rows.CountAsync(cancellationToken);
        var items = await Sort(rows, query.Sort == SessionSort.EndedAt ? SessionSort.StartedAt : query.Sort, query.Descending)
            .Skip((page - 1) * size)
            .Take(size)
            .ToListAsync(cancellationToken);
        var active = new List<ActiveSessionRow>(items.Count);
        foreach (var row in items)
        {
            var snapshot = await coordinator.GetSnapshotAsync(row.SessionId, cancellationToken);
            var here = snapshot is { Ended: false };
            active.Add(new ActiveSessionRow(
                row.SessionId,
                row.ContractId,
                row.ContractReference,
                row.ContractTitle,
                row.AdvisorName,
                row.CustomerName,
                row.StartedAt,
                here ? snapshot!.Participants : [],
                here ? snapshot!.LastActivityAt : null));
        }

        return new PagedResult<ActiveSessionRow>(active, total, page, size);
    }

    /// <summary>The ended sessions, the most recently ended first unless <paramref name="query"/> sorts otherwise.</summary>
    public Task<PagedResult<EndedSessionRow>> ListEndedAsync(SessionListQuery query, CancellationToken cancellationToken = default) =>
        ListFinishedAsync(query, LiveSessionStatus.Ended, cancellationToken);

    /// <summary>
    /// The finished sessions, the most recently finished first unless <paramref name="query"/> sorts
    /// otherwise: completed ones (their contract was signed) and ended ones, or only those of
    /// <paramref name="only"/> (<see cref="LiveSessionStatus.Completed"/> or <see cref="LiveSessionStatus.Ended"/>).
    /// </summary>
    public async Task<PagedResult<EndedSessionRow>> ListFinishedAsync(SessionListQuery query, LiveSessionStatus? only = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (only == LiveSessionStatus.Active)
        {
            throw new ArgumentOutOfRangeException(nameof(only), only, "Active sessions are not finished; list them with ListActiveAsync.");
        }

        var (page, size) = query.Bounds();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = only is { } status ? Rows(db, status) : Rows(db, LiveSessionStatus.Ended, LiveSessionStatus.Completed);
        var total = await rows.CountAsync(cancellationToken);
        var items = await Sort(rows, query.Sort, query.Descending)
            .Skip((page - 1) * size)
            .Take(size)
            .Select(r => new EndedSessionRow(
                r.SessionId,
                r.ContractId,
                r.ContractReference,
                r.ContractTitle,
                r.AdvisorName,
                r.CustomerName,
                r.StartedAt,
                r.EndedAt!.Value,
                r.EndedByName,
                r.Status))
            .ToListAsync(cancellationToken);
        return new PagedResult<EndedSessionRow>(items, total, page, size);
    }

    /// <summary>
    /// The sessions of one status (or of either of two) as flat rows. The advisor is the one the
    /// session was held with (the contract may have been reassigned since); who ended it may be
    /// unknown (null), and a completed session was ended by nobody.
    /// </summary>
    private static IQueryable<SessionRow> Rows(LiveContractDbContext db, LiveSessionStatus status, LiveSessionStatus? orStatus = null) =>
        Rows(db, status, orStatus ?? status);

    private static IQueryable<SessionRow> Rows(LiveContractDbContext db, LiveSessionStatus status, LiveSessionStatus orStatus) =>
        from s in db.LiveSessions.AsNoTracking()
        where s.Status == status || s.Status == orStatus
        join c in db.Contracts on s.ContractId equals c.Id
        join a in db.Users on s.AdvisorId equals a.Id
        join k in db.Customers on s.CustomerId equals k.Id
        join e in db.Users on s.EndedById equals e.Id into enders
        from e in enders.DefaultIfEmpty()
        select new SessionRow
        {
            SessionId = s.Id,
            ContractId = s.ContractId,
            ContractReference = c.Reference,
            ContractTitle = c.Title,
            AdvisorName = a.DisplayName,
            CustomerName = k.FullName,
            StartedAt = s.StartedAt,
            EndedAt = s.EndedAt,
            EndedByName = e == null ? null : e.DisplayName,
            Status = s.Status,
        };

    private static IQueryable<SessionRow> Sort(IQueryable<SessionRow> rows, SessionSort sort, bool descending) => sort switch
    {
        SessionSort.Contract => descending ? rows.OrderByDescending(r => r.ContractReference) : rows.OrderBy(r => r.ContractReference),
        SessionSort.Advisor => (descending ? rows.OrderByDescending(r => r.AdvisorName) : rows.OrderBy(r => r.AdvisorName)).ThenByDescending(r => r.StartedAt),
        SessionSort.Customer => (descending ? rows.OrderByDescending(r => r.CustomerName) : rows.OrderBy(r => r.CustomerName)).ThenByDescending(r => r.StartedAt),
        SessionSort.EndedAt => (descending ? rows.OrderByDescending(r => r.EndedAt) : rows.OrderBy(r => r.EndedAt)).ThenBy(r => r.SessionId),
        _ => (descending ? rows.OrderByDescending(r => r.StartedAt) : rows.OrderBy(r => r.StartedAt)).ThenBy(r => r.SessionId),
    };

    /// <summary>One session joined with its contract and people, before paging.</summary>
    private sealed class SessionRow
    {
        public Guid SessionId { get; init; }

        public Guid ContractId { get; init; }

        public string ContractReference { get; init; } = "";

        public string ContractTitle { get; init; } = "";

        public string AdvisorName { get; init; } = "";

        public string CustomerName { get; init; } = "";

        public DateTimeOffset StartedAt { get; init; }

        public DateTimeOffset? EndedAt { get; init; }

        public string? EndedByName { get; init; }

        public LiveSessionStatus Status { get; init; }
    }
}
