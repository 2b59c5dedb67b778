namespace Mitreden.Comments.Contracts;

public static class Stances
{
    public const string Pro = "pro";
    public const string Contra = "contra";
    public const string Neutral = "neutral";
}

public static class ReportReasons
{
    public const string Insult = "insult";
    public const string Spam = "spam";
    public const string OffTopic = "off-topic";
    public const string PersonalData = "personal-data";
    public const string Advertising = "advertising";
    public const string Other = "other";
    public static readonly IReadOnlyList<string> All = [Insult, Spam, OffTopic, PersonalData, Advertising, Other];
}

/// <param name="AwaitingReview">True when pre-moderation holds the comment back until a moderator approves it.</param>
/// <param name="ParentAuthorId">The author of the comment answered (for the reply notification); null for a new thread,
/// a deleted author and events from before the field existed.</param>
public record CommentPosted(Guid CommentId, Guid ItemId, Guid ProcessId, Guid? ParentId, Guid AuthorId, string Text,
    string Stance, bool AwaitingReview, DateTimeOffset PostedAt, Guid? ParentAuthorId = null);

public record CommentEdited(Guid CommentId, Guid ItemId, Guid ProcessId, Guid AuthorId, string Text, DateTimeOffset EditedAt);

public record CommentDeleted(Guid CommentId, Guid ItemId, Guid ProcessId, DateTimeOffset DeletedAt);

public record CommentReported(Guid CommentId, Guid ItemId, Guid ProcessId, Guid ReportId, Guid ReporterId, string Reason,
    string? Note, int OpenReports, DateTimeOffset ReportedAt);
