using System.Net;

namespace Mitreden.LoadTests.Engine;

/// <summary>
/// The driver only ever loads this machine: a base URL is accepted when its host is <c>localhost</c>, an address
/// in 127.0.0.0/8 or <c>::1</c> (no name resolution, so a DNS entry pointing elsewhere cannot sneak in).
/// </summary>
public static class LoopbackGuard
{
    public static bool IsLoopback(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }
        var host = uri.IdnHost.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.Equals(IPAddress.IPv6Loopback)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 127);
    }

    /// <summary>Parses <paramref name="baseUrl"/> and throws unless it targets the loopback interface.</summary>
    public static Uri Require(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{baseUrl}' is not an absolute URL.", nameof(baseUrl));
        }
        if (!IsLoopback(uri))
        {
            throw new ArgumentException(
                $"Refusing to load '{uri.Host}': the driver only targets loopback (127.0.0.0/8, ::1, localhost).", nameof(baseUrl));
        }
        return uri;
    }
}
