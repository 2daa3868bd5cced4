using System.Globalization;
using System.Text.Json;
using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.LiveSessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// Fills a fresh LiveContract database with an installation that has run for years: many
/// contracts spread over advisors and statuses, their documents (metadata only, no bytes), each
/// contract's first audit event (correctly chained, so "verify all chains" has real work), live
/// sessions (some active) and API tokens. Rows go in through EF Core in batches, so the same code
/// seeds SQLite and PostgreSQL with exactly the app's mapping. Shared with the admin benchmark
/// (benchmarks/LiveContract.LoadTest links this file).
/// </summary>
public sealed class ScaleSeed
{
    private const int BatchSize = 2_000;

    public int Contracts { get; init; } = 100_000;

    public int Advisors { get; init; } = 50;

    public int ActiveSessions { get; init; } = 100;

    public int EndedSessions { get; init; } = 1_000;

    public int ApiTokens { get; init; } = 500;

    /// <summary>The seeded advisors' ids, in order; contract i belongs to advisor i % Advisors.</summary>
    public IReadOnlyList<string> AdvisorIds { get; private set; } = [];

    /// <summary>Contracts per status, as seeded.</summary>
    public IReadOnlyDictionary<ContractStatus, int> ByStatus { get; private set; } = new Dictionary<ContractStatus, int>();

    /// <summary>Documents seeded, and the sum of their sizes.</summary>
    public (int Count, long Bytes) Documents { get; private set; }

    /// <summary>The reference of contract <paramref name="index"/> (0-based).</summary>
    public static string Reference(int index) => $"LC-2025-{index + 1:000000}";

    /// <summary>Contract <paramref name="index"/>'s status: 40 % Draft, 30 % Review, 30 % Signed.</summary>
    public static ContractStatus StatusOf(int index) => (index % 10) switch
    {
        < 4 => ContractStatus.Draft,
        < 7 => ContractStatus.Review,
        _ => ContractStatus.Signed,
    };

    public async Task SeedAsync(IDbContextFactory<LiveContractDbContext> databases, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        var start = AuditTrail.Normalize(now.AddYears(-1));
        var advisors = await SeedAdvisorsAsync(databases, start, cancellationToken);
        AdvisorIds = advisors;

        var byStatus = new Dictionary<ContractStatus, int>();
        var documents = 0;
        var bytes = 0L;
        var contractIds = new Guid[Contracts];
        for (var first = 0; first < Contracts; first += BatchSize)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(first + BatchSize, Contracts); i++)
            {
                var at = start.AddMinutes(i * 5);
                var status = StatusOf(i);
                byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                var customer = new Customer
                {
                    Id = Guid.NewGuid(),
                    FullName = $"Customer {i + 1:000000}",
                    Email = $"customer{i + 1:000000}@scale.example",
                    CreatedAt = at,
                };
                var contract = new Contract
                {
                    Id = Guid.NewGuid(),
                    Reference = Reference(i),
                    Title = $"Contract {i + 1} ({(i % 3 == 0 ? "home insurance" : i % 3 == 1 ? "savings plan" : "mortgage")})",
                    AdvisorId = advisors[i % advisors.Count],
                    CustomerId = customer.Id,
                    Status = status,
                    CreatedAt = at,
                    UpdatedAt = at.AddMinutes(1),
                    ReviewStartedAt = status == ContractStatus.Draft ? null : at.AddMinutes(1),
                    SignedAt = status == ContractStatus.Signed ? at.AddMinutes(1) : null,
                    Version = 1,
                };
                contractIds[i] = contract.Id;
                db.Customers.Add(customer);
                db.Contracts.Add(contract);

                // A signed contract accepts only its sealed PDF (a database trigger); keep it simple.
                if (status != ContractStatus.Signed)
                {
                    var size = 40_000L + (i % 100) * 1_000;
                    documents++;
                    bytes += size;
                    db.Documents.Add(new Document
                    {
                        Id = Guid.NewGuid(),
                        ContractId = contract.Id,
                        FileName = "contract.pdf",
                        Size = size,
                        PageCount = 1 + (i % 12),
                        Sha256 = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                        StorageKey = $"scale/{contract.Id:N}",
                        Kind = DocumentKind.Original,
                        UploadedById = contract.AdvisorId,
                        UploadedAt = at,
                    });
                }

                var created = new AuditEvent
                {
                    Stream = AuditStreams.Contract(contract.Id),
                    Sequence = 1,
                    Type = AuditEventTypes.ContractCreated,
                    At = AuditTrail.Normalize(at),
                    ActorId = contract.AdvisorId,
                    ActorRole = AuditActor.AdvisorRole,
                    Data = JsonSerializer.Serialize(
                        new { reference = contract.Reference, title = contract.Title, customerId = customer.Id, customerName = customer.FullName, customerEmail = customer.Email, advisorMustSign = true }),
                    PreviousHash = "",
                };
                created.Hash = AuditTrail.ComputeHash(created);
                db.AuditEvents.Add(created);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        ByStatus = byStatus;
        Documents = (documents, bytes);
        await SeedSessionsAndTokensAsync(databases, contractIds, now, cancellationToken);
    }

    private async Task<List<string>> SeedAdvisorsAsync(IDbContextFactory<LiveContractDbContext> databases, DateTimeOffset start, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var roleId = await db.Roles.Where(r => r.Name == Roles.Advisor).Select(r => r.Id).SingleAsync(cancellationToken);
        var ids = new List<string>();
        for (var i = 0; i < Advisors; i++)
        {
            var email = $"advisor{i + 1:000}@scale.example";
            var user = new ApplicationUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = string.Create(CultureInfo.InvariantCulture, $"Scale Advisor {i + 1:000}"),
                CreatedAt = start,
                LastLoginAt = i % 2 == 0 ? start.AddDays(i) : null,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
            };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
            ids.Add(user.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ids;
    }

    private async Task SeedSessionsAndTokensAsync(IDbContextFactory<LiveContractDbContext> databases, Guid[] contractIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var contracts = await db.Contracts.AsNoTracking()
            .Where(c => c.Status == ContractStatus.Review)
            .OrderBy(c => c.Reference)
            .Take(ActiveSessions + EndedSessions)
            .Select(c => new { c.Id, c.AdvisorId, c.CustomerId })
            .ToListAsync(cancellationToken);
        for (var i = 0; i < contracts.Count; i++)
        {
            var active = i < ActiveSessions;
            var started = now.AddMinutes(-(i + 1) * 7);
            db.LiveSessions.Add(new LiveSession
            {
                Id = Guid.NewGuid(),
                ContractId = contracts[i].Id,
                AdvisorId = contracts[i].AdvisorId,
                CustomerId = contracts[i].CustomerId,
                Status = active ? LiveSessionStatus.Active : LiveSessionStatus.Ended,
                StartedAt = started,
                EndedAt = active ? null : started.AddMinutes(5),
                EndedById = active ? null : contracts[i].AdvisorId,
            });
        }

        for (var i = 0; i < ApiTokens; i++)
        {
            db.ApiTokens.Add(new ApiToken
            {
                Id = Guid.NewGuid(),
                UserId = AdvisorIds[i % AdvisorIds.Count],
                Name = $"Integration {i + 1}",
                Prefix = $"lc_{i:x6}",
                TokenHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                CreatedAt = now.AddHours(-i),
                RevokedAt = i % 5 == 0 ? now.AddMinutes(-i) : null,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
