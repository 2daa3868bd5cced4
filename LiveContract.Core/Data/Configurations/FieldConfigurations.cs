using System.Text.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.Documents;
using LiveContract.Core.Fields;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveContract.Core.Data.Configurations;

internal sealed class FieldConfiguration : IEntityTypeConfiguration<Field>
{
    public const int MaxLabelLength = 200;
    public const int MaxPatternLength = 500;
    public const int MaxPdfFieldNameLength = MaxLabelLength * 2;

    public void Configure(EntityTypeBuilder<Field> builder)
    {
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Party).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Label).HasMaxLength(MaxLabelLength).IsRequired();
        builder.Property(f => f.Pattern).HasMaxLength(MaxPatternLength);
        builder.Property(f => f.PatternMessage).HasMaxLength(MaxLabelLength);
        builder.Property(f => f.PdfFieldName).HasMaxLength(MaxPdfFieldNameLength);
        builder.Property(f => f.Options)
            .HasConversion(
                options => JsonSerializer.Serialize(options, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Default) ?? new List<string>())
            .Metadata.SetValueComparer(new ValueComparer<List<string>>(
                (a, b) => a!.SequenceEqual(b!),
                list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode(StringComparison.Ordinal))),
                list => list.ToList()));
        builder.HasOne<Contract>().WithMany().HasForeignKey(f => f.ContractId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Document>().WithMany().HasForeignKey(f => f.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.ContractId, f.DocumentId, f.Page });
    }
}

internal sealed class FieldValueConfiguration : IEntityTypeConfiguration<FieldValue>
{
    public void Configure(EntityTypeBuilder<FieldValue> builder)
    {
        builder.HasKey(v => v.FieldId);
        builder.Property(v => v.SetById).HasMaxLength(450).IsRequired();
        builder.Property(v => v.SetByParty).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Value).IsRequired();
        builder.HasOne<Field>().WithOne().HasForeignKey<FieldValue>(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contract>().WithMany().HasForeignKey(v => v.ContractId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => v.ContractId);
    }
}
