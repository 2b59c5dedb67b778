using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>A document's description; its bytes live in the <see cref="Features.Documents.IDocumentStore"/>.</summary>
public sealed class DocumentRow
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public Guid? PhaseId { get; set; }
    public Guid? ItemId { get; set; }
    public Guid? EventId { get; set; }
    public required string Title { get; set; }
    public required string FileName { get; set; }
    public required string Kind { get; set; }
    public long Size { get; set; }
    public required byte[] Sha256 { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>The bytes of a document, for the PostgreSQL store (one row per document, read only when downloaded).</summary>
public sealed class DocumentContent
{
    public Guid DocumentId { get; set; }
    public required byte[] Bytes { get; set; }
}

internal sealed class DocumentRowConfiguration : IEntityTypeConfiguration<DocumentRow>
{
    public void Configure(EntityTypeBuilder<DocumentRow> e)
    {
        e.ToTable("documents");
        e.HasKey(d => d.Id);
        e.Property(d => d.Title).HasMaxLength(DocumentLimits.TitleMax);
        e.Property(d => d.FileName).HasMaxLength(DocumentLimits.FileNameMax);
        e.Property(d => d.Kind).HasMaxLength(10);
        e.HasOne<Process>().WithMany().HasForeignKey(d => d.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<EventRow>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(d => new { d.ProcessId, d.UploadedAt });
    }
}

internal sealed class DocumentContentConfiguration : IEntityTypeConfiguration<DocumentContent>
{
    public void Configure(EntityTypeBuilder<DocumentContent> e)
    {
        e.ToTable("document_contents");
        e.HasKey(d => d.DocumentId);
        e.HasOne<DocumentRow>().WithOne().HasForeignKey<DocumentContent>(d => d.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
