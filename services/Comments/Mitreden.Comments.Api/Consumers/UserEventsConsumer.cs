using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Comments.Api.Consumers;

/// <summary>
/// Blocks, deletions and display-name changes from Identity. A deleted user's comments keep their text but lose
/// the link to the person (author id null, name "gelöschter Nutzer"); up-votes and reports keep counting under a
/// random id.
/// </summary>
public sealed class UserEventsConsumer(CommentsDb db) :
    IConsumer<UserBlocked>, IConsumer<UserUnblocked>, IConsumer<UserDeleted>, IConsumer<UserDisplayNameChanged>
{
    public async Task Consume(ConsumeContext<UserBlocked> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(UserEventsConsumer))) return;
        var m = context.Message;
        var blockedAt = m.BlockedAt.ToUniversalTime();
        var user = await FindOrAddAsync(m.UserId, context.CancellationToken);
        if (user.BlockAsOf is null || blockedAt >= user.BlockAsOf)
        {
            user.BlockedUntil = m.Until.ToUniversalTime();
            user.BlockReason = Comment.Clamp(m.Reason, UserCopy.MaxBlockReasonLength);
            user.BlockAsOf = blockedAt;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<UserUnblocked> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(UserEventsConsumer))) return;
        var m = context.Message;
        var unblockedAt = m.UnblockedAt.ToUniversalTime();
        var user = await FindOrAddAsync(m.UserId, context.CancellationToken);
        if (user.BlockAsOf is null || unblockedAt >= user.BlockAsOf)
        {
            user.BlockedUntil = null;
            user.BlockReason = null;
            user.BlockAsOf = unblockedAt;
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public Task Consume(ConsumeContext<UserDeleted> context) =>
        db.InTransactionAsync(async () =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(UserEventsConsumer))) return;
            var m = context.Message;
            var ct = context.CancellationToken;
            var user = await FindOrAddAsync(m.UserId, ct);
            user.DeletedAt ??= m.DeletedAt.ToUniversalTime();
            user.DisplayName = null;
            user.BlockReason = null;
            await db.Comments.Where(c => c.AuthorId == m.UserId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.AuthorId, (Guid?)null)
                .SetProperty(c => c.AuthorDeleted, true)
                .SetProperty(c => c.AuthorName, Comment.DeletedUserName), ct);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE comment_upvotes SET user_id = gen_random_uuid() WHERE user_id = {m.UserId}", ct);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE comment_reports SET reporter_id = gen_random_uuid() WHERE reporter_id = {m.UserId}", ct);
            await db.SaveChangesAsync(ct);
        }, context.CancellationToken);

    public Task Consume(ConsumeContext<UserDisplayNameChanged> context) =>
        db.InTransactionAsync(async () =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(UserEventsConsumer))) return;
            var m = context.Message;
            var ct = context.CancellationToken;
            var user = await FindOrAddAsync(m.UserId, ct);
            var changedAt = m.ChangedAt.ToUniversalTime();
            if (user.DeletedAt is null && (user.DisplayNameAsOf is null || changedAt >= user.DisplayNameAsOf))
            {
                var name = Comment.Clamp(m.DisplayName, Comment.MaxNameLength)!;
                user.DisplayName = name;
                user.DisplayNameAsOf = changedAt;
                await db.Comments.Where(c => c.AuthorId == m.UserId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.AuthorName, name), ct);
            }
            await db.SaveChangesAsync(ct);
        }, context.CancellationToken);

    private async Task<UserCopy> FindOrAddAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserId == userId, ct);
        if (user is null)
        {
            user = new UserCopy { UserId = userId };
            db.Users.Add(user);
        }
        return user;
    }
}

public sealed class UserEventsConsumerDefinition : ConsumerDefinition<UserEventsConsumer>
{
    public UserEventsConsumerDefinition() => EndpointName = "comments-user-events";
}
