using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Moderation.Api.Features.Queue;

public static class QueueApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Queue");
        group.MapGet("/queue", (string? cursor, int? pageSize, ModerationDb db, CancellationToken ct) =>
                GetPageAsync(null, cursor, pageSize, db, ct))
            .WithSummary("The moderation queue of all processes: open reports first, then oldest first.")
            .RequireAuthorization(AuthPolicies.Moderator);
        group.MapGet("/processes/{processId:guid}/queue", (Guid processId, string? cursor, int? pageSize, ModerationDb db, CancellationToken ct) =>
                GetPageAsync(processId, cursor, pageSize, db, ct))
            .WithSummary("The moderation queue of one process.")
            .RequireAuthorization(AuthPolicies.Moderator);
        group.MapGet("/comments/{commentId:guid}", GetCommentAsync)
            .WithSummary("One comment with its open flags and reports and all decisions on it.")
            .RequireAuthorization(AuthPolicies.Moderator);
        return app;
    }

    private static async Task<Results<Ok<QueuePage>, ProblemHttpResult>> GetPageAsync(Guid? processId, string? cursor, int? pageSize,
        ModerationDb db, CancellationToken ct)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid page size",
                detail: $"pageSize must be between 1 and {MaxPageSize}.");
        }
        QueueCursor? after = null;
        if (cursor is not null && !QueueCursor.TryDecode(cursor, out after))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid cursor",
                detail: "Use the 'next' value of the previous page.");
        }

        var queue = db.InQueue(processId);
        var total = await queue.CountAsync(ct);
        var page = after is null ? queue : queue.After(after);
        var rows = await page.InQueueOrder().Take(size + 1).LoadEntriesAsync(db, ct);
        var next = rows.Count > size ? QueueQueries.CursorOf(rows[size - 1].Comment)?.Encode() : null;
        return TypedResults.Ok(new QueuePage(rows.Take(size).Select(r => r.Entry).ToList(), total, next));
    }

    private static async Task<Results<Ok<CommentView>, ProblemHttpResult>> GetCommentAsync(Guid commentId, ModerationDb db, CancellationToken ct)
    {
        var entry = (await db.Comments.Where(c => c.Id == commentId).ToEntriesAsync(db, ct)).SingleOrDefault();
        if (entry is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown comment",
                detail: "Moderation has not received this comment.");
        }
        var decisions = await db.Decisions.AsNoTracking()
            .Where(d => d.CommentId == commentId)
            .OrderBy(d => d.Version)
            .Select(d => new DecisionView(d.Id, d.Kind, d.Reason, d.NoteToAuthor, d.ModeratorId, d.Trigger, d.PreviousState,
                d.NewState, d.DecidedAt, d.Version, d.AuthorBlockedUntil))
            .ToListAsync(ct);
        return TypedResults.Ok(new CommentView(entry, decisions));
    }
}
