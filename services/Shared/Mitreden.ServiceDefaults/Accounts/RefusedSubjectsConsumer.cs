using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.ServiceDefaults.Accounts;

/// <summary>
/// Identity's deletions, blocks and unblocks into the service's refused_subjects table (idempotent: a processed-message
/// record, and a block or unblock older than the last one applied changes nothing), then into this replica's memory.
/// </summary>
public sealed class RefusedSubjectsConsumer<TDb>(TDb db, RefusedSubjects subjects, TimeProvider time) :
    IConsumer<UserDeleted>, IConsumer<UserBlocked>, IConsumer<UserUnblocked> where TDb : DbContext
{
    private const string Name = "RefusedSubjectsConsumer";

    public Task Consume(ConsumeContext<UserDeleted> context) =>
        ApplyAsync(context, context.Message.UserId, row => row.DeletedAt ??= context.Message.DeletedAt.ToUniversalTime());

    public Task Consume(ConsumeContext<UserBlocked> context) =>
        ApplyAsync(context, context.Message.UserId, row =>
        {
            var blockedAt = context.Message.BlockedAt.ToUniversalTime();
            if (row.BlockAsOf is null || blockedAt >= row.BlockAsOf)
            {
                row.BlockedUntil = context.Message.Until.ToUniversalTime();
                row.BlockAsOf = blockedAt;
            }
        });

    public Task Consume(ConsumeContext<UserUnblocked> context) =>
        ApplyAsync(context, context.Message.UserId, row =>
        {
            var unblockedAt = context.Message.UnblockedAt.ToUniversalTime();
            if (row.BlockAsOf is null || unblockedAt >= row.BlockAsOf)
            {
                row.BlockedUntil = null;
                row.BlockAsOf = unblockedAt;
            }
        });

    private async Task ApplyAsync(ConsumeContext context, Guid userId, Action<RefusedSubject> change)
    {
        if (await db.AlreadyProcessedAsync(context, Name))
        {
            return;
        }
        var row = await db.Set<RefusedSubject>().FirstOrDefaultAsync(s => s.UserId == userId, context.CancellationToken);
        if (row is null)
        {
            row = new RefusedSubject { UserId = userId };
            db.Set<RefusedSubject>().Add(row);
        }
        change(row);
        row.ChangedAt = time.GetUtcNow();
        await db.SaveChangesAsync(context.CancellationToken);
        subjects.Apply(userId, row.ToState());
    }
}

public sealed class RefusedSubjectsConsumerDefinition<TDb> : ConsumerDefinition<RefusedSubjectsConsumer<TDb>> where TDb : DbContext
{
    public RefusedSubjectsConsumerDefinition(IHostEnvironment environment) =>
        EndpointName = $"{ServiceNames.FromApplicationName(environment.ApplicationName)}-refused-subjects";
}
