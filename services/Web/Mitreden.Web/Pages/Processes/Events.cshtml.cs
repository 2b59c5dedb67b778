using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Processes;

/// <summary>The events of a process: upcoming (soonest first) and past (latest first), with the calendar of all of them.</summary>
public sealed class EventsModel(ProposalsApi proposals) : WebPage
{
    public ProcessResponse Process { get; private set; } = null!;
    public IReadOnlyList<ProcessEvent> Upcoming { get; private set; } = [];
    public IReadOnlyList<ProcessEvent> Past { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = await proposals.ProcessAsync(id, ct);
        if (!process.Ok)
        {
            return StatusCode(process.Status == 404 ? 404 : 400);
        }
        Process = process.Value!;
        var upcoming = await proposals.EventsAsync(id, "upcoming", ct);
        var past = await proposals.EventsAsync(id, "past", ct);
        if (!upcoming.Ok || !past.Ok)
        {
            return StatusCode((upcoming.Ok ? past.Status : upcoming.Status) == 404 ? 404 : 400);
        }
        (Upcoming, Past) = (upcoming.Value!, past.Value!);
        return Page();
    }
}
