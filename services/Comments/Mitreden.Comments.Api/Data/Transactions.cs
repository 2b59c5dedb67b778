namespace Mitreden.Comments.Api.Data;

internal static class CommentsTransactions
{
    /// <summary>Comments' form of the shared <see cref="ServiceDefaults.Data.Transactions.InTransactionAsync{T}"/> (work without a token).</summary>
    public static Task<T> InTransactionAsync<T>(this CommentsDb db, Func<Task<T>> work, CancellationToken ct = default) =>
        ServiceDefaults.Data.Transactions.InTransactionAsync(db, _ => work(), ct);

    public static Task InTransactionAsync(this CommentsDb db, Func<Task> work, CancellationToken ct = default) =>
        db.InTransactionAsync(async () =>
        {
            await work();
            return true;
        }, ct);
}
