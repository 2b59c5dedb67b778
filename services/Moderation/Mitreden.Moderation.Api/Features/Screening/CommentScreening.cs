using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Decide;
using Mitreden.Moderation.Contracts;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>Runs all screening rules on a comment's (new) text and applies the outcome: flags, queue, hold.</summary>
public sealed class CommentScreening(ModerationDb db, ScreeningRulesStore store)
{
    public async Task ScreenAsync(ModeratedComment comment, bool isNewPost, DateTimeOffset now, CancellationToken ct)
    {
        if (comment.Text is null || comment.State == CommentStates.Deleted)
        {
            return;
        }
        var rules = (await store.ForProcessAsync(comment.ProcessId, ct)).Rules;
        var normalized = TextNormalizer.Normalize(comment.Text);
        comment.TextHash = TextNormalizer.Hash(normalized);

        var flags = TextScreening.Screen(rules, comment.Text).ToList();
        flags.AddRange(await HistoryScreening.ScreenAsync(db, rules, comment, normalized, checkPostingRate: isNewPost, ct));
        // An edit that matches the same rule again adds nothing new for the moderator.
        var open = comment.Flags.Where(f => f.ResolvedByDecisionId is null).Select(f => f.Rule).ToHashSet();
        flags.RemoveAll(f => open.Contains(f.Rule));
        if (flags.Count == 0)
        {
            return;
        }

        foreach (var flag in flags)
        {
            comment.Flags.Add(new CommentFlag
            {
                Id = Guid.NewGuid(),
                CommentId = comment.Id,
                Rule = flag.Rule,
                Severity = flag.Severity == FlagSeverity.Hold ? "hold" : "queue",
                Detail = flag.Detail,
                CreatedAt = now,
            });
        }
        comment.EnterQueue(now);
        if (comment.State == CommentStates.Visible && flags.FirstOrDefault(f => f.Severity == FlagSeverity.Hold) is { } hold)
        {
            DecisionRecorder.Record(db, comment, Decisions.HoldForReview, reason: null, DecisionRecorder.AutomaticHoldNote,
                moderatorId: null, trigger: "screening:" + hold.Rule, now);
        }
    }
}
