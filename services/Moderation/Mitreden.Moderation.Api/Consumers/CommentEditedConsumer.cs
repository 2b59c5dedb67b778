using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>Screens the new text of an edited comment (a clean post edited into abuse is caught too).</summary>
public sealed class CommentEditedConsumer(ModerationDb db, CommentScreening screening, TimeProvider clock) : IConsumer<CommentEdited>
{
    public async Task Consume(ConsumeContext<CommentEdited> context)
    {
        await using var tx = await db.LockCommentAsync(context.Message.CommentId, context.CancellationToken);
        await ApplyAsync(context);
        await tx.CommitAsync(context.CancellationToken);
    }

    private async Task ApplyAsync(ConsumeContext<CommentEdited> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentEditedConsumer)))
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
        else if (comment.EditedAt >= message.EditedAt)
        {
            // An older edit arriving late changes nothing.
            await db.SaveChangesAsync(ct);
            return;
        }

        comment.AuthorId ??= message.AuthorId;
        comment.Text = message.Text;
        comment.EditedAt = message.EditedAt;
        await screening.ScreenAsync(comment, isNewPost: false, now, ct);
        await db.SaveChangesAsync(ct);
    }
}

public sealed class CommentEditedConsumerDefinition : ConsumerDefinition<CommentEditedConsumer>
{
    public CommentEditedConsumerDefinition() => EndpointName = "moderation-comment-edited";
}
