using Microsoft.EntityFrameworkCore;

namespace Mitreden.ServiceDefaults.Data;

public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the retrying execution strategy: for SQL updates
    /// (ExecuteUpdate, atomic counters) together with tracked changes, outbox rows and the processed-message record.
    /// A retry starts over with an empty change tracker, so nothing of the failed attempt leaks into the next; the work
    /// re-reads what it needs.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await tx.CommitAsync(token);
            return result;
        }, ct);
}
