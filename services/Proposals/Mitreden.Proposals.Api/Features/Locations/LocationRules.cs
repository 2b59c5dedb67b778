using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Locations;

/// <summary>
/// The one check of a location given for an item or event: a real coordinate (finite, in range) inside the area of the
/// process's city. A missing latitude or longitude never gets here: the JSON reader refuses it (400).
/// </summary>
internal static class LocationRules
{
    public const string InvalidCode = "location-invalid";
    public const string OutsideCityCode = "location-outside-city";

    public static ProblemHttpResult? Check(GeoPoint? point, string city, CityAreas areas)
    {
        if (point is null)
        {
            return null;
        }
        var errors = new Dictionary<string, string[]>();
        if (!double.IsFinite(point.Latitude) || point.Latitude is < -90 or > 90)
        {
            errors["location.latitude"] = ["Der Breitengrad muss eine Zahl zwischen -90 und 90 sein."];
        }
        if (!double.IsFinite(point.Longitude) || point.Longitude is < -180 or > 180)
        {
            errors["location.longitude"] = ["Der Längengrad muss eine Zahl zwischen -180 und 180 sein."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Der Ort ist keine gültige Koordinate.",
                errors.Keys.ToDictionary(k => k, _ => InvalidCode), language: "de", code: InvalidCode);
        }
        if (!CityAreas.Contains(areas.For(city), point))
        {
            var message = $"Der Ort liegt außerhalb von {city.Trim()}.";
            return Problems.Invalid(new Dictionary<string, string[]> { ["location"] = [message] }, message,
                new Dictionary<string, string> { ["location"] = OutsideCityCode }, language: "de", code: OutsideCityCode);
        }
        return null;
    }
}
