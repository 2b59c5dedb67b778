using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mitreden.Comments.Api.Data;

public sealed class CommentReport
{
    public const int MaxNoteLength = 1000;

    public Guid Id { get; set; }
    public Guid CommentId { get; set; }
    /// <summary>Replaced by a random id when the reporter's account is deleted.</summary>
    public Guid ReporterId { get; set; }
    public required string Reason { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set when a moderator decided on the comment (approve, hide, restore); open reports have none.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedByDecisionId { get; set; }
}

internal sealed class CommentReportConfiguration : IEntityTypeConfiguration<CommentReport>
{
    public void Configure(EntityTypeBuilder<CommentReport> e)
    {
        e.ToTable("comment_reports");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Reason).HasMaxLength(50);
        e.Property(r => r.Note).HasMaxLength(CommentReport.MaxNoteLength);
        // One open report per user and comment; after a decision the user may report again.
        e.HasIndex(r => new { r.CommentId, r.ReporterId }).IsUnique().HasFilter("resolved_at IS NULL")
            .HasDatabaseName("ux_comment_reports_open");
        e.HasOne<Comment>().WithMany().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
