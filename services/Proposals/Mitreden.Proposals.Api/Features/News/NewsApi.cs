using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.News;

/// <summary>
/// News of a process: anyone who may see the process reads them (newest first); staff write, change and remove them.
/// An archived process keeps its news and takes no new ones.
/// </summary>
public static class NewsApi
{
    public const int DefaultPageSize = 10;

    public static IEndpointRouteBuilder MapNewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes/{processId:guid}/news").WithTags("News");
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{postId:guid}", Get).AllowAnonymous();
        group.MapPost("/", Create).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{postId:guid}", Update).RequireAuthorization(AuthPolicies.Staff);
        group.MapDelete("/{postId:guid}", Delete).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<NewsPage>, ProblemHttpResult>> List(
        Guid processId, int? page, int? pageSize, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var v = new Validator();
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        v.Check(p >= 1, "page", "Must be 1 or more.");
        v.Check(size is >= 1 and <= NewsLimits.PageSizeMax, "pageSize", $"Must be between 1 and {NewsLimits.PageSizeMax}.");
        if (v.Failed)
        {
            return v.Problem();
        }
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var posts = db.NewsPosts.AsNoTracking().Where(n => n.ProcessId == processId);
        var total = await posts.CountAsync(ct);
        var rows = await posts.OrderByDescending(n => n.PublishedAt).ThenByDescending(n => n.Id)
            .Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new NewsPage(rows.Select(ToResponse).ToList(), p, size, total));
    }

    private static async Task<Results<Ok<NewsPost>, ProblemHttpResult>> Get(
        Guid processId, Guid postId, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var row = await db.NewsPosts.AsNoTracking().SingleOrDefaultAsync(n => n.Id == postId && n.ProcessId == processId, ct);
        return row is null ? Problems.NotFound("The news post does not exist.") : TypedResults.Ok(ToResponse(row));
    }

    private static async Task<Results<Created<NewsPost>, ProblemHttpResult>> Create(
        Guid processId, NewsPostRequest request, ProposalsDb db, NewsMarkdown markdown, ClaimsPrincipal user, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request, out var title, out var body) is { } invalid)
        {
            return invalid;
        }
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived; it takes no new news.", "process-archived");
        }
        var now = clock.GetUtcNow();
        var row = NewRow(processId, title, body, markdown, user.OptionalUserId(), now);
        db.NewsPosts.Add(row);
        // Followers hear of a post only where the public sees it; a draft process announces nothing.
        if (process.Status == ProcessStatus.Published)
        {
            db.AddOutboxMessage(new NewsPostPublished(processId, row.Id, row.Title, now));
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{processId}/news/{row.Id}", ToResponse(row));
    }

    private static async Task<Results<Ok<NewsPost>, ProblemHttpResult>> Update(
        Guid processId, Guid postId, NewsPostRequest request, ProposalsDb db, NewsMarkdown markdown, TimeProvider clock,
        CancellationToken ct)
    {
        if (Validate(request, out var title, out var body) is { } invalid)
        {
            return invalid;
        }
        var (process, row) = await FindAsync(db, processId, postId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The news post does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived; its news can no longer change.", "process-archived");
        }
        row.Title = title;
        row.Body = body;
        row.Html = markdown.ToHtml(body);
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(row));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid processId, Guid postId, ProposalsDb db, CancellationToken ct)
    {
        var (process, row) = await FindAsync(db, processId, postId, ct);
        if (process is null || row is null)
        {
            return Problems.NotFound(process is null ? "The process does not exist." : "The news post does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived; its news can no longer change.", "process-archived");
        }
        db.NewsPosts.Remove(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<(Process? Process, NewsPostRow? Row)> FindAsync(ProposalsDb db, Guid processId, Guid postId, CancellationToken ct)
    {
        var process = await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == processId, ct);
        var row = process is null ? null : await db.NewsPosts.SingleOrDefaultAsync(n => n.Id == postId && n.ProcessId == processId, ct);
        return (process, row);
    }

    internal static NewsPostRow NewRow(Guid processId, string title, string body, NewsMarkdown markdown, Guid? authorId, DateTimeOffset at) =>
        new()
        {
            Id = Guid.CreateVersion7(at),
            ProcessId = processId,
            Title = title,
            Body = body,
            Html = markdown.ToHtml(body),
            AuthorId = authorId,
            PublishedAt = at,
        };

    /// <summary>The post's title and body, trimmed, or the 422 answer naming the fields that are not acceptable.</summary>
    internal static ProblemHttpResult? Validate(NewsPostRequest request, out string title, out string body)
    {
        var v = new Validator();
        title = v.Text(request.Title, "title", NewsLimits.TitleMax);
        body = v.Text(request.Body, "body", NewsLimits.BodyMax);
        return v.Failed ? v.Problem() : null;
    }

    private static NewsPost ToResponse(NewsPostRow row) =>
        new(row.Id, row.ProcessId, row.Title, row.Body, row.Html, row.PublishedAt, row.UpdatedAt);
}
