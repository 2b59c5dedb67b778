using Microsoft.Extensions.Options;
using Mitreden.Ui;

namespace Mitreden.Web.Infrastructure;

/// <summary>
/// Web:Map: where the map tiles come from and whose work they are. The default is OpenStreetMap's tile server; a city
/// can name its own (or a test its stub). The CSP allows images from this one origin only.
/// </summary>
public sealed class MapSettings
{
    public const string Section = "Web:Map";

    /// <summary>A Leaflet URL template with {z}, {x} and {y}; absolute http(s).</summary>
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>Shown in the map's corner (plain text; the tile server's licence usually requires it).</summary>
    public string Attribution { get; set; } = "© OpenStreetMap-Mitwirkende";

    /// <summary>scheme://host[:port] of <see cref="TileUrl"/>.</summary>
    public string TileOrigin => new Uri(TileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal))
        .GetLeftPart(UriPartial.Authority);

    public static bool Valid(MapSettings s) =>
        Uri.TryCreate(s.TileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http" && uri.Host.Length > 0 && string.IsNullOrEmpty(uri.UserInfo)
        && s.TileUrl.Contains("{z}", StringComparison.Ordinal) && s.TileUrl.Contains("{x}", StringComparison.Ordinal)
        && s.TileUrl.Contains("{y}", StringComparison.Ordinal)
        && !string.IsNullOrWhiteSpace(s.Attribution);

    public static void Add(IServiceCollection services)
    {
        services.AddOptions<MapSettings>().BindConfiguration(Section)
            .Validate(Valid, "Web:Map:TileUrl must be an absolute http(s) URL with {z}, {x} and {y}, and Web:Map:Attribution must not be empty.")
            .ValidateOnStart();
        services.AddOptions<SecurityHeadersOptions>().Configure<IOptions<MapSettings>>((o, map) => o.ImageOrigins.Add(map.Value.TileOrigin));
    }
}
