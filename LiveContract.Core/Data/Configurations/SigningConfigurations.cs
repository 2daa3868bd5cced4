using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.LiveSessions;
using LiveContract.Core.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class SignatureConfiguration : IEntityTypeConfiguration<Signature>
{
    public void Configure(EntityTypeBuilder<Signature> builder)
    {
        builder.Property(s => s.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.SignerId).HasMaxLength(450).IsRequired();
        builder.Property(s => s.FullName).HasMaxLength(ContractRules.MaxNameLength).IsRequired();
        builder.Property(s => s.SignerEmail).HasMaxLength(ContractRules.MaxEmailLength).IsRequired();
        builder.Property(s => s.Image).IsRequired();
        builder.Property(s => s.ConsentSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(s => s.DocumentHashes).IsRequired();
        builder.Property(s => s.FieldValuesSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(s => s.IpAddress).HasMaxLength(ClientLimits.MaxIpAddressLength);
        builder.Property(s => s.UserAgent).HasMaxLength(ClientLimits.MaxUserAgentLength);
        builder.Property(s => s.IdentityCheck).HasMaxLength(400);
        builder.HasOne<Contract>().WithMany().HasForeignKey(s => s.ContractId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LiveSession>().WithMany().HasForeignKey(s => s.LiveSessionId).OnDelete(DeleteBehavior.Restrict);

        // Exactly one signature per signer: of two racing signatures by one signer only one commits.
        builder.HasIndex(s => new { s.ContractId, s.Role }).IsUnique();
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.Property(k => k.Thumbprint).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(k => k.Thumbprint).IsUnique();
        builder.Property(k => k.Subject).HasMaxLength(256).IsRequired();
        builder.Property(k => k.Certificate).IsRequired();
        builder.Property(k => k.EncryptedPkcs12).IsRequired();
        builder.HasIndex(k => k.CreatedAt);
    }
}
