using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Queue;

/// <summary>
/// The queue's filters: by state (what the comment is waiting for) and by reason (an open report's reason, or
/// <see cref="Screening"/> for an open screening flag), and how many entries each filter value holds.
/// </summary>
public static class QueueFilters
{
    public const string Screening = "screening";

    /// <summary>The states a comment in the queue can have (hidden and deleted comments leave it).</summary>
    public static readonly IReadOnlyList<string> States = [CommentStates.AwaitingReview, CommentStates.Held, CommentStates.Visible];

    public static readonly IReadOnlyList<string> Reasons = [.. ReportReasons.All, Screening];

    public static IQueryable<ModeratedComment> Filtered(this IQueryable<ModeratedComment> queue, string? state, string? reason)
    {
        if (state is not null)
        {
            queue = queue.Where(c => c.State == state);
        }
        return reason switch
        {
            null => queue,
            Screening => queue.Where(c => c.Flags.Any(f => f.ResolvedByDecisionId == null)),
            _ => queue.Where(c => c.Reports.Any(r => r.ResolvedByDecisionId == null && r.Reason == reason)),
        };
    }

    public static async Task<QueueCounts> CountAsync(IQueryable<ModeratedComment> queue, CancellationToken ct)
    {
        var byState = await queue.GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byReport = await queue.SelectMany(c => c.Reports.Where(r => r.ResolvedByDecisionId == null).Select(r => new { c.Id, r.Reason }))
            .Distinct().GroupBy(x => x.Reason).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var screened = await queue.CountAsync(c => c.Flags.Any(f => f.ResolvedByDecisionId == null), ct);
        return new QueueCounts(
            byState.Sum(s => s.Count),
            States.ToDictionary(s => s, s => byState.FirstOrDefault(x => x.Key == s)?.Count ?? 0),
            Reasons.ToDictionary(r => r, r => r == Screening ? screened : byReport.FirstOrDefault(x => x.Key == r)?.Count ?? 0));
    }
}
