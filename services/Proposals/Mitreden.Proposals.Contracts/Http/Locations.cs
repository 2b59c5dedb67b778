namespace Mitreden.Proposals.Contracts.Http;

// Places on the map, owned by Proposals and read by the web (additive changes only, like the events).

/// <summary>A point (WGS 84, decimal degrees). Both values are required; Proposals checks ranges and the city's area.</summary>
public sealed record GeoPoint(double Latitude, double Longitude);

/// <summary>A rectangle around a city: south/north latitudes and west/east longitudes (WGS 84).</summary>
public sealed record GeoArea(double South, double West, double North, double East);

/// <summary>Kinds of marker on a process map: an item's kind (<see cref="ItemKinds"/>) or "event".</summary>
public static class MapMarkerKinds
{
    public const string Event = "event";
}

/// <summary>One thing with a location on a process map.</summary>
/// <param name="Kind">The item's kind (vision, guiding-goal, measure, scenario, citizen-idea) or "event".</param>
/// <param name="District">District slug, or null.</param>
/// <param name="Link">Where the thing lives in Proposals' API (/items/{id} or /processes/{processId}/events/{id}).</param>
public sealed record MapMarker(Guid Id, string Kind, string Title, double Latitude, double Longitude, string? District, string Link);

/// <summary>The map of a process: the city's area (for the initial view) and every marker the caller may see.</summary>
public sealed record ProcessMap(Guid ProcessId, string City, GeoArea Area, IReadOnlyList<MapMarker> Markers);
