using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Data;

public sealed class Comment
{
    public const int MaxTextLength = 5000;
    public const string DeletedUserName = "gelöschter Nutzer";
    public const int MaxNameLength = 200;

    /// <summary>Cuts text from other services or tokens to a column's size, so one odd value cannot block a consumer.</summary>
    public static string? Clamp(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;

    public Guid Id { get; set; }
    public Guid ItemId { get; set; }
    public Guid ProcessId { get; set; }

    /// <summary>The top-level comment this one answers; threads have two levels only.</summary>
    public Guid? ParentId { get; set; }

    /// <summary>Null once the author's account was deleted (the text stays, the link to the person goes).</summary>
    public Guid? AuthorId { get; set; }
    public required string AuthorName { get; set; }
    public bool AuthorDeleted { get; set; }

    /// <summary>Empty once the author deleted the comment.</summary>
    public required string Text { get; set; }
    public required string Stance { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>
    /// When the comment first became visible to everyone; null while it waits for approval. Others see a comment
    /// (or its placeholder) only once this is set, so a rejected pre-moderated comment never shows up at all.
    /// </summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public CommentStatus Status { get; set; }
    public string? ModerationReason { get; set; }
    public string? ModerationNote { get; set; }
    public Guid? LastDecisionId { get; set; }
    public DateTimeOffset? LastDecidedAt { get; set; }

    /// <summary>Up-votes, kept equal to the rows in comment_upvotes by updating both in one statement.</summary>
    public int Supports { get; set; }
    public int OpenReports { get; set; }

    /// <summary>PostgreSQL's xmin: edits and moderation decisions on the same row cannot overwrite each other.</summary>
    public uint Version { get; set; }

    public bool IsDeleted => DeletedAt is not null;
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> e)
    {
        e.ToTable("comments");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.AuthorName).HasMaxLength(Comment.MaxNameLength);
        e.Property(c => c.Text).HasMaxLength(Comment.MaxTextLength);
        e.Property(c => c.Stance).HasMaxLength(16);
        e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.ModerationReason).HasMaxLength(ModerationDecision.MaxReasonLength);
        e.Property(c => c.ModerationNote).HasMaxLength(ModerationDecision.MaxNoteLength);
        e.Property(c => c.Version).HasColumnName("xmin").IsRowVersion();
        e.Ignore(c => c.IsDeleted);

        // Keyset paging of top-level comments: newest/oldest walk the first index, "supported" the second
        // (forwards or backwards); replies are paged by the third; "my comments" by the fourth.
        e.HasIndex(c => new { c.ItemId, c.CreatedAt, c.Id }).HasDatabaseName("ix_comments_item_created").HasFilter("parent_id IS NULL");
        e.HasIndex(c => new { c.ItemId, c.Supports, c.Id }).HasDatabaseName("ix_comments_item_supports").HasFilter("parent_id IS NULL");
        e.HasIndex(c => new { c.ParentId, c.CreatedAt, c.Id }).HasDatabaseName("ix_comments_parent_created").HasFilter("parent_id IS NOT NULL");
        e.HasIndex(c => new { c.AuthorId, c.CreatedAt, c.Id }).HasDatabaseName("ix_comments_author_created");
    }
}
