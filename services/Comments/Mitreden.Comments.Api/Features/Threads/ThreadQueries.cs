using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Threads;

/// <summary>The keyset queries behind thread listings; the 10,000-comment plan test runs exactly these.</summary>
internal static class ThreadQueries
{
    /// <summary>
    /// One page of top-level comments of an item, after <paramref name="after"/>. Newest/oldest walk
    /// ix_comments_item_created (item_id, created_at, id) backwards/forwards, supported walks
    /// ix_comments_item_supports (item_id, supports, id) backwards; the row comparison (key, id) &lt;/&gt; (k, i)
    /// is an index condition, so a deep page costs what the first one does.
    /// </summary>
    public static IQueryable<Comment> TopLevelPage(CommentsDb db, Guid itemId, SortOrder sort, Cursor? after, Guid? viewer, int take)
    {
        var q = db.Comments.AsNoTracking().Where(c => c.ItemId == itemId && c.ParentId == null).VisibleTo(viewer);
        switch (sort)
        {
            case SortOrder.Oldest:
                if (after is { } a1)
                {
                    var t = a1.Time;
                    var id = a1.Id;
                    q = q.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(t, id)));
                }
                return q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(take);
            case SortOrder.Supported:
                if (after is { } a2)
                {
                    var supports = (int)a2.Key;
                    var id = a2.Id;
                    q = q.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.Supports, c.Id), ValueTuple.Create(supports, id)));
                }
                return q.OrderByDescending(c => c.Supports).ThenByDescending(c => c.Id).Take(take);
            default:
                if (after is { } a3)
                {
                    var t = a3.Time;
                    var id = a3.Id;
                    q = q.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(t, id)));
                }
                return q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(take);
        }
    }

    public static Cursor CursorAfter(Comment last, SortOrder sort) =>
        sort == SortOrder.Supported ? new Cursor(sort, last.Supports, last.Id) : Cursor.ForTime(sort, last.CreatedAt, last.Id);

    /// <summary>Replies of one top-level comment, oldest first, after a cursor (ix_comments_parent_created).</summary>
    public static IQueryable<Comment> RepliesPage(CommentsDb db, Guid parentId, Cursor? after, Guid? viewer, int take)
    {
        var q = db.Comments.AsNoTracking().Where(c => c.ParentId == parentId).VisibleTo(viewer);
        if (after is { } a)
        {
            var t = a.Time;
            var id = a.Id;
            q = q.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(t, id)));
        }
        return q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(take);
    }

    /// <summary>
    /// The first <paramref name="perParent"/> replies of each parent: one short index range scan per parent
    /// (LATERAL), however many replies a parent has.
    /// </summary>
    public static Task<List<Comment>> FirstRepliesAsync(CommentsDb db, Guid[] parentIds, Guid? viewer, int perParent, CancellationToken ct)
    {
        if (parentIds.Length == 0 || perParent <= 0)
        {
            return Task.FromResult(new List<Comment>());
        }
        // Guid.Empty never matches an author, so an anonymous viewer sees published replies only.
        var me = viewer ?? Guid.Empty;
        return db.Comments.FromSql($"""
                SELECT r.* FROM unnest({parentIds}) AS p(id)
                CROSS JOIN LATERAL (
                    SELECT c.*, c.xmin FROM comments c
                    WHERE c.parent_id = p.id AND (c.published_at IS NOT NULL OR c.author_id = {me})
                    ORDER BY c.created_at, c.id
                    LIMIT {perParent}) AS r
                """)
            .AsNoTracking()
            .ToListAsync(ct);
    }

    public static async Task<Dictionary<Guid, int>> ReplyCountsAsync(CommentsDb db, Guid[] parentIds, Guid? viewer, CancellationToken ct)
    {
        if (parentIds.Length == 0)
        {
            return [];
        }
        var counts = await db.Comments.AsNoTracking()
            .Where(c => c.ParentId != null && parentIds.Contains(c.ParentId.Value))
            .VisibleTo(viewer)
            .GroupBy(c => c.ParentId!.Value)
            .Select(g => new { ParentId = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return counts.ToDictionary(x => x.ParentId, x => x.Count);
    }

    public static async Task<HashSet<Guid>> UpvotedByAsync(CommentsDb db, Guid? viewer, IReadOnlyCollection<Guid> commentIds, CancellationToken ct)
    {
        if (viewer is not { } me || commentIds.Count == 0)
        {
            return [];
        }
        var ids = commentIds.ToArray();
        var upvoted = await db.Upvotes.AsNoTracking()
            .Where(u => u.UserId == me && ids.Contains(u.CommentId))
            .Select(u => u.CommentId)
            .ToListAsync(ct);
        return [.. upvoted];
    }
}
