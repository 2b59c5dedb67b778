using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Queue;

public static class QueueApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Queue");
        group.MapGet("/queue", ([AsParameters] QueueQuery query, ModerationDb db, CancellationToken ct) =>
                GetPageAsync(null, query, db, ct))
            .WithSummary("The moderation queue of all processes: open reports first, then oldest first; filters by state and reason, counts per filter.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 422);
        group.MapGet("/processes/{processId:guid}/queue", (Guid processId, [AsParameters] QueueQuery query, ModerationDb db, CancellationToken ct) =>
                GetPageAsync(processId, query, db, ct))
            .WithSummary("The moderation queue of one process.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 422);
        group.MapGet("/comments/{commentId:guid}", GetCommentAsync)
            .WithSummary("One comment with its open flags and reports and all decisions on it.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(401, 403, 404);
        return app;
    }

    private static async Task<Results<Ok<QueuePage>, ProblemHttpResult>> GetPageAsync(Guid? processId, QueueQuery query,
        ModerationDb db, CancellationToken ct)
    {
        var size = query.PageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"Die Seitengröße muss zwischen 1 und {MaxPageSize} liegen.", "queue-page-size");
        }
        if (query.State is not null && !QueueFilters.States.Contains(query.State))
        {
            return Invalid("state", $"Den Zustand gibt es nicht; möglich sind: {string.Join(", ", QueueFilters.States)}.", "queue-state-unknown");
        }
        if (query.Reason is not null && !QueueFilters.Reasons.Contains(query.Reason))
        {
            return Invalid("reason", $"Den Anlass gibt es nicht; möglich sind: {string.Join(", ", QueueFilters.Reasons)}.", "queue-reason-unknown");
        }
        if (query.Page is < 1 or > 100_000)
        {
            return Invalid("page", "Die Seite muss zwischen 1 und 100000 liegen.", "queue-page-range");
        }
        if (query.Page is not null && query.Cursor is not null)
        {
            return Invalid("page", "Bitte entweder page oder cursor angeben, nicht beides.", "queue-page-and-cursor");
        }
        QueueCursor? after = null;
        if (query.Cursor is not null && !QueueCursor.TryDecode(query.Cursor, out after))
        {
            return Problems.BadRequest("Der Cursor ist ungültig; bitte den Wert „next“ der vorigen Seite verwenden.", "queue-cursor-invalid", "cursor");
        }

        var inProcess = db.InQueue(processId);
        var counts = await QueueFilters.CountAsync(inProcess, ct);
        var queue = inProcess.Filtered(query.State, query.Reason);
        var total = await queue.CountAsync(ct);
        var ordered = (after is null ? queue : queue.After(after)).InQueueOrder();
        var rows = await (query.Page is { } p ? ordered.Skip((p - 1) * size) : ordered).Take(size + 1).LoadEntriesAsync(db, ct);
        var next = rows.Count > size ? QueueQueries.CursorOf(rows[size - 1].Comment)?.Encode() : null;
        return TypedResults.Ok(new QueuePage(rows.Take(size).Select(r => r.Entry).ToList(), total, next, query.Page ?? 1, size, counts));
    }

    private static ProblemHttpResult Invalid(string field, string message, string code) =>
        Problems.Invalid([new KeyValuePair<string, string[]>(field, [message])], message, new Dictionary<string, string> { [field] = code });

    private static async Task<Results<Ok<ModeratedCommentView>, ProblemHttpResult>> GetCommentAsync(Guid commentId, ModerationDb db, CancellationToken ct)
    {
        var entry = (await db.Comments.Where(c => c.Id == commentId).ToEntriesAsync(db, ct)).SingleOrDefault();
        if (entry is null)
        {
            return Problems.NotFound("Diesen Beitrag hat die Moderation nicht erhalten.", "comment-unknown");
        }
        var decisions = await db.Decisions.AsNoTracking()
            .Where(d => d.CommentId == commentId)
            .OrderBy(d => d.Version)
            .Select(d => new ModerationDecisionView(d.Id, d.Kind, d.Reason, d.NoteToAuthor, d.ModeratorId, d.Trigger, d.PreviousState,
                d.NewState, d.DecidedAt, d.Version, d.AuthorBlockedUntil))
            .ToListAsync(ct);
        return TypedResults.Ok(new ModeratedCommentView(entry, decisions));
    }
}
