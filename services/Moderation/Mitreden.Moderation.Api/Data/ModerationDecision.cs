using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Data;

/// <summary>One decision on a comment, by a moderator or automatic (hold-for-review); never changed afterwards.</summary>
public sealed class ModerationDecision
{
    public Guid Id { get; set; }
    public Guid CommentId { get; set; }
    public Guid ProcessId { get; set; }
    /// <summary>The comment's author, so the queue can show an author's earlier decisions.</summary>
    public Guid? AuthorId { get; set; }
    public required string Kind { get; set; }
    public string? Reason { get; set; }
    public string? NoteToAuthor { get; set; }
    /// <summary>Null for automatic decisions.</summary>
    public Guid? ModeratorId { get; set; }
    /// <summary>What caused an automatic decision, e.g. "report-threshold" or "screening:bad-words".</summary>
    public string? Trigger { get; set; }
    public required string PreviousState { get; set; }
    public required string NewState { get; set; }
    /// <summary>When the comment had entered the queue; the start of "time to decision".</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    /// <summary>The comment's version after this decision.</summary>
    public int Version { get; set; }
    public DateTimeOffset? AuthorBlockedUntil { get; set; }
}

internal sealed class ModerationDecisionConfiguration : IEntityTypeConfiguration<ModerationDecision>
{
    public void Configure(EntityTypeBuilder<ModerationDecision> e)
    {
        e.ToTable("decisions");
        e.HasKey(d => d.Id);
        e.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        e.Property(d => d.CommentId).HasColumnName("comment_id");
        e.Property(d => d.ProcessId).HasColumnName("process_id");
        e.Property(d => d.AuthorId).HasColumnName("author_id");
        e.Property(d => d.Kind).HasColumnName("kind").HasMaxLength(32);
        e.Property(d => d.Reason).HasColumnName("reason").HasMaxLength(64);
        e.Property(d => d.NoteToAuthor).HasColumnName("note_to_author").HasMaxLength(2000);
        e.Property(d => d.ModeratorId).HasColumnName("moderator_id");
        e.Property(d => d.Trigger).HasColumnName("trigger").HasMaxLength(64);
        e.Property(d => d.PreviousState).HasColumnName("previous_state").HasMaxLength(32);
        e.Property(d => d.NewState).HasColumnName("new_state").HasMaxLength(32);
        e.Property(d => d.QueuedAt).HasColumnName("queued_at");
        e.Property(d => d.DecidedAt).HasColumnName("decided_at");
        e.Property(d => d.Version).HasColumnName("version");
        e.Property(d => d.AuthorBlockedUntil).HasColumnName("author_blocked_until");
        e.HasIndex(d => new { d.CommentId, d.Version }).IsUnique().HasDatabaseName("ux_decisions_comment_version");
        e.HasIndex(d => new { d.ProcessId, d.DecidedAt }).HasDatabaseName("ix_decisions_process");
        e.HasIndex(d => d.AuthorId).HasDatabaseName("ix_decisions_author");
    }
}
