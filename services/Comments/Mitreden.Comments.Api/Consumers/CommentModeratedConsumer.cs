using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Consumers;

/// <summary>
/// Applies Moderation's decisions. Idempotent twice over: by MessageId (processed-messages record) and by
/// DecisionId (moderation_decisions primary key), so a decision re-published under a new MessageId changes
/// nothing either. Ordered by DecidedAt: a decision older than the last one applied is recorded, not applied.
/// Two decisions on one comment at once collide on the row version (xmin) and the loser is retried.
/// </summary>
public sealed class CommentModeratedConsumer(CommentsDb db, TimeProvider time, ILogger<CommentModeratedConsumer> logger)
    : IConsumer<CommentModerated>
{
    public Task Consume(ConsumeContext<CommentModerated> context) =>
        db.InTransactionAsync(async () =>
        {
            if (await db.AlreadyProcessedAsync(context, nameof(CommentModeratedConsumer))) return;
            var m = context.Message;
            var ct = context.CancellationToken;
            if (await db.Decisions.AnyAsync(d => d.DecisionId == m.DecisionId, ct))
            {
                await db.SaveChangesAsync(ct);
                return;
            }

            var decision = new ModerationDecision
            {
                DecisionId = m.DecisionId,
                CommentId = m.CommentId,
                Decision = Comment.Clamp(m.Decision, ModerationDecision.MaxDecisionLength)!,
                Reason = Comment.Clamp(m.Reason, ModerationDecision.MaxReasonLength),
                NoteToAuthor = Comment.Clamp(m.NoteToAuthor, ModerationDecision.MaxNoteLength),
                ModeratorId = m.ModeratorId,
                DecidedAt = m.DecidedAt.ToUniversalTime(),
                ReceivedAt = time.GetUtcNow(),
            };
            db.Decisions.Add(decision);

            var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == m.CommentId, ct);
            if (comment is null)
            {
                logger.LogWarning("Decision {DecisionId} for unknown comment {CommentId} recorded, nothing to apply", m.DecisionId, m.CommentId);
            }
            else if (comment.LastDecidedAt is { } last && decision.DecidedAt < last)
            {
                logger.LogInformation("Decision {DecisionId} ({DecidedAt:o}) is older than the one applied ({Last:o}); not applied",
                    m.DecisionId, decision.DecidedAt, last);
            }
            else
            {
                decision.Applied = await ApplyAsync(comment, decision, ct);
            }
            await db.SaveChangesAsync(ct);
        }, context.CancellationToken);

    private async Task<bool> ApplyAsync(Comment comment, ModerationDecision d, CancellationToken ct)
    {
        var wasPublished = comment.PublishedAt is not null;
        switch (d.Decision)
        {
            case Decisions.Approve:
            case Decisions.Restore:
                comment.Status = CommentStatus.Published;
                comment.PublishedAt ??= time.GetUtcNow();
                comment.ModerationReason = null;
                comment.ModerationNote = d.NoteToAuthor;
                break;
            case Decisions.Hide:
                comment.Status = CommentStatus.Hidden;
                comment.ModerationReason = d.Reason;
                comment.ModerationNote = d.NoteToAuthor;
                break;
            case Decisions.HoldForReview:
                // A comment still waiting for approval stays unpublished; only its label changes.
                comment.Status = CommentStatus.UnderReview;
                comment.ModerationReason = d.Reason;
                comment.ModerationNote = d.NoteToAuthor;
                break;
            default:
                logger.LogWarning("Unknown decision '{Decision}' ({DecisionId}) recorded, not applied", d.Decision, d.DecisionId);
                return false;
        }
        comment.LastDecisionId = d.DecisionId;
        comment.LastDecidedAt = d.DecidedAt;

        if (d.Decision != Decisions.HoldForReview)
        {
            // A moderator has looked at it: the reports so far are answered, new ones may come.
            await db.Reports.Where(r => r.CommentId == comment.Id && r.ResolvedAt == null).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ResolvedAt, d.DecidedAt)
                .SetProperty(r => r.ResolvedByDecisionId, d.DecisionId), ct);
            comment.OpenReports = 0;
        }
        if (!wasPublished && comment.PublishedAt is not null)
        {
            await db.Items.Where(i => i.ItemId == comment.ItemId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.CommentCount, i => i.CommentCount + 1), ct);
        }
        return true;
    }
}

public sealed class CommentModeratedConsumerDefinition : ConsumerDefinition<CommentModeratedConsumer>
{
    public CommentModeratedConsumerDefinition() => EndpointName = "comments-moderation-decisions";
}
