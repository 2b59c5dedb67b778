using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Moderation.Api.Data;

public static class AuditActions
{
    public const string BlockAuthor = "block-author";
    public const string ScreeningRulesUpdated = "screening-rules-updated";
    public const string ScreeningRulesReset = "screening-rules-reset";
    // Decisions use their own names: approve, hide, restore, hold-for-review.
}

/// <summary>
/// One line of the append-only audit log: who did what, when, why, to which comment and from which state.
/// Only ever inserted: <see cref="ModerationDb"/> refuses changes and a database trigger rejects UPDATE and DELETE.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The moderator or staff member; null for automatic decisions.</summary>
    public Guid? ActorId { get; set; }
    public required string Action { get; set; }
    public Guid? ProcessId { get; set; }
    public Guid? CommentId { get; set; }
    public Guid? DecisionId { get; set; }
    public string? Reason { get; set; }
    public string? Note { get; set; }
    public string? PreviousState { get; set; }
    public string? NewState { get; set; }
    /// <summary>Further facts, e.g. the rule that held a comment or the end of a block.</summary>
    public string? Details { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(a => a.At).HasColumnName("at");
        e.Property(a => a.ActorId).HasColumnName("actor_id");
        e.Property(a => a.Action).HasColumnName("action").HasMaxLength(64);
        e.Property(a => a.ProcessId).HasColumnName("process_id");
        e.Property(a => a.CommentId).HasColumnName("comment_id");
        e.Property(a => a.DecisionId).HasColumnName("decision_id");
        e.Property(a => a.Reason).HasColumnName("reason").HasMaxLength(64);
        e.Property(a => a.Note).HasColumnName("note").HasMaxLength(2000);
        e.Property(a => a.PreviousState).HasColumnName("previous_state").HasMaxLength(32);
        e.Property(a => a.NewState).HasColumnName("new_state").HasMaxLength(32);
        e.Property(a => a.Details).HasColumnName("details");
        e.HasIndex(a => a.At).HasDatabaseName("ix_audit_log_at");
    }
}
