using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Comments.Api.Data;

/// <summary>
/// Every CommentModerated received, keyed by its DecisionId: a decision delivered twice (even with another
/// MessageId) is recognised, and one older than the last applied is kept for the record but not applied.
/// </summary>
public sealed class ModerationDecision
{
    public const int MaxDecisionLength = 30;
    public const int MaxReasonLength = 50;
    public const int MaxNoteLength = 2000;

    public Guid DecisionId { get; set; }
    public Guid CommentId { get; set; }
    public required string Decision { get; set; }
    public string? Reason { get; set; }
    public string? NoteToAuthor { get; set; }
    public Guid? ModeratorId { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public bool Applied { get; set; }
}

internal sealed class ModerationDecisionConfiguration : IEntityTypeConfiguration<ModerationDecision>
{
    public void Configure(EntityTypeBuilder<ModerationDecision> e)
    {
        e.ToTable("moderation_decisions");
        e.HasKey(d => d.DecisionId);
        e.Property(d => d.DecisionId).ValueGeneratedNever();
        e.Property(d => d.Decision).HasMaxLength(ModerationDecision.MaxDecisionLength);
        e.Property(d => d.Reason).HasMaxLength(ModerationDecision.MaxReasonLength);
        e.Property(d => d.NoteToAuthor).HasMaxLength(ModerationDecision.MaxNoteLength);
        e.HasIndex(d => new { d.CommentId, d.DecidedAt });
    }
}
