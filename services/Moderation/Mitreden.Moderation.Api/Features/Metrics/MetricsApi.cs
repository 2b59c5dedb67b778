using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Metrics;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics/summary", SummaryAsync)
            .WithTags("Metrics")
            .WithSummary("Queue length, open reports, median time to decision and decisions by reason, for one process or all.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403);
        return app;
    }

    private static async Task<Ok<MetricsSummary>> SummaryAsync(Guid? processId, ModerationDb db, CancellationToken ct)
    {
        var comments = processId is { } p ? db.Comments.Where(c => c.ProcessId == p) : db.Comments;
        var decisions = processId is { } q ? db.Decisions.Where(d => d.ProcessId == q) : db.Decisions;

        var queue = await comments.Where(c => c.InQueue)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Length = g.Count(),
                AwaitingReview = g.Count(c => c.State == CommentStates.AwaitingReview),
                Held = g.Count(c => c.State == CommentStates.Held),
                OpenReports = g.Sum(c => c.OpenReports),
            })
            .SingleOrDefaultAsync(ct);
        var byReason = await decisions.Where(d => d.ModeratorId != null && d.Kind == Decisions.Hide && d.Reason != null)
            .GroupBy(d => d.Reason!)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byKind = await decisions.GroupBy(d => d.Kind)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        const string median = """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (decided_at - queued_at))::double precision) AS "Value"
            FROM decisions WHERE moderator_id IS NOT NULL AND queued_at IS NOT NULL
            """;
        var medianSeconds = processId is { } r
            ? await db.Database.SqlQueryRaw<double?>(median + " AND process_id = {0}", r).SingleAsync(ct)
            : await db.Database.SqlQueryRaw<double?>(median).SingleAsync(ct);

        return TypedResults.Ok(new MetricsSummary(processId, queue?.Length ?? 0, queue?.AwaitingReview ?? 0, queue?.Held ?? 0,
            queue?.OpenReports ?? 0, medianSeconds is { } s ? Math.Round(s, 3) : null, byReason, byKind));
    }
}
