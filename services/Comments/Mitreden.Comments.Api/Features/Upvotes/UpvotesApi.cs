using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Upvotes;

public sealed record UpvoteView(Guid CommentId, int Supports, bool SupportedByMe);

/// <summary>
/// One up-vote per user and comment. The vote row and the denormalised comments.supports counter change in one
/// SQL statement (a data-modifying CTE), so they never disagree; repeating POST or DELETE changes nothing.
/// </summary>
public static class UpvotesApi
{
    public static IEndpointRouteBuilder MapUpvotesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/comments/{id:guid}/upvote").WithTags("Comments").RequireAuthorization(AuthPolicies.Citizen);
        group.MapPost("", UpvoteAsync).WithName("UpvoteComment");
        group.MapDelete("", WithdrawAsync).WithName("WithdrawUpvote");
        return app;
    }

    internal static async Task<Results<Ok<UpvoteView>, ProblemHttpResult>> UpvoteAsync(Guid id,
        HttpContext http, CommentsDb db, TimeProvider time, CancellationToken ct)
    {
        var now = time.UtcNowMicros();
        var participant = await Participation.CheckAsync(db, http, now, ct);
        if (participant.Refusal is { } refused)
        {
            return refused;
        }
        var me = participant.UserId;
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null || !comment.IsVisibleTo(me) || !await db.MaySeeCommentAsync(comment, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        if (comment.AuthorId == me)
        {
            return Problems.Invalid("id", "Eigene Beiträge können nicht unterstützt werden.");
        }
        if (comment.IsDeleted || comment.Status != CommentStatus.Published)
        {
            return Problems.Conflict("Nur veröffentlichte Beiträge können unterstützt werden.", "not-published");
        }
        if (Commenting.RefusalFor(await Commenting.GetStateAsync(db, comment.ItemId, now, ct)) is { } closed)
        {
            return closed;
        }
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH added AS (
                INSERT INTO comment_upvotes (comment_id, user_id, created_at) VALUES ({id}, {me}, {now})
                ON CONFLICT DO NOTHING RETURNING comment_id)
            UPDATE comments SET supports = supports + 1 WHERE id IN (SELECT comment_id FROM added)
            """, ct);
        return TypedResults.Ok(new UpvoteView(id, await SupportsAsync(db, id, ct), true));
    }

    internal static async Task<Results<Ok<UpvoteView>, ProblemHttpResult>> WithdrawAsync(Guid id,
        HttpContext http, CommentsDb db, TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null || !comment.IsVisibleTo(me) || !await db.MaySeeCommentAsync(comment, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        if (Commenting.RefusalFor(await Commenting.GetStateAsync(db, comment.ItemId, time.UtcNowMicros(), ct)) is { } closed)
        {
            return closed;
        }
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH removed AS (
                DELETE FROM comment_upvotes WHERE comment_id = {id} AND user_id = {me} RETURNING comment_id)
            UPDATE comments SET supports = supports - 1 WHERE id IN (SELECT comment_id FROM removed)
            """, ct);
        return TypedResults.Ok(new UpvoteView(id, await SupportsAsync(db, id, ct), false));
    }

    private static Task<int> SupportsAsync(CommentsDb db, Guid id, CancellationToken ct) =>
        db.Comments.AsNoTracking().Where(c => c.Id == id).Select(c => c.Supports).FirstAsync(ct);
}
