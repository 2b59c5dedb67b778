using MassTransit;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>Screens a new comment; pre-moderated comments go to the queue whatever the screening says.</summary>
public sealed class CommentPostedConsumer(ModerationDb db, CommentScreening screening, TimeProvider clock) : IConsumer<CommentPosted>
{
    public Task Consume(ConsumeContext<CommentPosted> context) =>
        db.ApplyOnceAsync(context, nameof(CommentPostedConsumer), context.Message.CommentId, async () =>
        {
            var message = context.Message;
            var ct = context.CancellationToken;
            var now = clock.GetUtcNow();
            var comment = await db.CommentOrNewAsync(message.CommentId, message.ProcessId, message.ItemId, now, ct);
            // A post published again under a new message id changes nothing.
            if (comment.PostedAt is null)
            {
                comment.ParentId = message.ParentId;
                comment.AuthorId = message.AuthorId;
                comment.PostedAt = message.PostedAt;
                // An edit that overtook this event carries the newer text.
                comment.Text ??= message.Text;
                if (message.AwaitingReview && comment.State == CommentStates.Visible)
                {
                    comment.State = CommentStates.AwaitingReview;
                    comment.EnterQueue(now);
                }
                await screening.ScreenAsync(comment, isNewPost: true, now, ct);
            }
            await db.SaveChangesAsync(ct);
        });
}

public sealed class CommentPostedConsumerDefinition : ConsumerDefinition<CommentPostedConsumer>
{
    public CommentPostedConsumerDefinition()
    {
        // Service-prefixed queue names: other services consuming the same event get queues of their own.
        EndpointName = "moderation-comment-posted";
        // One at a time, so a burst of identical posts sees its earlier copies when repeats are counted.
        ConcurrentMessageLimit = 1;
    }
}
