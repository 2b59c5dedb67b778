using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Decide;

/// <summary>
/// Records a decision the one way it is always recorded: the comment's new state, the decision row, the audit row
/// and the <see cref="CommentModerated"/> event in the outbox, all saved by the caller's single SaveChanges.
/// </summary>
public static class DecisionRecorder
{
    public const string AutomaticHoldNote = "Ihr Beitrag wird von der Moderation geprüft.";

    public static ModerationDecision Record(ModerationDb db, ModeratedComment comment, string kind, string? reason,
        string? note, Guid? moderatorId, string? trigger, DateTimeOffset now)
    {
        var previous = comment.State;
        var next = kind switch
        {
            Decisions.Approve or Decisions.Restore => CommentStates.Visible,
            Decisions.Hide => CommentStates.Hidden,
            Decisions.HoldForReview => CommentStates.Held,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown decision."),
        };
        comment.State = next;
        comment.Version++;
        var decision = new ModerationDecision
        {
            Id = Guid.NewGuid(),
            CommentId = comment.Id,
            ProcessId = comment.ProcessId,
            AuthorId = comment.AuthorId,
            Kind = kind,
            Reason = reason,
            NoteToAuthor = note,
            ModeratorId = moderatorId,
            Trigger = trigger,
            PreviousState = previous,
            NewState = next,
            QueuedAt = comment.InQueue ? comment.QueuedAt : null,
            DecidedAt = now,
            Version = comment.Version,
        };
        if (kind != Decisions.HoldForReview)
        {
            // A moderator's decision settles everything that brought the comment into the queue.
            foreach (var flag in comment.Flags.Where(f => f.ResolvedByDecisionId is null))
            {
                flag.ResolvedByDecisionId = decision.Id;
            }
            foreach (var report in comment.Reports.Where(r => r.ResolvedByDecisionId is null))
            {
                report.ResolvedByDecisionId = decision.Id;
            }
            comment.LeaveQueue();
        }
        db.Decisions.Add(decision);
        db.AuditLog.Add(new AuditEntry
        {
            At = now,
            ActorId = moderatorId,
            Action = kind,
            ProcessId = comment.ProcessId,
            CommentId = comment.Id,
            DecisionId = decision.Id,
            Reason = reason,
            Note = note,
            PreviousState = previous,
            NewState = next,
            Details = trigger is null ? null : "trigger=" + trigger,
        });
        db.AddOutboxMessage(new CommentModerated(decision.Id, comment.Id, kind, reason, note, moderatorId, now, comment.AuthorId));
        return decision;
    }
}
