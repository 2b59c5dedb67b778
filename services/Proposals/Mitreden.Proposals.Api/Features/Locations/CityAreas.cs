using Microsoft.Extensions.Options;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Locations;

/// <summary>One city's rectangle in configuration (Proposals:Locations:Cities:&lt;City&gt;).</summary>
public sealed class CityAreaOptions
{
    public double South { get; set; }
    public double West { get; set; }
    public double North { get; set; }
    public double East { get; set; }

    public GeoArea ToArea() => new(South, West, North, East);
}

/// <summary>
/// Proposals:Locations: the area (a rectangle) of each process's city, by the city's name as the process names it.
/// The demo cities are built in (real coordinates, rounded outwards); configuration adds cities or replaces them.
/// A city named nowhere gets <see cref="CityAreas.Germany"/>, so a point at sea or abroad is still refused.
/// </summary>
public sealed class LocationOptions
{
    public const string Section = "Proposals:Locations";

    public Dictionary<string, CityAreaOptions> Cities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration check: names the first rectangle that is no rectangle on Earth.</summary>
    public static bool Valid(LocationOptions o) => o.Cities.All(c => CityAreas.IsArea(c.Value.ToArea()));
}

/// <summary>The area of every city (built-in demo cities plus configuration), looked up by the process's city name.</summary>
public sealed class CityAreas(IOptions<LocationOptions> options)
{
    /// <summary>Germany, rounded outwards: the area of a city without its own entry.</summary>
    public static readonly GeoArea Germany = new(47.2, 5.8, 55.1, 15.1);

    /// <summary>The demo processes' cities (see Features/Demo).</summary>
    public static readonly IReadOnlyDictionary<string, GeoArea> Demo = new Dictionary<string, GeoArea>(StringComparer.OrdinalIgnoreCase)
    {
        ["Bergkamen"] = new(51.57, 7.55, 51.67, 7.74),
        ["Leverkusen"] = new(50.98, 6.92, 51.10, 7.17),
        ["Kaiserslautern"] = new(49.34, 7.60, 49.51, 7.93),
        ["Delmenhorst"] = new(53.00, 8.55, 53.10, 8.71),
        ["Lünen"] = new(51.57, 7.42, 51.66, 7.62),
    };

    private readonly Dictionary<string, GeoArea> _areas = Merge(options.Value);

    public GeoArea For(string city) => _areas.GetValueOrDefault(city.Trim()) ?? Germany;

    public static bool IsArea(GeoArea a) =>
        double.IsFinite(a.South) && double.IsFinite(a.North) && double.IsFinite(a.West) && double.IsFinite(a.East)
        && a.South is >= -90 and <= 90 && a.North is >= -90 and <= 90 && a.West is >= -180 and <= 180 && a.East is >= -180 and <= 180
        && a.South < a.North && a.West < a.East;

    public static bool Contains(GeoArea a, GeoPoint p) =>
        p.Latitude >= a.South && p.Latitude <= a.North && p.Longitude >= a.West && p.Longitude <= a.East;

    private static Dictionary<string, GeoArea> Merge(LocationOptions o)
    {
        var all = new Dictionary<string, GeoArea>(Demo, StringComparer.OrdinalIgnoreCase);
        foreach (var (city, area) in o.Cities)
        {
            all[city.Trim()] = area.ToArea();
        }
        return all;
    }
}
