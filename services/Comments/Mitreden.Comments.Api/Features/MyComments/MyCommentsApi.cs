using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.MyComments;

public sealed record MyCommentsPage(IReadOnlyList<CommentView> Comments, string? NextCursor);

/// <summary>The caller's own comments, newest first, with moderation status, reason code and the note to the author.</summary>
public static class MyCommentsApi
{
    public static IEndpointRouteBuilder MapMyCommentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me/comments", ListAsync)
            .RequireAuthorization(AuthPolicies.Citizen)
            .WithTags("Comments")
            .WithName("ListMyComments");
        return app;
    }

    internal static async Task<Results<Ok<MyCommentsPage>, ProblemHttpResult>> ListAsync(string? cursor, int? pageSize,
        HttpContext http, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        if (ThreadsApi.PageSize(pageSize, options.Value) is not { } size)
        {
            return Problems.BadRequest($"pageSize muss zwischen 1 und {CommentsOptions.MaxPageSize} liegen.", "invalid-parameter", "pageSize");
        }
        var me = http.User.UserId();
        var q = db.Comments.AsNoTracking().Where(c => c.AuthorId == me);
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, SortOrder.Newest, out var after))
            {
                return Problems.BadRequest("Der Cursor ist ungültig.", "invalid-parameter", "cursor");
            }
            var t = after.Time;
            var id = after.Id;
            q = q.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(t, id)));
        }
        var page = await q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(size + 1).ToListAsync(ct);
        var hasMore = page.Count > size;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }
        var upvoted = await ThreadQueries.UpvotedByAsync(db, me, page.Select(c => c.Id).ToList(), ct);
        var presenter = new CommentPresenter(me, false, time.UtcNowMicros(), options.Value.EditWindow, upvoted);
        var next = hasMore ? Cursor.ForTime(SortOrder.Newest, page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new MyCommentsPage(page.Select(c => presenter.Present(c)).ToList(), next));
    }
}
