using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Identity.Api.Data;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// A reply that pre-moderation holds back (CommentPosted with AwaitingReview): its parent's author hears of it only
/// when a moderator approves it (CommentModerated), which names the comment but not whom it answers, so Identity
/// keeps what the notification needs until then.
/// </summary>
public sealed class HeldReply
{
    public Guid CommentId { get; set; }
    public Guid ParentAuthorId { get; set; }
    public Guid ProcessId { get; set; }
    public Guid ItemId { get; set; }
    public required string Excerpt { get; set; }
    public DateTimeOffset HeldAt { get; set; }
}

internal sealed class HeldReplyConfiguration : IEntityTypeConfiguration<HeldReply>
{
    public void Configure(EntityTypeBuilder<HeldReply> e)
    {
        e.ToTable("held_replies");
        e.HasKey(x => x.CommentId);
        e.Property(x => x.CommentId).ValueGeneratedNever();
        e.Property(x => x.Excerpt).HasMaxLength(500);
        e.HasIndex(x => x.HeldAt);
        e.HasOne<MitredenUser>().WithMany().HasForeignKey(x => x.ParentAuthorId).OnDelete(DeleteBehavior.Cascade);
    }
}
