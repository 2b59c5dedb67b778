using Microsoft.EntityFrameworkCore;

namespace Mitreden.Comments.Api.Data;

internal static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the retrying execution strategy. Used where a
    /// counter is updated in SQL (atomic increments) together with tracked changes and outbox rows. The work
    /// may run again after a transient failure, so it starts from an empty change tracker and re-reads what it needs.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this CommentsDb db, Func<Task<T>> work, CancellationToken ct = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await work();
            await tx.CommitAsync(ct);
            return result;
        });
    }

    public static Task InTransactionAsync(this CommentsDb db, Func<Task> work, CancellationToken ct = default) =>
        db.InTransactionAsync(async () =>
        {
            await work();
            return true;
        }, ct);
}
