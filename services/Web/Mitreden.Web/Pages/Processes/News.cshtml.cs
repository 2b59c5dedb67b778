using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>All news of a process, newest first, page by page; staff find the links to write and change posts here.</summary>
public sealed class NewsModel(ProposalsApi proposals) : WebPage
{
    public const int PageSize = 10;

    public ProcessResponse Process { get; private set; } = null!;
    public NewsPage News { get; private set; } = new([], 1, PageSize, 0);

    [BindProperty(SupportsGet = true, Name = "seite")] public int PageNumber { get; set; } = 1;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var news = await proposals.NewsAsync(id, Math.Max(1, PageNumber), PageSize, ct);
        if (!news.Ok)
        {
            return StatusCode(news.Status == 404 ? 404 : 400);
        }
        News = news.Value!;
        return Page();
    }

    public string PageUrl(int page) => $"/prozesse/{Process.Id}/neuigkeiten?seite={page}";
}
