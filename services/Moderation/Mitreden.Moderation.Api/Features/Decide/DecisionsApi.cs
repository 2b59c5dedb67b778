using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Queue;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Decide;

public static class DecisionsApi
{
    public const int MaxNoteLength = 2000;
    public const int MaxBlockDays = 365;

    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Decisions");
        group.MapPost("/queue/{commentId:guid}/decision", DecideAsync)
            .WithSummary("Approve, hide or restore a comment (optionally blocking its author) and get the next queue entry.")
            .RequireAuthorization(AuthPolicies.Moderator);
        group.MapPost("/comments/{commentId:guid}/decisions", DecideAsync)
            .WithSummary("Same as POST /queue/{commentId}/decision, for comments reached outside the queue.")
            .RequireAuthorization(AuthPolicies.Moderator);
        return app;
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> DecideAsync(Guid commentId, DecisionRequest request,
        ClaimsPrincipal user, ModerationDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Invalid decision",
            });
        }
        var moderatorId = user.UserId();
        var kind = request.Decision switch
        {
            DecisionKind.Approve => Decisions.Approve,
            DecisionKind.Hide => Decisions.Hide,
            _ => Decisions.Restore,
        };

        // A consumer may change the comment's row at the same moment (a new report); then load again and re-check.
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var comment = await db.Comments
                .Include(c => c.Flags.Where(f => f.ResolvedByDecisionId == null))
                .Include(c => c.Reports.Where(r => r.ResolvedByDecisionId == null))
                .AsSplitQuery()
                .SingleOrDefaultAsync(c => c.Id == commentId, ct);
            if (comment is null)
            {
                return Problem(StatusCodes.Status404NotFound, "Unknown comment", "Moderation has not received this comment.");
            }
            if (comment.Version != request.Version)
            {
                return Problem(StatusCodes.Status409Conflict, "Decided meanwhile",
                    $"The comment is at version {comment.Version} now (you saw {request.Version}). Reload it and decide again.");
            }
            if (comment.AuthorId == moderatorId)
            {
                return Problem(StatusCodes.Status403Forbidden, "Own comment", "Moderators do not decide on their own comments.");
            }
            if (StateConflict(comment, kind) is { } conflict)
            {
                return Problem(StatusCodes.Status409Conflict, "Decision not possible in this state", conflict);
            }
            if (request.BlockAuthor is not null && comment.AuthorId is null)
            {
                return Problem(StatusCodes.Status409Conflict, "Author unknown", "The comment's author is not known yet; try again shortly.");
            }

            var position = QueueQueries.CursorOf(comment);
            var now = clock.GetUtcNow();
            var decision = DecisionRecorder.Record(db, comment, kind, request.Reason, Trim(request.NoteToAuthor), moderatorId, trigger: null, now);
            if (request.BlockAuthor is { } block)
            {
                var until = now.AddDays(block.Days);
                var justification = block.Justification.Trim();
                decision.AuthorBlockedUntil = until;
                db.AddOutboxMessage(new BlockUser(comment.AuthorId!.Value, until, justification, moderatorId, decision.Id));
                db.AuditLog.Add(new AuditEntry
                {
                    At = now,
                    ActorId = moderatorId,
                    Action = AuditActions.BlockAuthor,
                    ProcessId = comment.ProcessId,
                    CommentId = comment.Id,
                    DecisionId = decision.Id,
                    Reason = request.Reason,
                    Note = justification,
                    Details = $"author={comment.AuthorId}; until={until:O}",
                });
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (IsConcurrentChange(ex) && attempt < 3)
            {
                // Reload: a decision made meanwhile now shows as a version conflict, a new report just retries.
                continue;
            }
            catch (DbUpdateException ex) when (IsConcurrentChange(ex))
            {
                return Problem(StatusCodes.Status409Conflict, "Changed meanwhile", "The comment keeps changing; reload it and decide again.");
            }

            var next = await QueueQueries.NextAsync(db, comment.ProcessId, position, comment.Id, ct);
            return TypedResults.Ok(new DecisionResponse(decision.Id, comment.Id, kind, comment.State, comment.Version, now,
                decision.AuthorBlockedUntil, next));
        }
    }

    internal static Dictionary<string, string[]> Validate(DecisionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Version < 0)
        {
            errors["version"] = ["Must not be negative."];
        }
        if (request.Decision == DecisionKind.Hide)
        {
            if (request.Reason is null || !HideReasons.All.Contains(request.Reason))
            {
                errors["reason"] = [$"Required for hide; one of: {string.Join(", ", HideReasons.All)}."];
            }
            if (string.IsNullOrWhiteSpace(request.NoteToAuthor))
            {
                errors["noteToAuthor"] = ["Required for hide: the author is told why."];
            }
        }
        else if (request.Reason is not null)
        {
            errors["reason"] = ["Only a hide has a reason code."];
        }
        if (request.NoteToAuthor is { Length: > MaxNoteLength })
        {
            errors["noteToAuthor"] = [$"At most {MaxNoteLength} characters."];
        }
        if (request.BlockAuthor is { } block)
        {
            if (block.Days is < 1 or > MaxBlockDays)
            {
                errors["blockAuthor.days"] = [$"Must be between 1 and {MaxBlockDays}."];
            }
            if (string.IsNullOrWhiteSpace(block.Justification) || block.Justification.Length > 500)
            {
                errors["blockAuthor.justification"] = ["Required, at most 500 characters."];
            }
        }
        return errors;
    }

    private static string? StateConflict(ModeratedComment comment, string kind) => (kind, comment.State) switch
    {
        (_, CommentStates.Deleted) => "The comment was deleted by its author.",
        (Decisions.Approve, CommentStates.Hidden) => "The comment is hidden; restore it instead.",
        (Decisions.Approve, CommentStates.Visible) when !comment.InQueue => "The comment is visible and not in the queue.",
        (Decisions.Hide, CommentStates.Hidden) => "The comment is already hidden.",
        (Decisions.Restore, not (CommentStates.Hidden or CommentStates.Held)) => "Only hidden or held comments can be restored.",
        _ => null,
    };

    // Two decisions on one version collide on the row version or on the unique (comment_id, version) of decisions.
    private static bool IsConcurrentChange(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private static string? Trim(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
