using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Decide;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Consumers;

/// <summary>
/// Queues a reported comment and holds it once the open reports of distinct reporters reach the threshold.
/// Reports on one comment are applied one at a time (<see cref="CommentLock"/>), so the hold is published once.
/// </summary>
public sealed class CommentReportedConsumer(ModerationDb db, IOptionsMonitor<ModerationOptions> options, TimeProvider clock)
    : IConsumer<CommentReported>
{
    public Task Consume(ConsumeContext<CommentReported> context) =>
        db.ApplyOnceAsync(context, nameof(CommentReportedConsumer), context.Message.CommentId, () => ApplyAsync(context));

    private async Task ApplyAsync(ConsumeContext<CommentReported> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var now = clock.GetUtcNow();
        if (await db.Reports.AnyAsync(r => r.ReportId == message.ReportId, ct))
        {
            // The same report published again under a new message id.
            await db.SaveChangesAsync(ct);
            return;
        }
        var comment = await db.CommentOrNewAsync(message.CommentId, message.ProcessId, message.ItemId, now, ct, withOpenReports: true);

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
