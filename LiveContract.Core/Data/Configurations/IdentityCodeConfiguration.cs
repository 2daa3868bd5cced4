using LiveContract.Core.IdentityChecks;
using LiveContract.Core.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class IdentityCodeConfiguration : IEntityTypeConfiguration<IdentityCode>
{
    public void Configure(EntityTypeBuilder<IdentityCode> builder)
    {
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(8);
        builder.Property(c => c.Destination).HasMaxLength(320).IsRequired();
        builder.Property(c => c.Salt).HasMaxLength(OneTimeCodes.SaltLength).IsRequired();
        builder.Property(c => c.CodeHash).HasMaxLength(32).IsRequired();
        builder.Property(c => c.FailedAttempts).IsConcurrencyToken();
        builder.HasOne<SessionLink>().WithMany().HasForeignKey(c => c.LinkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.LinkId, c.CreatedAt });
    }
}
