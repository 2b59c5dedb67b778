using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Data;

/// <summary>Visibility of a comment as Moderation decided it (Comments applies it).</summary>
public static class CommentStates
{
    public const string Visible = "visible";
    /// <summary>Pre-moderation: not shown until a moderator approves it.</summary>
    public const string AwaitingReview = "awaiting-review";
    /// <summary>Hidden automatically (screening rule or report threshold) until a moderator decides.</summary>
    public const string Held = "held";
    public const string Hidden = "hidden";
    public const string Deleted = "deleted";
}

/// <summary>
/// What Moderation knows about one comment: its text (for screening), its state and its place in the queue.
/// Events may arrive out of order, so a report can create the row before the comment's own event fills it in.
/// </summary>
public sealed class ModeratedComment
{
    public Guid Id { get; set; }
    /// <summary>Arrival order; the last tie-breaker of the queue order.</summary>
    public long Seq { get; set; }
    public Guid ProcessId { get; set; }
    public Guid ItemId { get; set; }
    public Guid? ParentId { get; set; }
    /// <summary>Null until CommentPosted or CommentEdited has arrived.</summary>
    public Guid? AuthorId { get; set; }
    public string? Text { get; set; }
    /// <summary>SHA-256 of the normalised text, for repeated-text detection.</summary>
    public string? TextHash { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public string State { get; set; } = CommentStates.Visible;
    public bool InQueue { get; set; }
    /// <summary>When the comment entered the queue (again); the start of "time to decision".</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    /// <summary>Open reports from distinct reporters since the last moderator decision.</summary>
    public int OpenReports { get; set; }
    /// <summary>Counts decisions; a moderator decides on the version they saw, a newer one makes it a conflict.</summary>
    public int Version { get; set; }
    /// <summary>PostgreSQL xmin: concurrent consumers and decisions on one comment retry instead of overwriting.</summary>
    public uint RowVersion { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public List<CommentFlag> Flags { get; } = [];
    public List<CommentReport> Reports { get; } = [];

    /// <summary>Hidden and deleted comments have nothing left to review; reports and flags on them are only kept.</summary>
    public bool CanEnterQueue => State is not (CommentStates.Hidden or CommentStates.Deleted);

    public void EnterQueue(DateTimeOffset now)
    {
        if (!InQueue && CanEnterQueue)
        {
            InQueue = true;
            QueuedAt = now;
        }
    }

    public void LeaveQueue()
    {
        InQueue = false;
        QueuedAt = null;
        OpenReports = 0;
    }
}

/// <summary>A screening rule that matched; open until a moderator decides on the comment.</summary>
public sealed class CommentFlag
{
    public Guid Id { get; set; }
    public Guid CommentId { get; set; }
    public required string Rule { get; set; }
    public required string Severity { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? ResolvedByDecisionId { get; set; }
}

/// <summary>A citizen's report, as Comments published it; open until a moderator decides on the comment.</summary>
public sealed class CommentReport
{
    public Guid ReportId { get; set; }
    public Guid CommentId { get; set; }
    public Guid ReporterId { get; set; }
    public required string Reason { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public Guid? ResolvedByDecisionId { get; set; }
}

internal sealed class ModeratedCommentConfiguration : IEntityTypeConfiguration<ModeratedComment>
{
    public void Configure(EntityTypeBuilder<ModeratedComment> e)
    {
        e.ToTable("comments");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        e.Property(c => c.Seq).HasColumnName("seq").UseIdentityAlwaysColumn();
        e.Property(c => c.ProcessId).HasColumnName("process_id");
        e.Property(c => c.ItemId).HasColumnName("item_id");
        e.Property(c => c.ParentId).HasColumnName("parent_id");
        e.Property(c => c.AuthorId).HasColumnName("author_id");
        e.Property(c => c.Text).HasColumnName("text");
        e.Property(c => c.TextHash).HasColumnName("text_hash").HasMaxLength(64);
        e.Property(c => c.PostedAt).HasColumnName("posted_at");
        e.Property(c => c.EditedAt).HasColumnName("edited_at");
        e.Property(c => c.State).HasColumnName("state").HasMaxLength(32);
        e.Property(c => c.InQueue).HasColumnName("in_queue");
        e.Property(c => c.QueuedAt).HasColumnName("queued_at");
        e.Property(c => c.OpenReports).HasColumnName("open_reports");
        e.Property(c => c.Version).HasColumnName("version");
        e.Property(c => c.RowVersion).IsRowVersion();
        e.Property(c => c.FirstSeenAt).HasColumnName("first_seen_at");
        e.HasMany(c => c.Flags).WithOne().HasForeignKey(f => f.CommentId);
        e.HasMany(c => c.Reports).WithOne().HasForeignKey(r => r.CommentId);
        e.HasIndex(c => new { c.ProcessId, c.OpenReports, c.QueuedAt, c.Seq })
            .HasFilter("in_queue").HasDatabaseName("ix_comments_queue")
            .IsDescending(false, true, false, false);
        e.HasIndex(c => new { c.TextHash, c.PostedAt }).HasDatabaseName("ix_comments_text_hash");
        e.HasIndex(c => new { c.AuthorId, c.PostedAt }).HasDatabaseName("ix_comments_author");
    }
}

internal sealed class CommentFlagConfiguration : IEntityTypeConfiguration<CommentFlag>
{
    public void Configure(EntityTypeBuilder<CommentFlag> e)
    {
        e.ToTable("comment_flags");
        e.HasKey(f => f.Id);
        e.Property(f => f.Id).HasColumnName("id").ValueGeneratedNever();
        e.Property(f => f.CommentId).HasColumnName("comment_id");
        e.Property(f => f.Rule).HasColumnName("rule").HasMaxLength(64);
        e.Property(f => f.Severity).HasColumnName("severity").HasMaxLength(16);
        e.Property(f => f.Detail).HasColumnName("detail").HasMaxLength(500);
        e.Property(f => f.CreatedAt).HasColumnName("created_at");
        e.Property(f => f.ResolvedByDecisionId).HasColumnName("resolved_by_decision_id");
        e.HasIndex(f => f.CommentId).HasDatabaseName("ix_comment_flags_comment");
    }
}

internal sealed class CommentReportConfiguration : IEntityTypeConfiguration<CommentReport>
{
    public void Configure(EntityTypeBuilder<CommentReport> e)
    {
        e.ToTable("comment_reports");
        e.HasKey(r => r.ReportId);
        e.Property(r => r.ReportId).HasColumnName("report_id").ValueGeneratedNever();
        e.Property(r => r.CommentId).HasColumnName("comment_id");
        e.Property(r => r.ReporterId).HasColumnName("reporter_id");
        e.Property(r => r.Reason).HasColumnName("reason").HasMaxLength(64);
        e.Property(r => r.Note).HasColumnName("note").HasMaxLength(2000);
        e.Property(r => r.ReportedAt).HasColumnName("reported_at");
        e.Property(r => r.ResolvedByDecisionId).HasColumnName("resolved_by_decision_id");
        e.HasIndex(r => r.CommentId).HasDatabaseName("ix_comment_reports_comment");
    }
}
