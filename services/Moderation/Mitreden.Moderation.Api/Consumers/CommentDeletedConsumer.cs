using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>A deleted comment leaves the queue; decisions on it are refused from now on.</summary>
public sealed class CommentDeletedConsumer(ModerationDb db, TimeProvider clock) : IConsumer<CommentDeleted>
{
    public async Task Consume(ConsumeContext<CommentDeleted> context)
    {
        await using var tx = await db.LockCommentAsync(context.Message.CommentId, context.CancellationToken);
        await ApplyAsync(context);
        await tx.CommitAsync(context.CancellationToken);
    }

    private async Task ApplyAsync(ConsumeContext<CommentDeleted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentDeletedConsumer)))
        {
            return;
        }
        var message = context.Message;
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == message.CommentId, context.CancellationToken);
        if (comment is null)
        {
            comment = new ModeratedComment
            {
                Id = message.CommentId, ProcessId = message.ProcessId, ItemId = message.ItemId, FirstSeenAt = clock.GetUtcNow(),
            };
            db.Comments.Add(comment);
        }
        comment.State = CommentStates.Deleted;
        comment.LeaveQueue();
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class CommentDeletedConsumerDefinition : ConsumerDefinition<CommentDeletedConsumer>
{
    public CommentDeletedConsumerDefinition() => EndpointName = "moderation-comment-deleted";
}
