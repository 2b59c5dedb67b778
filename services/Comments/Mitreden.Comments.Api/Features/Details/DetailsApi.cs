using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Reports;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Details;

public static class DetailsApi
{
    public static IEndpointRouteBuilder MapDetailsApi(this IEndpointRouteBuilder app)
    {
        // Anonymous; ?full=true additionally requires the moderator policy (checked in the handler).
        app.MapGet("/comments/{id:guid}", GetAsync).AllowAnonymous().WithTags("Comments").WithName("GetComment");
        app.MapGet("/moderator/comments/{id:guid}", GetFullAsync)
            .RequireAuthorization(AuthPolicies.Moderator)
            .WithTags("Moderation")
            .WithName("GetCommentForModerator");
        return app;
    }

    internal static async Task<Results<Ok<CommentDetail>, Ok<ModeratorCommentView>, ProblemHttpResult>> GetAsync(Guid id, bool? full,
        HttpContext http, IAuthorizationService authorization, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options,
        CancellationToken ct)
    {
        if (full == true)
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Problems.Problem(StatusCodes.Status401Unauthorized, "Die vollständige Ansicht ist der Moderation vorbehalten.",
                    "sign-in-required", title: "Anmeldung erforderlich");
            }
            if (!(await authorization.AuthorizeAsync(http.User, AuthPolicies.Moderator)).Succeeded)
            {
                return Problems.Forbidden("Die vollständige Ansicht ist der Moderation vorbehalten.", "moderator-only");
            }
            var fullView = await BuildFullAsync(db, id, time, options.Value, ct);
            return fullView is null ? Problems.NotFound("Diesen Beitrag gibt es nicht.") : TypedResults.Ok(fullView);
        }

        var viewer = http.User.TryGetUserId(out var me) ? me : (Guid?)null;
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null || !comment.IsVisibleTo(viewer) || !await db.MaySeeCommentAsync(comment, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        var parent = comment.ParentId is { } parentId
            ? await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct)
            : null;
        if (parent is not null && !parent.IsVisibleTo(viewer))
        {
            parent = null;
        }
        var ids = parent is null ? new[] { comment.Id } : [comment.Id, parent.Id];
        var upvoted = await ThreadQueries.UpvotedByAsync(db, viewer, ids, ct);
        var presenter = new CommentPresenter(viewer, false, time.UtcNowMicros(), options.Value.EditWindow, upvoted);
        return TypedResults.Ok(new CommentDetail(presenter.Present(comment), parent is null ? null : presenter.Present(parent)));
    }

    internal static async Task<Results<Ok<ModeratorCommentView>, ProblemHttpResult>> GetFullAsync(Guid id,
        CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        var view = await BuildFullAsync(db, id, time, options.Value, ct);
        return view is null ? Problems.NotFound("Diesen Beitrag gibt es nicht.") : TypedResults.Ok(view);
    }

    private static async Task<ModeratorCommentView?> BuildFullAsync(CommentsDb db, Guid id, TimeProvider time, CommentsOptions options,
        CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null)
        {
            return null;
        }
        var presenter = new CommentPresenter(null, true, time.UtcNowMicros(), options.EditWindow);
        var parent = comment.ParentId is { } parentId
            ? await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct)
            : null;
        // Context: the replies of the thread (of the comment itself, or of its parent for a reply), moderators see all.
        var threadId = comment.ParentId ?? comment.Id;
        var replies = await db.Comments.AsNoTracking().Where(c => c.ParentId == threadId)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(options.RepliesPreview).ToListAsync(ct);
        var revisions = await db.Revisions.AsNoTracking().Where(r => r.CommentId == id).OrderBy(r => r.Id)
            .Select(r => new RevisionView(r.Text, StanceMapping.FromContract(r.Stance), r.WrittenAt, r.ReplacedAt))
            .ToListAsync(ct);
        var reports = (await db.Reports.AsNoTracking().Where(r => r.CommentId == id).OrderBy(r => r.CreatedAt).ToListAsync(ct))
            .Select(r => new ReportView(r.Id, r.CommentId, ReportsApi.FromContract(r.Reason), r.Note, r.CreatedAt, r.ResolvedAt is null))
            .ToList();
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.CommentId == id).OrderBy(d => d.DecidedAt)
            .Select(d => new DecisionView(d.DecisionId, d.Decision, d.Reason, d.NoteToAuthor, d.ModeratorId, d.DecidedAt, d.Applied))
            .ToListAsync(ct);
        return new ModeratorCommentView(presenter.Present(comment), comment.AuthorId, comment.ProcessId, comment.OpenReports,
            parent is null ? null : presenter.Present(parent),
            replies.Select(r => presenter.Present(r)).ToList(), revisions, reports, decisions);
    }
}
