using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>The yearly monitoring: how far each measure is, by status, with progress and milestones.</summary>
public sealed class MonitoringModel(ProposalsApi proposals) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public MonitoringOverview? Overview { get; private set; }
    public IReadOnlyList<ItemResponse> Measures { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var overview = await proposals.MonitoringAsync(id, ct);
        if (overview.Ok)
        {
            Overview = overview.Value;
        }
        else
        {
            // Without the overview endpoint, the measures' own monitoring data still tell the story.
            var items = await proposals.ItemsAsync(id, new ItemQuery(Kind: "measure", Sort: "title", PageSize: 100), ct);
            Measures = items.Value?.Items ?? [];
        }
        return Page();
    }
}
