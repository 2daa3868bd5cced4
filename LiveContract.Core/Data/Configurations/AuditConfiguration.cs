using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.Property(e => e.Stream).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Type).HasMaxLength(64).IsRequired();
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorRole).HasMaxLength(32);
        builder.Property(e => e.IpAddress).HasMaxLength(ClientLimits.MaxIpAddressLength);

        // Plain text, never jsonb: the hash covers the exact characters written.
        builder.Property(e => e.Data).IsRequired();
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsRequired();

        // The database, not the code, numbers each stream without gaps or duplicates: of two
        // appends racing for the same sequence number only one commits.
        builder.HasIndex(e => new { e.Stream, e.Sequence }).IsUnique();

        // The admin's system stream filtered by kind of event, newest first.
        builder.HasIndex(e => new { e.Stream, e.Type, e.Sequence });
    }
}
