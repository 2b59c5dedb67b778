using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Web.Api;

/// <summary>Comments: threads (two levels), stance, up-votes and reports.</summary>
public sealed class CommentsApi(HttpClient http) : ApiClient(http, "comments")
{
    /// <summary>This service writes its problem texts in German (and gives codes for other languages).</summary>
    protected override string ProblemLanguage => "de";

    public static readonly IReadOnlyList<string> Stances = WireCode.All<Stance>();
    public static readonly IReadOnlyList<string> ReportReasons = Mitreden.Comments.Contracts.ReportReasons.All;

    public Task<ApiResult<ThreadPage>> ThreadAsync(Guid itemId, string? sort, string? cursor, CancellationToken ct) =>
        GetAsync<ThreadPage>(Query($"/items/{itemId}/comments", ("sort", sort), ("cursor", cursor)), ct);

    public Task<ApiResult<RepliesPage>> RepliesAsync(Guid commentId, string? cursor, CancellationToken ct) =>
        GetAsync<RepliesPage>(Query($"/comments/{commentId}/replies", ("cursor", cursor)), ct);

    /// <summary>One comment as the caller may see it (its author sees it in every state, with the state), with its parent.</summary>
    public Task<ApiResult<CommentDetail>> CommentAsync(Guid commentId, CancellationToken ct) => GetAsync<CommentDetail>($"/comments/{commentId}", ct);

    public Task<ApiResult<CommentView>> PostAsync(Guid itemId, PostCommentRequest request, CancellationToken ct) =>
        PostAsync<CommentView>($"/items/{itemId}/comments", request, ct);

    public Task<ApiResult<Done>> ReportAsync(Guid commentId, ReportCommentRequest request, CancellationToken ct) =>
        PostAsync<Done>($"/comments/{commentId}/reports", request, ct);

    public Task<ApiResult<Done>> UpvoteAsync(Guid commentId, bool on, CancellationToken ct) =>
        on ? PostAsync<Done>($"/comments/{commentId}/upvote", null, ct) : DeleteAsync<Done>($"/comments/{commentId}/upvote", ct);

    public Task<ApiResult<ModeratorCommentView>> ModeratorViewAsync(Guid commentId, CancellationToken ct) =>
        GetAsync<ModeratorCommentView>($"/moderator/comments/{commentId}", ct);

    /// <summary>The author edits within the edit window (Comments keeps the history and refuses hidden or reviewed comments).</summary>
    public Task<ApiResult<CommentView>> EditAsync(Guid commentId, EditCommentRequest request, CancellationToken ct) =>
        PutAsync<CommentView>($"/comments/{commentId}", request, ct);

    public Task<ApiResult<Done>> DeleteCommentAsync(Guid commentId, CancellationToken ct) => DeleteAsync<Done>($"/comments/{commentId}", ct);
}
