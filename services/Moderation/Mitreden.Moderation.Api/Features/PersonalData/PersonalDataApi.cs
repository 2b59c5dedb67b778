using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.PersonalData;

public sealed record ModeratedCommentRecord(Guid CommentId, Guid ProcessId, Guid ItemId, string? Text, string State, DateTimeOffset? PostedAt,
    DateTimeOffset? EditedAt);

public sealed record DecisionRecord(Guid DecisionId, Guid CommentId, string Kind, string? Reason, string? NoteToAuthor, string PreviousState,
    string NewState, DateTimeOffset DecidedAt, DateTimeOffset? AuthorBlockedUntil);

public sealed record ReportRecord(Guid CommentId, string Reason, string? Note, DateTimeOffset ReportedAt);

public sealed record AuditRecord(long Id, DateTimeOffset At, string Action, Guid? CommentId, Guid? DecisionId, string? Reason);

/// <summary>
/// Everything Moderation keeps about one person (GDPR Art. 15/20): its copies of their comments, the decisions on
/// them (without who decided), their reports, and — for moderators — the decisions and audit entries they made.
/// </summary>
public sealed record ModerationPersonalData(DateTimeOffset ExportedAt, IReadOnlyList<ModeratedCommentRecord> MyComments,
    IReadOnlyList<DecisionRecord> DecisionsOnMyComments, IReadOnlyList<ReportRecord> MyReports, IReadOnlyList<DecisionRecord> DecisionsIMade,
    IReadOnlyList<AuditRecord> MyAuditEntries);

public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me/export", ExportAsync).RequireAuthorization(AuthPolicies.Citizen).WithTags("Personal data").ProducesProblems(401, 403);
        return app;
    }

    private static async Task<Ok<ModerationPersonalData>> ExportAsync(HttpContext http, ModerationDb db, TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var comments = await db.Comments.AsNoTracking().Where(c => c.AuthorId == me).OrderBy(c => c.Seq)
            .Select(c => new ModeratedCommentRecord(c.Id, c.ProcessId, c.ItemId, c.Text, c.State, c.PostedAt, c.EditedAt)).ToListAsync(ct);
        var onMine = await db.Decisions.AsNoTracking().Where(d => d.AuthorId == me).OrderBy(d => d.DecidedAt)
            .Select(d => new DecisionRecord(d.Id, d.CommentId, d.Kind, d.Reason, d.NoteToAuthor, d.PreviousState, d.NewState, d.DecidedAt,
                d.AuthorBlockedUntil))
            .ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.ReporterId == me).OrderBy(r => r.ReportedAt)
            .Select(r => new ReportRecord(r.CommentId, r.Reason, r.Note, r.ReportedAt)).ToListAsync(ct);
        var made = await db.Decisions.AsNoTracking().Where(d => d.ModeratorId == me).OrderBy(d => d.DecidedAt)
            .Select(d => new DecisionRecord(d.Id, d.CommentId, d.Kind, d.Reason, d.NoteToAuthor, d.PreviousState, d.NewState, d.DecidedAt,
                d.AuthorBlockedUntil))
            .ToListAsync(ct);
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.ActorId == me).OrderBy(a => a.Id)
            .Select(a => new AuditRecord(a.Id, a.At, a.Action, a.CommentId, a.DecisionId, a.Reason)).ToListAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ModerationPersonalData(time.GetUtcNow(), comments, onMine, reports, made, audit));
    }
}
