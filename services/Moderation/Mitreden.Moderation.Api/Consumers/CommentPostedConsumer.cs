using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>Screens a new comment; pre-moderated comments go to the queue whatever the screening says.</summary>
public sealed class CommentPostedConsumer(ModerationDb db, CommentScreening screening, TimeProvider clock) : IConsumer<CommentPosted>
{
    public async Task Consume(ConsumeContext<CommentPosted> context)
    {
        await using var tx = await db.LockCommentAsync(context.Message.CommentId, context.CancellationToken);
        await ApplyAsync(context);
        await tx.CommitAsync(context.CancellationToken);
    }

    private async Task ApplyAsync(ConsumeContext<CommentPosted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentPostedConsumer)))
        {
            return;
        }
        var message = context.Message;
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow();
        var comment = await db.Comments
            .Include(c => c.Flags.Where(f => f.ResolvedByDecisionId == null))
            .SingleOrDefaultAsync(c => c.Id == message.CommentId, ct);
        if (comment is null)
        {
            comment = new ModeratedComment { Id = message.CommentId, ProcessId = message.ProcessId, ItemId = message.ItemId, FirstSeenAt = now };
            db.Comments.Add(comment);
        }
        else if (comment.PostedAt is not null)
        {
            // The same post published again under a new message id.
            await db.SaveChangesAsync(ct);
            return;
        }

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
        await db.SaveChangesAsync(ct);
    }
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
