using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>A news post of a process. <see cref="Html"/> is rendered once when the post is written.</summary>
public sealed class NewsPostRow
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Html { get; set; }
    public Guid? AuthorId { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class NewsPostRowConfiguration : IEntityTypeConfiguration<NewsPostRow>
{
    public void Configure(EntityTypeBuilder<NewsPostRow> e)
    {
        e.ToTable("news_posts");
        e.HasKey(n => n.Id);
        e.Property(n => n.Title).HasMaxLength(NewsLimits.TitleMax);
        e.Property(n => n.Body).HasMaxLength(NewsLimits.BodyMax);
        e.HasOne<Process>().WithMany().HasForeignKey(n => n.ProcessId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(n => new { n.ProcessId, n.PublishedAt });
    }
}
