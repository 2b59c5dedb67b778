using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Editing;

/// <summary>The author edits within the edit window (history kept) or deletes (text removed, thread kept).</summary>
public static class EditingApi
{
    public static IEndpointRouteBuilder MapEditingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/comments/{id:guid}").WithTags("Comments").RequireAuthorization(AuthPolicies.Citizen);
        group.MapPut("", EditAsync).WithName("EditComment");
        group.MapDelete("", DeleteAsync).WithName("DeleteComment");
        return app;
    }

    internal static async Task<Results<Ok<CommentView>, ProblemHttpResult>> EditAsync(Guid id, EditCommentRequest body,
        HttpContext http, CommentsDb db, TimeProvider time, IOptions<CommentsOptions> options, CancellationToken ct)
    {
        var (text, error) = TextRules.Check(body.Text);
        if (error is not null)
        {
            return Problems.Invalid("text", error);
        }
        var now = time.UtcNowMicros();
        var participant = await Participation.CheckAsync(db, http, now, ct);
        if (participant.Refusal is { } refused)
        {
            return refused;
        }
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id, ct);
        // Deleting stays possible for the author (their own words), editing follows the process's visibility.
        if (comment is null || !comment.IsVisibleTo(participant.UserId) || !await db.MaySeeCommentAsync(comment, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        if (comment.AuthorId != participant.UserId)
        {
            return Problems.Forbidden("Nur die Verfasserin oder der Verfasser kann einen Beitrag bearbeiten.", "not-author");
        }
        if (comment.IsDeleted)
        {
            return Problems.Conflict("Der Beitrag wurde gelöscht.", "comment-deleted");
        }
        if (comment.Status is CommentStatus.Hidden or CommentStatus.UnderReview)
        {
            return Problems.Conflict("Ein ausgeblendeter oder in Prüfung befindlicher Beitrag kann nicht bearbeitet werden.", "under-moderation");
        }
        var window = options.Value.EditWindow;
        if (now - comment.CreatedAt > window)
        {
            return Problems.Conflict($"Beiträge können nur in den ersten {Describe(window)} nach dem Schreiben bearbeitet werden.",
                "edit-window-expired");
        }
        if (Commenting.RefusalFor(await Commenting.GetStateAsync(db, comment.ItemId, now, ct)) is { } closed)
        {
            return closed;
        }

        var stance = body.Stance?.ToContract() ?? comment.Stance;
        var presenter = new CommentPresenter(participant.UserId, false, now, window);
        if (text == comment.Text && stance == comment.Stance)
        {
            return TypedResults.Ok(presenter.Present(comment));
        }
        db.Revisions.Add(new CommentRevision
        {
            CommentId = comment.Id,
            Text = comment.Text,
            Stance = comment.Stance,
            WrittenAt = comment.EditedAt ?? comment.CreatedAt,
            ReplacedAt = now,
        });
        comment.Text = text;
        comment.Stance = stance;
        comment.EditedAt = now;
        db.AddOutboxMessage(new CommentEdited(comment.Id, comment.ItemId, comment.ProcessId, participant.UserId, text, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Der Beitrag wurde gerade anderweitig geändert. Bitte laden Sie ihn neu.", "changed-concurrently");
        }
        return TypedResults.Ok(presenter.Present(comment));
    }

    /// <summary>
    /// Deleting removes the text and its edit history but keeps the row, so replies keep their place under
    /// "[gelöscht]". Allowed at any time (also when blocked or after the phase): it is the author's right.
    /// Deleting twice is fine and sends one event.
    /// </summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id,
        HttpContext http, CommentsDb db, TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null || !comment.IsVisibleTo(me))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        if (comment.AuthorId != me)
        {
            return Problems.Forbidden("Nur die Verfasserin oder der Verfasser kann einen Beitrag löschen.", "not-author");
        }
        if (comment.IsDeleted)
        {
            return TypedResults.NoContent();
        }
        var now = time.UtcNowMicros();
        comment.DeletedAt = now;
        comment.Text = "";
        db.Revisions.RemoveRange(await db.Revisions.Where(r => r.CommentId == id).ToListAsync(ct));
        db.AddOutboxMessage(new CommentDeleted(comment.Id, comment.ItemId, comment.ProcessId, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Der Beitrag wurde gerade anderweitig geändert. Bitte versuchen Sie es erneut.", "changed-concurrently");
        }
        return TypedResults.NoContent();
    }

    private static string Describe(TimeSpan window) =>
        window.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0.#} Minuten")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds:0.#} Sekunden");
}
