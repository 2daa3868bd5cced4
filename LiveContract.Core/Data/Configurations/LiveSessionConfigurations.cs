using LiveContract.Core.Accounts;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class LiveSessionConfiguration : IEntityTypeConfiguration<LiveSession>
{
    public void Configure(EntityTypeBuilder<LiveSession> builder)
    {
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.AdvisorId).HasMaxLength(450).IsRequired();
        builder.Property(s => s.EndedById).HasMaxLength(450);
        builder.HasOne(s => s.Contract).WithMany().HasForeignKey(s => s.ContractId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.AdvisorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Links).WithOne(l => l.Session).HasForeignKey(l => l.SessionId).OnDelete(DeleteBehavior.Cascade);

        // The database, not the code, guarantees at most one active session per contract.
        builder.HasIndex(s => s.ContractId)
            .IsUnique()
            .HasFilter($"\"Status\" = '{nameof(LiveSessionStatus.Active)}'")
            .HasDatabaseName("IX_LiveSessions_ContractId_Active");
        builder.HasIndex(s => new { s.ContractId, s.StartedAt });

        // The admin's session lists: active ones by start, ended ones by end.
        builder.HasIndex(s => new { s.Status, s.StartedAt });
        builder.HasIndex(s => new { s.Status, s.EndedAt });
    }
}

internal sealed class SessionLinkConfiguration : IEntityTypeConfiguration<SessionLink>
{
    public void Configure(EntityTypeBuilder<SessionLink> builder)
    {
        builder.Property(l => l.TokenHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => new { l.SessionId, l.CreatedAt });
    }
}
