using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Decide;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>
/// Queues a reported comment and holds it once the open reports of distinct reporters reach the threshold.
/// Reports on one comment are applied one at a time (<see cref="CommentLock"/>), so the hold is published once.
/// </summary>
public sealed class CommentReportedConsumer(ModerationDb db, IOptionsMonitor<ModerationOptions> options, TimeProvider clock)
    : IConsumer<CommentReported>
{
    public async Task Consume(ConsumeContext<CommentReported> context)
    {
        await using var tx = await db.LockCommentAsync(context.Message.CommentId, context.CancellationToken);
        await ApplyAsync(context);
        await tx.CommitAsync(context.CancellationToken);
    }

    private async Task ApplyAsync(ConsumeContext<CommentReported> context)
    {
        if (await db.AlreadyProcessedAsync(context, nameof(CommentReportedConsumer)))
        {
            return;
        }
        var message = context.Message;
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow();
        if (await db.Reports.AnyAsync(r => r.ReportId == message.ReportId, ct))
        {
            // The same report published again under a new message id.
            await db.SaveChangesAsync(ct);
            return;
        }
        var comment = await db.Comments
            .Include(c => c.Flags.Where(f => f.ResolvedByDecisionId == null))
            .Include(c => c.Reports.Where(r => r.ResolvedByDecisionId == null))
            .AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == message.CommentId, ct);
        if (comment is null)
        {
            comment = new ModeratedComment { Id = message.CommentId, ProcessId = message.ProcessId, ItemId = message.ItemId, FirstSeenAt = now };
            db.Comments.Add(comment);
        }

        var reporterAlreadyCounted = comment.Reports.Any(r => r.ResolvedByDecisionId is null && r.ReporterId == message.ReporterId);
        comment.Reports.Add(new CommentReport
        {
            ReportId = message.ReportId,
            CommentId = comment.Id,
            ReporterId = message.ReporterId,
            Reason = message.Reason,
            Note = message.Note,
            ReportedAt = message.ReportedAt,
        });
        if (comment.CanEnterQueue)
        {
            if (!reporterAlreadyCounted)
            {
                comment.OpenReports++;
            }
            comment.EnterQueue(now);
            if (comment.State == CommentStates.Visible && comment.OpenReports >= options.CurrentValue.ReportThreshold)
            {
                DecisionRecorder.Record(db, comment, Decisions.HoldForReview, reason: null, DecisionRecorder.AutomaticHoldNote,
                    moderatorId: null, trigger: "report-threshold", now);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}

public sealed class CommentReportedConsumerDefinition : ConsumerDefinition<CommentReportedConsumer>
{
    public CommentReportedConsumerDefinition() => EndpointName = "moderation-comment-reported";
}
