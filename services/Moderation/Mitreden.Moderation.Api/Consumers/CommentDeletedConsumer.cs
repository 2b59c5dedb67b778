using MassTransit;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>A deleted comment leaves the queue; decisions on it are refused from now on.</summary>
public sealed class CommentDeletedConsumer(ModerationDb db, TimeProvider clock) : IConsumer<CommentDeleted>
{
    public Task Consume(ConsumeContext<CommentDeleted> context) =>
        db.ApplyOnceAsync(context, nameof(CommentDeletedConsumer), context.Message.CommentId, async () =>
        {
            var message = context.Message;
            var comment = await db.CommentOrNewAsync(message.CommentId, message.ProcessId, message.ItemId, clock.GetUtcNow(),
                context.CancellationToken);
            comment.State = CommentStates.Deleted;
            comment.LeaveQueue();
            await db.SaveChangesAsync(context.CancellationToken);
        });
}

public sealed class CommentDeletedConsumerDefinition : ConsumerDefinition<CommentDeletedConsumer>
{
    public CommentDeletedConsumerDefinition() => EndpointName = "moderation-comment-deleted";
}
