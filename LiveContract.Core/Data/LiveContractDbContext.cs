using LiveContract.Core.Accounts;
using LiveContract.Core.Audit;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveContract.Core.Data;

/// <summary>
/// The one model of LiveContract. Each database provider has a subclass with its own migrations
/// (<see cref="SqliteLiveContractDbContext"/>, <see cref="PostgresLiveContractDbContext"/>); the
/// rest of the application only ever asks for this base type.
/// </summary>
public abstract class LiveContractDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    protected LiveContractDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Contract> Contracts => Set<Contract>();

    public DbSet<Document> Documents => Set<Document>();

    public DbSet<ReferenceCounter> ReferenceCounters => Set<ReferenceCounter>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<LiveSession> LiveSessions => Set<LiveSession>();

    public DbSet<SessionLink> SessionLinks => Set<SessionLink>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<Signature> Signatures => Set<Signature>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<Field> Fields => Set<Field>();

    public DbSet<FieldValue> FieldValues => Set<FieldValue>();

    public DbSet<IdentityCode> IdentityCodes => Set<IdentityCode>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LiveContractDbContext).Assembly);
    }
}

public sealed class SqliteLiveContractDbContext(DbContextOptions<SqliteLiveContractDbContext> options)
    : LiveContractDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type: stored as sortable integers, times can be compared and
        // ordered in queries (every time LiveContract writes is UTC).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresLiveContractDbContext(DbContextOptions<PostgresLiveContractDbContext> options)
    : LiveContractDbContext(options);
