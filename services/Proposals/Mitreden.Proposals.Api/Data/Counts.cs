using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Voting.Contracts;

namespace Mitreden.Proposals.Api.Data;

/// <summary>
/// A visible comment on an item, learned from Comments' events. Lists count these rows; a row per comment (not a
/// counter) makes redelivered or reordered events harmless.
/// </summary>
public sealed class ItemComment
{
    public Guid CommentId { get; set; }
    public Guid ItemId { get; set; }
    public DateTimeOffset PostedAt { get; set; }
}

/// <summary>The latest support count Voting reported for an item in one ballot; lists show the sum over ballots.</summary>
public sealed class ItemSupport
{
    public Guid ItemId { get; set; }
    public Guid BallotId { get; set; }
    public long Supports { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>"citizens" or "voting-group" (Voting's SupportElectorates): the two are shown apart, never added.</summary>
    public string Electorate { get; set; } = SupportElectorates.Citizens;
}

internal sealed class ItemCommentConfiguration : IEntityTypeConfiguration<ItemComment>
{
    public void Configure(EntityTypeBuilder<ItemComment> e)
    {
        e.ToTable("item_comments");
        e.HasKey(c => c.CommentId);
        e.HasIndex(c => c.ItemId);
    }
}

internal sealed class ItemSupportConfiguration : IEntityTypeConfiguration<ItemSupport>
{
    public void Configure(EntityTypeBuilder<ItemSupport> e)
    {
        e.ToTable("item_supports");
        e.HasKey(s => new { s.ItemId, s.BallotId });
        e.Property(s => s.Electorate).HasMaxLength(20).HasDefaultValue(SupportElectorates.Citizens);
    }
}
