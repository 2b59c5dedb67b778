using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Proposals.Api.Data;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Consumers;

/// <summary>
/// Counts a comment for the lists. Comments still awaiting pre-moderation (AwaitingReview) are not counted: Comments
/// announces no "approved" event with the item id yet, so a pre-moderated comment is not counted (known gap, documented).
/// </summary>
public sealed class CommentPostedConsumer(ProposalsDb db) : IConsumer<CommentPosted>
{
    public async Task Consume(ConsumeContext<CommentPosted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentPostedConsumer)))
        {
            return;
        }
        var m = context.Message;
        if (!m.AwaitingReview
            && await db.Items.AnyAsync(i => i.Id == m.ItemId, context.CancellationToken)
            && !await db.ItemComments.AnyAsync(c => c.CommentId == m.CommentId, context.CancellationToken))
        {
            db.ItemComments.Add(new ItemComment { CommentId = m.CommentId, ItemId = m.ItemId, PostedAt = m.PostedAt.ToUniversalTime() });
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

public sealed class CommentDeletedConsumer(ProposalsDb db) : IConsumer<CommentDeleted>
{
    public async Task Consume(ConsumeContext<CommentDeleted> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentDeletedConsumer)))
        {
            return;
        }
        var counted = await db.ItemComments.SingleOrDefaultAsync(c => c.CommentId == context.Message.CommentId, context.CancellationToken);
        if (counted is not null)
        {
            db.ItemComments.Remove(counted);
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

// Queue names carry the service, so two services consuming the same event each get their own copy.
public sealed class CommentPostedConsumerDefinition : ConsumerDefinition<CommentPostedConsumer>
{
    public CommentPostedConsumerDefinition() => EndpointName = "proposals-comment-posted";
}

public sealed class CommentDeletedConsumerDefinition : ConsumerDefinition<CommentDeletedConsumer>
{
    public CommentDeletedConsumerDefinition() => EndpointName = "proposals-comment-deleted";
}
