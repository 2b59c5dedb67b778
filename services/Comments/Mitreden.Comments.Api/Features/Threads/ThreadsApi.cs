using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Threads;

/// <summary>Reading threads: anonymous, with the caller's own up-votes and unpublished comments when signed in.</summary>
public static class ThreadsApi
{
    public static IEndpointRouteBuilder MapThreadsApi(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/items/{itemId:guid}").WithTags("Comments");
        items.MapGet("/comments", ListAsync).AllowAnonymous().WithName("ListComments");
        items.MapGet("/commenting", CommentingAsync).AllowAnonymous().WithName("GetCommenting");
        app.MapGet("/comments/{id:guid}/replies", RepliesAsync).AllowAnonymous().WithTags("Comments").WithName("ListReplies");
        return app;
    }

    internal static async Task<Results<Ok<ThreadPage>, ProblemHttpResult>> ListAsync(Guid itemId, string? sort, string? cursor, int? pageSize,
        HttpContext http, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        if (!Cursor.TryParseSort(sort, out var order))
        {
            return Problems.BadRequest("sort muss newest, oldest oder supported sein.", "invalid-parameter", "sort");
        }
        if (PageSize(pageSize, options.Value) is not { } size)
        {
            return Problems.BadRequest($"pageSize muss zwischen 1 und {CommentsOptions.MaxPageSize} liegen.", "invalid-parameter", "pageSize");
        }
        Cursor? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, order, out var decoded))
            {
                return Problems.BadRequest("Der Cursor ist ungültig oder gehört zu einer anderen Sortierung.", "invalid-parameter", "cursor");
            }
            after = decoded;
        }

        if (!await db.MaySeeItemAsync(itemId, http.User, ct))
        {
            return Problems.NotFound("Diesen Inhalt gibt es nicht.");
        }
        var viewer = http.User.TryGetUserId(out var me) ? me : (Guid?)null;
        var now = time.UtcNowMicros();
        var page = await ThreadQueries.TopLevelPage(db, itemId, order, after, viewer, size + 1).ToListAsync(ct);
        var hasMore = page.Count > size;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var parentIds = page.Select(c => c.Id).ToArray();
        var preview = options.Value.RepliesPreview;
        var replies = await ThreadQueries.FirstRepliesAsync(db, parentIds, viewer, preview, ct);
        var counts = await ThreadQueries.ReplyCountsAsync(db, parentIds, viewer, ct);
        var upvoted = await ThreadQueries.UpvotedByAsync(db, viewer, [.. parentIds, .. replies.Select(r => r.Id)], ct);
        var presenter = new CommentPresenter(viewer, false, now, options.Value.EditWindow, upvoted);

        var repliesByParent = replies.GroupBy(r => r.ParentId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, GuidOrder.Instance).ToList());
        var views = page.Select(c =>
        {
            var own = repliesByParent.GetValueOrDefault(c.Id) ?? [];
            var count = counts.GetValueOrDefault(c.Id);
            var more = count > own.Count && own.Count > 0 ? Cursor.ForTime(SortOrder.Oldest, own[^1].CreatedAt, own[^1].Id).Encode() : null;
            return presenter.Present(c, count, own.Select(r => presenter.Present(r)).ToList(), more);
        }).ToList();

        var total = await db.Items.AsNoTracking().Where(i => i.ItemId == itemId).Select(i => i.CommentCount).FirstOrDefaultAsync(ct);
        var state = await Commenting.GetStateAsync(db, itemId, now, ct);
        var next = hasMore ? ThreadQueries.CursorAfter(page[^1], order).Encode() : null;
        return TypedResults.Ok(new ThreadPage(itemId, total, ToView(state, http.User), views, next));
    }

    internal static async Task<Results<Ok<RepliesPage>, ProblemHttpResult>> RepliesAsync(Guid id, string? cursor, int? pageSize,
        HttpContext http, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        if (PageSize(pageSize, options.Value) is not { } size)
        {
            return Problems.BadRequest($"pageSize muss zwischen 1 und {CommentsOptions.MaxPageSize} liegen.", "invalid-parameter", "pageSize");
        }
        Cursor? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, SortOrder.Oldest, out var decoded))
            {
                return Problems.BadRequest("Der Cursor ist ungültig.", "invalid-parameter", "cursor");
            }
            after = decoded;
        }
        var viewer = http.User.TryGetUserId(out var me) ? me : (Guid?)null;
        var parent = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (parent is null || !parent.IsVisibleTo(viewer) || !await db.MaySeeCommentAsync(parent, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        var page = await ThreadQueries.RepliesPage(db, id, after, viewer, size + 1).ToListAsync(ct);
        var hasMore = page.Count > size;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }
        var upvoted = await ThreadQueries.UpvotedByAsync(db, viewer, page.Select(c => c.Id).ToList(), ct);
        var presenter = new CommentPresenter(viewer, false, time.UtcNowMicros(), options.Value.EditWindow, upvoted);
        var next = hasMore ? Cursor.ForTime(SortOrder.Oldest, page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new RepliesPage(id, page.Select(c => presenter.Present(c)).ToList(), next));
    }

    internal static async Task<Results<Ok<CommentingView>, ProblemHttpResult>> CommentingAsync(Guid itemId, HttpContext http, CommentsDb db,
        TimeProvider time, CancellationToken ct) =>
        await db.MaySeeItemAsync(itemId, http.User, ct)
            ? TypedResults.Ok(ToView(await Commenting.GetStateAsync(db, itemId, time.UtcNowMicros(), ct), http.User))
            : Problems.NotFound("Diesen Inhalt gibt es nicht.");

    internal static int? PageSize(int? requested, CommentsOptions options) =>
        requested switch
        {
            null => Math.Clamp(options.DefaultPageSize, 1, CommentsOptions.MaxPageSize),
            >= 1 and <= CommentsOptions.MaxPageSize => requested,
            _ => null,
        };

    private static CommentingView ToView(CommentingState state, ClaimsPrincipal caller) =>
        new(state.Open, state.Open && state.PreModeration,
            !state.ItemKnown ? "item-unknown"
            : !state.Open ? "commenting-closed"
            : Commenting.NeedsConfirmedEmail(state, caller) ? Commenting.EmailUnconfirmedCode
            : null,
            !state.UnconfirmedAccountsMayComment);
}

/// <summary>PostgreSQL's uuid order (bytes as written in the text form), for sorting in memory like the database does.</summary>
internal sealed class GuidOrder : IComparer<Guid>
{
    public static readonly GuidOrder Instance = new();

    public int Compare(Guid x, Guid y) => string.CompareOrdinal(x.ToString("N"), y.ToString("N"));
}
