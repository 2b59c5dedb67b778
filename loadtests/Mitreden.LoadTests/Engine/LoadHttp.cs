using System.Net;

namespace Mitreden.LoadTests.Engine;

/// <summary>
/// One <see cref="HttpClient"/> over one <see cref="SocketsHttpHandler"/> for the whole run: HTTP/1.1 keep-alive,
/// many pooled connections, no cookies, no proxy, no redirects (a redirect could leave loopback).
/// </summary>
public static class LoadHttp
{
    public static HttpClient Create(Uri baseUrl, TimeSpan requestTimeout, int maxConnections = 2048)
    {
        LoopbackGuard.Require(baseUrl.ToString());
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = false,
        };
        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseUrl,
            Timeout = requestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
