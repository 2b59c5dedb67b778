using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>
/// Staff write a news post ("neu") or change and remove one. The rules (required fields, lengths, archived processes)
/// are Proposals'; this page shows its answer on the form.
/// </summary>
public sealed class NewsModel(ProposalsApi proposals) : WebPage
{
    public const string NewPost = "neu";

    public ProcessResponse Process { get; private set; } = null!;
    public NewsPost? Post { get; private set; }
    public int TitleMax => NewsLimits.TitleMax;
    public int BodyMax => NewsLimits.BodyMax;

    [BindProperty] public string? NewsTitle { get; set; }
    [BindProperty] public string? NewsBody { get; set; }

    private static readonly IReadOnlyDictionary<string, string> Fields =
        new Dictionary<string, string> { ["title"] = nameof(NewsTitle), ["body"] = nameof(NewsBody) };

    public async Task<IActionResult> OnGetAsync(Guid id, string post, CancellationToken ct)
    {
        if (await LoadAsync(id, post, ct) is { } missing)
        {
            return missing;
        }
        (NewsTitle, NewsBody) = (Post?.Title, Post?.Body);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string post, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, post, ct) is { } missing)
        {
            return missing;
        }
        var request = new NewsPostRequest(NewsTitle ?? "", NewsBody ?? "");
        var result = Post is null
            ? await proposals.CreateNewsPostAsync(id, request, ct)
            : await proposals.UpdateNewsPostAsync(id, Post.Id, request, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, Fields);
            return Page();
        }
        Flash(T[Post is null ? "News_Published" : "News_Saved"]);
        return Redirect($"/prozesse/{id}/neuigkeiten#news-{result.Value!.Id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, string post, CancellationToken ct)
    {
        ModelState.Clear();
        if (await LoadAsync(id, post, ct) is { } missing)
        {
            return missing;
        }
        if (Post is null)
        {
            return StatusCode(404);
        }
        var result = await proposals.DeleteNewsPostAsync(id, Post.Id, ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, Fields);
            (NewsTitle, NewsBody) = (Post.Title, Post.Body);
            return Page();
        }
        Flash(T["News_Deleted"]);
        return Redirect($"/prozesse/{id}/neuigkeiten");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string post, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        if (post == NewPost)
        {
            return null;
        }
        if (!Guid.TryParse(post, out var postId))
        {
            return StatusCode(404);
        }
        var existing = await proposals.NewsPostAsync(id, postId, ct);
        if (!existing.Ok)
        {
            return StatusCode(existing.Status == 404 ? 404 : 400);
        }
        Post = existing.Value;
        return null;
    }
}
