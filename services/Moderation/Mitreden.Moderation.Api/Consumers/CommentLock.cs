using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mitreden.Moderation.Api.Data;

namespace Mitreden.Moderation.Api.Consumers;

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
}
