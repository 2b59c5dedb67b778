using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Data;

/// <summary>A text that an edit replaced; moderators see the history of a reported comment.</summary>
public sealed class CommentRevision
{
    public long Id { get; set; }
    public Guid CommentId { get; set; }
    public required string Text { get; set; }
    public required string Stance { get; set; }
    /// <summary>Since when this text was shown (creation or the previous edit).</summary>
    public DateTimeOffset WrittenAt { get; set; }
    public DateTimeOffset ReplacedAt { get; set; }
}

internal sealed class CommentRevisionConfiguration : IEntityTypeConfiguration<CommentRevision>
{
    public void Configure(EntityTypeBuilder<CommentRevision> e)
    {
        e.ToTable("comment_revisions");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).UseIdentityAlwaysColumn();
        e.Property(r => r.Text).HasMaxLength(Comment.MaxTextLength);
        e.Property(r => r.Stance).HasMaxLength(16);
        e.HasIndex(r => new { r.CommentId, r.Id });
        e.HasOne<Comment>().WithMany().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
