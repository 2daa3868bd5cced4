using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.IdentityChecks;
using LiveContract.Core.Localization;
using LiveContract.Core.Signing.Sealing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.FullName).HasMaxLength(ContractRules.MaxNameLength).IsRequired();
        builder.Property(c => c.Email).HasMaxLength(ContractRules.MaxEmailLength).IsRequired();
        builder.HasIndex(c => c.Email).IsUnique();
    }
}

internal sealed class ContractConfiguration : IEntityTypeConfiguration<Contract>
{
    public void Configure(EntityTypeBuilder<Contract> builder)
    {
        builder.Property(c => c.Reference).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.Property(c => c.Title).HasMaxLength(ContractRules.MaxTitleLength).IsRequired();
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.SealingLeaseHolder).HasMaxLength(SealingLease.MaxHolderLength);
        builder.Property(c => c.CustomerPhone).HasMaxLength(ContactPoints.MaxPhoneLength);
        builder.Property(c => c.Language).HasMaxLength(2).IsRequired().HasDefaultValue(Languages.Default);
        builder.Property(c => c.CustomerTimeZone).HasMaxLength(ContractRules.MaxTimeZoneLength);
        builder.Property(c => c.IdentityCheckOffById).HasMaxLength(450);
        builder.OwnsOne(c => c.AdvisorCheck, check =>
        {
            check.Property(a => a.Method).HasConversion<string>().HasMaxLength(16);
            check.Property(a => a.DocumentType).HasMaxLength(AdvisorIdentityCheck.MaxDocumentTypeLength);
            check.Property(a => a.DocumentEnding).HasMaxLength(4);
            check.Property(a => a.CheckedById).HasMaxLength(450);
        });
        builder.HasOne(c => c.Advisor).WithMany().HasForeignKey(c => c.AdvisorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.Customer).WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Documents).WithOne().HasForeignKey(d => d.ContractId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.AdvisorId, c.UpdatedAt });
        builder.HasIndex(c => new { c.Status, c.UpdatedAt });

        // The admin tables at 100,000 contracts: counts per advisor and status (users page,
        // deactivation), and all contracts by last change.
        builder.HasIndex(c => new { c.AdvisorId, c.Status });
        builder.HasIndex(c => c.UpdatedAt);
    }
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.Property(d => d.FileName).HasMaxLength(FileNames.MaxLength).IsRequired();
        builder.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(d => d.PinnedSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(d => d.StorageKey).HasMaxLength(128).IsRequired();
        builder.HasIndex(d => d.StorageKey).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.UploadedById).HasMaxLength(450).IsRequired();

        builder.HasIndex(d => d.ContractId);

        // One sealed PDF per contract: two sealers racing (a retry, another server) insert it once.
        builder.HasIndex(d => d.ContractId, "IX_Documents_ContractId_Sealed")
            .IsUnique()
            .HasFilter($"\"Kind\" = '{nameof(DocumentKind.Sealed)}'");
    }
}

internal sealed class ReferenceCounterConfiguration : IEntityTypeConfiguration<ReferenceCounter>
{
    public void Configure(EntityTypeBuilder<ReferenceCounter> builder)
    {
        builder.HasKey(r => r.Year);
        builder.Property(r => r.Year).ValueGeneratedNever();
    }
}
