using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Email;
using LiveContract.Core.LiveSessions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveContract.Core.Administration;

/// <summary>
/// What an administrator needs to see that the installation is sound, on one page: the version,
/// where its data goes, how it sends email, what it holds, and the health of each dependency.
/// Nothing secret: no password, key or secret is part of it.
/// </summary>
public sealed record SystemOverview(
    string Version,
    DatabaseOverview Database,
    DocumentStoreOverview DocumentStore,
    EmailOverview Email,
    LiveSessionServerLoad LiveSessions,
    SystemCounts? Counts,
    IReadOnlyList<HealthEntry> Health,
    DateTimeOffset CheckedAt,
    LiveSessionClusterReport LiveSessionCluster);

/// <summary>
/// The database: its provider, where it is (the SQLite file, or PostgreSQL's host, port and
/// database; never credentials) and its migrations. The migration fields are null when the
/// database could not be asked.
/// </summary>
public sealed record DatabaseOverview(
    DatabaseProvider Provider,
    string Location,
    int? AppliedMigrations,
    string? LatestMigration,
    IReadOnlyList<string>? PendingMigrations);

/// <summary>The document store: a folder (<see cref="Location"/> is its path) or an S3 bucket (<see cref="Location"/> names the bucket and endpoint), and whether its health check reached it.</summary>
public sealed record DocumentStoreOverview(StorageProvider Provider, string Location, bool Reachable);

/// <summary>
/// How email goes out: through an SMTP server (host and port, its TLS setting and whether it logs
/// in; never the password) or into a pickup folder.
/// </summary>
public sealed record EmailOverview(
    EmailMode Mode,
    string From,
    string? SmtpServer,
    SmtpSecurity? SmtpSecurity,
    bool? SmtpAuthentication,
    string? PickupFolder);

/// <summary>What the installation holds; <see cref="StorageBytes"/> is the sum of the documents' sizes.</summary>
public sealed record SystemCounts(
    IReadOnlyList<ContractStatusCount> ContractsByStatus,
    int Documents,
    long StorageBytes,
    int Users,
    int ActiveLiveSessions);

/// <summary>How many contracts have one status.</summary>
public sealed record ContractStatusCount(ContractStatus Status, int Count);

/// <summary>One health check's answer, as <c>/health</c> reports it.</summary>
public sealed record HealthEntry(string Name, HealthStatus Status, string? Description);
