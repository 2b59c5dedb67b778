using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>What every consumer of a comment event does around its own step: lock the comment, skip a redelivery, find the comment.</summary>
public static class CommentLock
{
    /// <summary>
    /// Opens the consumer's transaction and takes a transaction-scoped advisory lock on the comment before anything
    /// about it is read, the processed-message record included. Events about one comment (concurrent reports, a
    /// report racing the post, a redelivery racing the first delivery) then run one after another, and each sees
    /// what the one before committed, instead of both inserting the comment's row (a duplicate key) or both
    /// updating it (a row-version conflict) and being retried.
    /// </summary>
    public static async Task<IDbContextTransaction> LockCommentAsync(this ModerationDb db, Guid commentId, CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({commentId.ToString("N")}, 0))", ct);
        return tx;
    }

    /// <summary>
    /// Runs <paramref name="apply"/> once per message, under the comment's lock and in one transaction with the record
    /// that the message was processed (a redelivered message does nothing). <paramref name="apply"/> saves its changes.
    /// </summary>
    public static async Task ApplyOnceAsync<T>(this ModerationDb db, ConsumeContext<T> context, string consumer, Guid commentId,
        Func<Task> apply) where T : class
    {
        await using var tx = await db.LockCommentAsync(commentId, context.CancellationToken);
        if (!await db.AlreadyProcessedAsync(context, consumer))
        {
            await apply();
        }
        await tx.CommitAsync(context.CancellationToken);
    }

    /// <summary>
    /// The comment with its open flags, or a new row for it when this event is the first Moderation hears of it (events of
    /// one comment may arrive in any order).
    /// </summary>
    public static async Task<ModeratedComment> CommentOrNewAsync(this ModerationDb db, Guid commentId, Guid processId, Guid itemId,
        DateTimeOffset now, CancellationToken ct, bool withOpenReports = false)
    {
        IQueryable<ModeratedComment> query = db.Comments.Include(c => c.Flags.Where(f => f.ResolvedByDecisionId == null));
        if (withOpenReports)
        {
            query = query.Include(c => c.Reports.Where(r => r.ResolvedByDecisionId == null)).AsSplitQuery();
        }
        var comment = await query.SingleOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null)
        {
            comment = new ModeratedComment { Id = commentId, ProcessId = processId, ItemId = itemId, FirstSeenAt = now };
            db.Comments.Add(comment);
        }
        return comment;
    }
}
