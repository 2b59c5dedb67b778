using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Map;

/// <summary>
/// The map of a process: its items and events that have a location, for whoever may see the process, with the same
/// visibility rules as the item and event lists (<see cref="ProcessAccess"/>), optionally of one district.
/// </summary>
public static class MapApi
{
    public const int MaxMarkers = 2_000;

    public static IEndpointRouteBuilder MapMapApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/processes/{processId:guid}/map", Get).AllowAnonymous().WithTags("Map")
            .WithDescription($"Items and events with a location (at most {MaxMarkers}, newest first); district=<slug> keeps one district.");
        return app;
    }

    private static async Task<Results<Ok<ProcessMap>, ProblemHttpResult>> Get(Guid processId, string? district, ProposalsDb db,
        CityAreas areas, ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var items = db.Items.AsNoTracking().Where(i => i.ProcessId == processId && i.Latitude != null && i.Longitude != null).VisibleTo(db, user);
        var events = db.Events.AsNoTracking().Where(e => e.ProcessId == processId && e.Latitude != null && e.Longitude != null).VisibleTo(db, user);
        if (!string.IsNullOrWhiteSpace(district))
        {
            items = items.Where(i => i.District == district);
            events = events.Where(e => e.District == district);
        }
        var itemMarkers = await items.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Take(MaxMarkers)
            .Select(i => new MapMarker(i.Id, i.Kind, i.Title, i.Latitude!.Value, i.Longitude!.Value, i.District, "/items/" + i.Id))
            .ToListAsync(ct);
        var eventMarkers = await events.OrderByDescending(e => e.StartsAt).ThenBy(e => e.Id).Take(MaxMarkers)
            .Select(e => new { e.Id, e.Title, e.Latitude, e.Longitude, e.District })
            .ToListAsync(ct);
        var markers = itemMarkers
            .Concat(eventMarkers.Select(e => new MapMarker(e.Id, MapMarkerKinds.Event, e.Title, e.Latitude!.Value, e.Longitude!.Value, e.District,
                $"/processes/{processId}/events/{e.Id}")))
            .Take(MaxMarkers).ToList();
        return TypedResults.Ok(new ProcessMap(process.Id, process.City, areas.For(process.City), markers));
    }
}
