namespace Mitreden.Web;

/// <summary>Marker type for the shared texts in Resources/SharedResource.{de,en}.resx (German is the default).</summary>
public sealed class SharedResource;
