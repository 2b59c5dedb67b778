using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;

namespace Mitreden.Web.Infrastructure;

/// <summary>
/// The coordinate fields of a form (latitude, longitude), read as text so that "51.6" and "51,6" mean the same in a
/// German and an English UI. Only what the form itself needs is checked here (both or neither, numbers); ranges and the
/// city's area are Proposals' rule, and its field errors are shown as they come.
/// </summary>
public static class LocationInput
{
    /// <summary>Proposals' field names of a location, mapped onto the form's fields.</summary>
    public static void MapFields(IDictionary<string, string> fields, string latitude, string longitude)
    {
        fields["district"] = "District";
        fields["location"] = latitude;
        fields["location.latitude"] = latitude;
        fields["location.longitude"] = longitude;
    }

    public static string? Format(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>The point, or null for none; false with model errors when the fields cannot make a point.</summary>
    public static bool TryRead(string? latitude, string? longitude, string latitudeKey, string longitudeKey, ModelStateDictionary state,
        IStringLocalizer text, out GeoPoint? point)
    {
        point = null;
        var lat = latitude?.Trim() ?? "";
        var lon = longitude?.Trim() ?? "";
        if (lat.Length == 0 && lon.Length == 0)
        {
            return true;
        }
        var ok = true;
        double Read(string value, string key)
        {
            if (value.Length == 0)
            {
                state.AddModelError(key, text["Location_BothRequired"]);
                ok = false;
                return 0;
            }
            if (!double.TryParse(value.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                    out var number))
            {
                state.AddModelError(key, text["Location_NotANumber"]);
                ok = false;
            }
            return number;
        }
        var la = Read(lat, latitudeKey);
        var lo = Read(lon, longitudeKey);
        if (ok)
        {
            point = new GeoPoint(la, lo);
        }
        return ok;
    }
}

/// <summary>What the map partial shows: the area to open on, the places (each also in the list below the map), and
/// for a form, the ids of the coordinate fields a click on the map fills.</summary>
public sealed record MapView(string Id, string Label, GeoArea Area, IReadOnlyList<MapPlace> Places, string? LatitudeField = null,
    string? LongitudeField = null);

/// <param name="Kind">Shown next to the title in the list (already in the UI's language).</param>
public sealed record MapPlace(string Title, string? Url, string Kind, string? District, double Latitude, double Longitude);

/// <summary>A page whose form has the coordinate fields (Pages/Shared/_LocationFields).</summary>
public interface ILocationForm
{
    string? Latitude { get; set; }
    string? Longitude { get; set; }
    /// <summary>A district slug of the process's city, or null.</summary>
    string? District { get; set; }
    IReadOnlyList<DistrictResponse> Districts { get; }
    /// <summary>The map to pick the place on (the process's city), or null when Proposals did not give its area.</summary>
    MapView? LocationMap { get; }
}
