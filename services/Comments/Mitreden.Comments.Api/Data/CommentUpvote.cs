using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Comments.Api.Data;

/// <summary>One up-vote of one user; the primary key makes a second one impossible.</summary>
public sealed class CommentUpvote
{
    public Guid CommentId { get; set; }
    /// <summary>Replaced by a random id when the account is deleted, so the count stays and the person goes.</summary>
    public Guid UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CommentUpvoteConfiguration : IEntityTypeConfiguration<CommentUpvote>
{
    public void Configure(EntityTypeBuilder<CommentUpvote> e)
    {
        e.ToTable("comment_upvotes");
        e.HasKey(u => new { u.CommentId, u.UserId });
        e.HasIndex(u => new { u.UserId, u.CommentId });
        e.HasOne<Comment>().WithMany().HasForeignKey(u => u.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
