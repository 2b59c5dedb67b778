using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Reports;

public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/comments/{id:guid}/reports", ReportAsync)
            .RequireAuthorization(AuthPolicies.Citizen)
            .WithTags("Comments")
            .WithName("ReportComment");
        return app;
    }

    internal static async Task<Results<Created<ReportView>, ProblemHttpResult>> ReportAsync(Guid id, ReportCommentRequest body,
        HttpContext http, CommentsDb db, TimeProvider time, CancellationToken ct)
    {
        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        if (note?.Length > CommentReport.MaxNoteLength)
        {
            return Problems.Invalid("note", $"Die Anmerkung darf höchstens {CommentReport.MaxNoteLength} Zeichen lang sein.");
        }
        if (body.Reason == ReportReason.Other && note is null)
        {
            return Problems.Invalid("note", "Bitte beschreiben Sie bei „Sonstiges“ kurz, was nicht in Ordnung ist.");
        }
        var now = time.UtcNowMicros();
        var participant = await Participation.CheckAsync(db, http, now, ct);
        if (participant.Refusal is { } refused)
        {
            return refused;
        }
        var me = participant.UserId;
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (comment is null || !comment.IsVisibleTo(me) || !await db.MaySeeCommentAsync(comment, http.User, ct))
        {
            return Problems.NotFound("Diesen Beitrag gibt es nicht.");
        }
        if (comment.AuthorId == me)
        {
            return Problems.Invalid("id", "Eigene Beiträge können nicht gemeldet werden.");
        }
        if (comment.IsDeleted)
        {
            return Problems.Conflict("Der Beitrag wurde bereits gelöscht.", "comment-deleted");
        }
        if (await db.Reports.AnyAsync(r => r.CommentId == id && r.ReporterId == me && r.ResolvedAt == null, ct))
        {
            return Problems.Conflict("Sie haben diesen Beitrag bereits gemeldet; die Moderation prüft ihn.", "already-reported");
        }

        var report = new CommentReport
        {
            Id = Guid.CreateVersion7(now),
            CommentId = id,
            ReporterId = me,
            Reason = ToContract(body.Reason),
            Note = note,
            CreatedAt = now,
        };
        // A concurrent second report by the same user fails on ux_comment_reports_open and becomes a 409.
        await db.InTransactionAsync(async () =>
        {
            db.Reports.Add(report);
            await db.SaveChangesAsync(ct);
            var open = (await db.Database.SqlQuery<int>(
                    $"UPDATE comments SET open_reports = open_reports + 1 WHERE id = {id} RETURNING open_reports AS \"Value\"")
                .ToListAsync(ct)).Single();
            db.AddOutboxMessage(new CommentReported(id, comment.ItemId, comment.ProcessId, report.Id, me, report.Reason, note, open, now));
            await db.SaveChangesAsync(ct);
        }, ct);
        return TypedResults.Created($"/comments/{id}/reports/{report.Id}",
            new ReportView(report.Id, id, body.Reason, note, now, true));
    }

    internal static string ToContract(ReportReason reason) => reason switch
    {
        ReportReason.Insult => ReportReasons.Insult,
        ReportReason.Spam => ReportReasons.Spam,
        ReportReason.OffTopic => ReportReasons.OffTopic,
        ReportReason.PersonalData => ReportReasons.PersonalData,
        ReportReason.Advertising => ReportReasons.Advertising,
        _ => ReportReasons.Other,
    };

    internal static ReportReason FromContract(string reason) => reason switch
    {
        ReportReasons.Insult => ReportReason.Insult,
        ReportReasons.Spam => ReportReason.Spam,
        ReportReasons.OffTopic => ReportReason.OffTopic,
        ReportReasons.PersonalData => ReportReason.PersonalData,
        ReportReasons.Advertising => ReportReason.Advertising,
        _ => ReportReason.Other,
    };
}
