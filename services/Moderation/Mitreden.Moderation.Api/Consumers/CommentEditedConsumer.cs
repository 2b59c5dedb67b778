using MassTransit;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>Screens the new text of an edited comment (a clean post edited into abuse is caught too).</summary>
public sealed class CommentEditedConsumer(ModerationDb db, CommentScreening screening, TimeProvider clock) : IConsumer<CommentEdited>
{
    public Task Consume(ConsumeContext<CommentEdited> context) =>
        db.ApplyOnceAsync(context, nameof(CommentEditedConsumer), context.Message.CommentId, async () =>
        {
            var message = context.Message;
            var ct = context.CancellationToken;
            var now = clock.GetUtcNow();
            var comment = await db.CommentOrNewAsync(message.CommentId, message.ProcessId, message.ItemId, now, ct);
            // An older edit arriving late changes nothing.
            if (!(comment.EditedAt >= message.EditedAt))
            {
                comment.AuthorId ??= message.AuthorId;
                comment.Text = message.Text;
                comment.EditedAt = message.EditedAt;
                await screening.ScreenAsync(comment, isNewPost: false, now, ct);
            }
            await db.SaveChangesAsync(ct);
        });
}

public sealed class CommentEditedConsumerDefinition : ConsumerDefinition<CommentEditedConsumer>
{
    public CommentEditedConsumerDefinition() => EndpointName = "moderation-comment-edited";
}
