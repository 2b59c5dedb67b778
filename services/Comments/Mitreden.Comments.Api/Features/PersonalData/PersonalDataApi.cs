using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.PersonalData;

public sealed record MyCommentRecord(Guid Id, Guid ProcessId, Guid ItemId, Guid? ParentId, string Text, string Stance, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, DateTimeOffset? DeletedAt, string? ModerationReason, string? ModerationNote);

public sealed record MyRevisionRecord(Guid CommentId, string Text, string Stance, DateTimeOffset WrittenAt, DateTimeOffset ReplacedAt);

public sealed record MyUpvoteRecord(Guid CommentId, DateTimeOffset At);

public sealed record MyReportRecord(Guid CommentId, string Reason, string? Note, DateTimeOffset At, DateTimeOffset? ResolvedAt);

public sealed record MyAccountCopy(string? DisplayName, DateTimeOffset? BlockedUntil, string? BlockReason);

/// <summary>Everything Comments keeps about one person (GDPR Art. 15/20).</summary>
public sealed record CommentsPersonalData(DateTimeOffset ExportedAt, MyAccountCopy? Account, IReadOnlyList<MyCommentRecord> Comments,
    IReadOnlyList<MyRevisionRecord> EarlierVersions, IReadOnlyList<MyUpvoteRecord> Upvotes, IReadOnlyList<MyReportRecord> Reports);

/// <summary>
/// GET /me/export: the caller's comments and replies (with earlier versions and moderation outcome), up-votes and
/// reports, and the copy of their account Comments keeps. Only the caller's own rows; never other people's.
/// </summary>
public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me/export", ExportAsync).RequireAuthorization(AuthPolicies.Citizen).WithTags("Personal data");
        return app;
    }

    private static async Task<Ok<CommentsPersonalData>> ExportAsync(HttpContext http, CommentsDb db, TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var comments = await db.Comments.AsNoTracking().Where(c => c.AuthorId == me).OrderBy(c => c.CreatedAt)
            .Select(c => new MyCommentRecord(c.Id, c.ProcessId, c.ItemId, c.ParentId, c.Text, c.Stance, c.Status.ToString(), c.CreatedAt,
                c.EditedAt, c.DeletedAt, c.ModerationReason, c.ModerationNote))
            .ToListAsync(ct);
        var ids = comments.Select(c => c.Id).ToList();
        var revisions = await db.Revisions.AsNoTracking().Where(r => ids.Contains(r.CommentId)).OrderBy(r => r.Id)
            .Select(r => new MyRevisionRecord(r.CommentId, r.Text, r.Stance, r.WrittenAt, r.ReplacedAt)).ToListAsync(ct);
        var upvotes = await db.Upvotes.AsNoTracking().Where(u => u.UserId == me).OrderBy(u => u.CreatedAt)
            .Select(u => new MyUpvoteRecord(u.CommentId, u.CreatedAt)).ToListAsync(ct);
        var reports = await db.Reports.AsNoTracking().Where(r => r.ReporterId == me).OrderBy(r => r.CreatedAt)
            .Select(r => new MyReportRecord(r.CommentId, r.Reason, r.Note, r.CreatedAt, r.ResolvedAt)).ToListAsync(ct);
        var account = await db.Users.AsNoTracking().Where(u => u.UserId == me)
            .Select(u => new MyAccountCopy(u.DisplayName, u.BlockedUntil, u.BlockReason)).SingleOrDefaultAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new CommentsPersonalData(time.GetUtcNow(), account, comments, revisions, upvotes, reports));
    }
}
