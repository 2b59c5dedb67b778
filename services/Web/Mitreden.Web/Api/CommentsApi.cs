namespace Mitreden.Web.Api;

public sealed record CommentAuthor(string Name, bool Deleted);

public sealed record CommentModeration(string? Reason, string? Note, DateTimeOffset? DecidedAt);

public sealed record Comment(Guid Id, Guid ItemId, Guid? ParentId, string Status, bool Deleted, string? Text, string? Notice, string Stance,
    CommentAuthor? Author, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, int Supports, bool SupportedByMe, bool IsMine, bool CanEdit,
    CommentModeration? Moderation, int ReplyCount, IReadOnlyList<Comment>? Replies, string? MoreRepliesCursor);

public sealed record CommentDetail(Comment Comment, Comment? Parent);

public sealed record CommentingState(bool Open, bool PreModeration, string? Reason);

public sealed record CommentThread(Guid ItemId, int Total, CommentingState Commenting, IReadOnlyList<Comment> Comments, string? NextCursor);

public sealed record RepliesPage(Guid ParentId, IReadOnlyList<Comment> Replies, string? NextCursor);

public sealed record PostCommentRequest(string Text, string Stance, Guid? ParentId);

public sealed record EditCommentRequest(string Text, string? Stance);

public sealed record ReportRequest(string Reason, string? Note);

/// <summary>Comments: threads (two levels), stance, up-votes and reports.</summary>
public sealed class CommentsApi(HttpClient http) : ApiClient(http, "comments")
{
    /// <summary>This service writes its problem texts in German (and gives codes for other languages).</summary>
    protected override string ProblemLanguage => "de";

    public static readonly IReadOnlyList<string> Stances = ["pro", "contra", "neutral"];
    public static readonly IReadOnlyList<string> ReportReasons = ["insult", "spam", "off-topic", "personal-data", "advertising", "other"];

    public Task<ApiResult<CommentThread>> ThreadAsync(Guid itemId, string? sort, string? cursor, CancellationToken ct) =>
        GetAsync<CommentThread>(Query($"/items/{itemId}/comments", ("sort", sort), ("cursor", cursor)), ct);

    public Task<ApiResult<RepliesPage>> RepliesAsync(Guid commentId, string? cursor, CancellationToken ct) =>
        GetAsync<RepliesPage>(Query($"/comments/{commentId}/replies", ("cursor", cursor)), ct);

    /// <summary>One comment as the caller may see it (its author sees it in every state, with the state), with its parent.</summary>
    public Task<ApiResult<CommentDetail>> CommentAsync(Guid commentId, CancellationToken ct) => GetAsync<CommentDetail>($"/comments/{commentId}", ct);

    public Task<ApiResult<Comment>> PostAsync(Guid itemId, PostCommentRequest request, CancellationToken ct) =>
        PostAsync<Comment>($"/items/{itemId}/comments", request, ct);

    public Task<ApiResult<Done>> ReportAsync(Guid commentId, ReportRequest request, CancellationToken ct) =>
        PostAsync<Done>($"/comments/{commentId}/reports", request, ct);

    public Task<ApiResult<Done>> UpvoteAsync(Guid commentId, bool on, CancellationToken ct) =>
        on ? PostAsync<Done>($"/comments/{commentId}/upvote", null, ct) : DeleteAsync<Done>($"/comments/{commentId}/upvote", ct);

    public Task<ApiResult<ModeratorCommentView>> ModeratorViewAsync(Guid commentId, CancellationToken ct) =>
        GetAsync<ModeratorCommentView>($"/moderator/comments/{commentId}", ct);

    /// <summary>The author edits within the edit window (Comments keeps the history and refuses hidden or reviewed comments).</summary>
    public Task<ApiResult<Comment>> EditAsync(Guid commentId, EditCommentRequest request, CancellationToken ct) =>
        PutAsync<Comment>($"/comments/{commentId}", request, ct);

    public Task<ApiResult<Done>> DeleteCommentAsync(Guid commentId, CancellationToken ct) => DeleteAsync<Done>($"/comments/{commentId}", ct);
}

public sealed record CommentRevision(string Text, string Stance, DateTimeOffset WrittenAt, DateTimeOffset ReplacedAt);

/// <summary>Comments' full view of one comment for moderators: its context (parent, replies) and history.</summary>
public sealed record ModeratorCommentView(Comment Comment, Guid? AuthorId, Guid ProcessId, int OpenReports, Comment? Parent,
    IReadOnlyList<Comment> Replies, IReadOnlyList<CommentRevision> Revisions);
