using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Queue;

public static class QueueQueries
{
    public static IQueryable<ModeratedComment> InQueue(this ModerationDb db, Guid? processId) =>
        processId is { } id
            ? db.Comments.Where(c => c.InQueue && c.ProcessId == id)
            : db.Comments.Where(c => c.InQueue);

    public static IOrderedQueryable<ModeratedComment> InQueueOrder(this IQueryable<ModeratedComment> query) =>
        query.OrderByDescending(c => c.OpenReports).ThenBy(c => c.QueuedAt).ThenBy(c => c.Seq);

    public static IQueryable<ModeratedComment> After(this IQueryable<ModeratedComment> query, QueueCursor k) =>
        query.Where(c => c.OpenReports < k.OpenReports
            || (c.OpenReports == k.OpenReports && (c.QueuedAt > k.QueuedAt || (c.QueuedAt == k.QueuedAt && c.Seq > k.Seq))));

    public static QueueCursor? CursorOf(ModeratedComment comment) =>
        comment.InQueue && comment.QueuedAt is { } at ? new QueueCursor(comment.OpenReports, at, comment.Seq) : null;

    public static async Task<List<QueueEntry>> ToEntriesAsync(this IQueryable<ModeratedComment> query, ModerationDb db, CancellationToken ct) =>
        (await query.LoadEntriesAsync(db, ct)).Select(row => row.Entry).ToList();

    /// <summary>Loads the comments of <paramref name="query"/> (in its order) with open flags, open reports and author history.</summary>
    public static async Task<List<(ModeratedComment Comment, QueueEntry Entry)>> LoadEntriesAsync(this IQueryable<ModeratedComment> query,
        ModerationDb db, CancellationToken ct)
    {
        var comments = await query.AsNoTracking()
            .Include(c => c.Flags.Where(f => f.ResolvedByDecisionId == null).OrderBy(f => f.CreatedAt))
            .Include(c => c.Reports.Where(r => r.ResolvedByDecisionId == null).OrderBy(r => r.ReportedAt))
            .AsSplitQuery()
            .ToListAsync(ct);
        var authorIds = comments.Where(c => c.AuthorId is not null).Select(c => c.AuthorId!.Value).Distinct().ToList();
        var history = authorIds.Count == 0
            ? []
            : await db.Decisions.AsNoTracking()
                .Where(d => d.ModeratorId != null && d.AuthorId != null && authorIds.Contains(d.AuthorId.Value))
                .GroupBy(d => new { d.AuthorId, d.CommentId })
                .Select(g => new AuthorHistory(g.Key.AuthorId!.Value, g.Key.CommentId, g.Count(), g.Count(d => d.Kind == Decisions.Hide)))
                .ToListAsync(ct);
        return comments.Select(c =>
        {
            var earlier = history.Where(h => h.AuthorId == c.AuthorId && h.CommentId != c.Id).ToList();
            return (c, new QueueEntry(c.Id, c.ProcessId, c.ItemId, c.ParentId, c.AuthorId,
                earlier.Sum(h => h.Decisions), earlier.Sum(h => h.Hides), c.Text, c.State, c.InQueue,
                c.State == CommentStates.AwaitingReview, c.OpenReports, c.QueuedAt, c.PostedAt, c.EditedAt, c.Version,
                c.Flags.Select(f => new QueueFlag(f.Rule, f.Severity, f.Detail, f.CreatedAt)).ToList(),
                c.Reports.Select(r => new QueueReport(r.ReportId, r.Reason, r.Note, r.ReportedAt)).ToList()));
        }).ToList();
    }

    /// <summary>
    /// The entry to review after deciding on <paramref name="decided"/>: the next one of the same process in queue
    /// order from where the decided one stood, else the first one of that process's queue.
    /// </summary>
    public static async Task<QueueEntry?> NextAsync(ModerationDb db, Guid processId, QueueCursor? position, Guid decided, CancellationToken ct)
    {
        var queue = db.InQueue(processId).Where(c => c.Id != decided);
        if (position is not null
            && (await queue.After(position).InQueueOrder().Take(1).ToEntriesAsync(db, ct)).FirstOrDefault() is { } following)
        {
            return following;
        }
        return (await queue.InQueueOrder().Take(1).ToEntriesAsync(db, ct)).FirstOrDefault();
    }

    private sealed record AuthorHistory(Guid AuthorId, Guid CommentId, int Decisions, int Hides);
}
