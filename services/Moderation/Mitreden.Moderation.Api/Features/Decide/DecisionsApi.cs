using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Queue;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
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
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 404, 409, 422);
        group.MapPost("/comments/{commentId:guid}/decisions", DecideAsync)
            .WithSummary("Same as POST /queue/{commentId}/decision, for comments reached outside the queue.")
            .RequireAuthorization(AuthPolicies.Moderator).ProducesProblems(400, 401, 403, 404, 409, 422);
        return app;
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> DecideAsync(Guid commentId, DecisionRequest request,
        ClaimsPrincipal user, ModerationDb db, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Entscheidung ist unvollständig.");
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
                return Problems.NotFound("Diesen Beitrag hat die Moderation nicht erhalten.", "comment-unknown");
            }
            if (comment.Version != request.Version)
            {
                return Problems.Conflict(
                    $"Der Beitrag ist inzwischen bei Version {comment.Version} (Sie sahen {request.Version}). Bitte neu laden und erneut entscheiden.",
                    "decided-meanwhile");
            }
            if (comment.AuthorId == moderatorId)
            {
                return Problems.Forbidden("Über eigene Beiträge entscheiden Moderatorinnen und Moderatoren nicht.", "own-comment");
            }
            if (StateConflict(comment, kind) is { } conflict)
            {
                return Problems.Conflict(conflict.Message, conflict.Code);
            }
            if (request.BlockAuthor is not null && comment.AuthorId is null)
            {
                return Problems.Conflict("Wer den Beitrag geschrieben hat, ist noch nicht bekannt; bitte gleich noch einmal versuchen.", "author-unknown");
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
                return Problems.Conflict("Der Beitrag ändert sich gerade laufend; bitte neu laden und erneut entscheiden.", "changed-meanwhile");
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
            errors["version"] = ["Die Version darf nicht negativ sein."];
        }
        if (request.Decision == DecisionKind.Hide)
        {
            if (request.Reason is null || !HideReasons.All.Contains(request.Reason))
            {
                errors["reason"] = [$"Zum Verbergen gehört ein Grund, einer von: {string.Join(", ", HideReasons.All)}."];
            }
            if (string.IsNullOrWhiteSpace(request.NoteToAuthor))
            {
                errors["noteToAuthor"] = ["Zum Verbergen gehört eine Notiz: die Person erfährt, warum."];
            }
        }
        else if (request.Reason is not null)
        {
            errors["reason"] = ["Nur das Verbergen hat einen Grund."];
        }
        if (request.NoteToAuthor is { Length: > MaxNoteLength })
        {
            errors["noteToAuthor"] = [$"Höchstens {MaxNoteLength} Zeichen."];
        }
        if (request.BlockAuthor is { } block)
        {
            if (block.Days is < 1 or > MaxBlockDays)
            {
                errors["blockAuthor.days"] = [$"Die Sperre dauert 1 bis {MaxBlockDays} Tage."];
            }
            if (string.IsNullOrWhiteSpace(block.Justification) || block.Justification.Length > 500)
            {
                errors["blockAuthor.justification"] = ["Bitte eine Begründung mit höchstens 500 Zeichen angeben."];
            }
        }
        return errors;
    }

    private static (string Code, string Message)? StateConflict(ModeratedComment comment, string kind) => (kind, comment.State) switch
    {
        (_, CommentStates.Deleted) => ("comment-deleted", "Die Person hat den Beitrag gelöscht."),
        (Decisions.Approve, CommentStates.Hidden) => ("comment-hidden", "Der Beitrag ist verborgen; stellen Sie ihn stattdessen wieder her."),
        (Decisions.Approve, CommentStates.Visible) when !comment.InQueue => ("comment-not-in-queue", "Der Beitrag ist sichtbar und steht nicht in der Warteschlange."),
        (Decisions.Hide, CommentStates.Hidden) => ("comment-already-hidden", "Der Beitrag ist schon verborgen."),
        (Decisions.Restore, not (CommentStates.Hidden or CommentStates.Held)) => ("comment-not-restorable",
            "Nur verborgene oder zurückgehaltene Beiträge lassen sich wiederherstellen."),
        _ => null,
    };

    // Two decisions on one version collide on the row version or on the unique (comment_id, version) of decisions.
    private static bool IsConcurrentChange(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private static string? Trim(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
