using LiveContract.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Core.Audit;

/// <summary>
/// The names of the people behind audit events, looked up when the events are read (an event keeps
/// only the actor's id and role): advisors and admins from the users (on contract and system
/// streams alike), customers from the customers, <see cref="AnonymousName"/> for someone not signed
/// in (a refused sign-in) and <see cref="SystemName"/> for LiveContract itself.
/// </summary>
internal sealed class AuditActorNames
{
    public const string SystemName = "LiveContract";

    public const string UnknownName = "Unknown user";

    public const string AnonymousName = "Not signed in";

    private readonly Dictionary<string, string> staff;
    private readonly Dictionary<string, string> customers;

    private AuditActorNames(Dictionary<string, string> staff, Dictionary<string, string> customers)
    {
        this.staff = staff;
        this.customers = customers;
    }

    /// <summary>Looks up, in two queries, everyone who caused one of <paramref name="events"/>.</summary>
    public static async Task<AuditActorNames> LoadAsync(LiveContractDbContext db, IReadOnlyCollection<AuditEvent> events, CancellationToken cancellationToken)
    {
        var staffIds = events
            .Where(e => e.ActorId is not null && e.ActorRole != AuditActor.CustomerRole)
            .Select(e => e.ActorId!)
            .Distinct()
            .ToList();
        var customerIds = events
            .Where(e => e.ActorRole == AuditActor.CustomerRole && Guid.TryParse(e.ActorId, out _))
            .Select(e => Guid.Parse(e.ActorId!))
            .Distinct()
            .ToList();
        var staff = staffIds.Count == 0
            ? []
            : await db.Users.AsNoTracking()
                .Where(u => staffIds.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => u.DisplayName, StringComparer.Ordinal, cancellationToken);
        var customers = customerIds.Count == 0
            ? []
            : (await db.Customers.AsNoTracking()
                .Where(c => customerIds.Contains(c.Id))
                .Select(c => new { c.Id, c.FullName })
                .ToListAsync(cancellationToken))
                .ToDictionary(c => c.Id.ToString("D"), c => c.FullName, StringComparer.OrdinalIgnoreCase);
        return new AuditActorNames(staff, customers);
    }

    /// <summary>The display name of whoever caused <paramref name="audit"/>.</summary>
    public string NameOf(AuditEvent audit) => audit switch
    {
        { ActorId: null, ActorRole: AuditActor.AnonymousRole } => AnonymousName,
        { ActorId: null } => SystemName,
        { ActorRole: AuditActor.CustomerRole } => customers.GetValueOrDefault(audit.ActorId, UnknownName),
        _ => staff.GetValueOrDefault(audit.ActorId, UnknownName),
    };
}
