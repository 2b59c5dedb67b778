using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>
/// Identity's discovery document and keys on a real loopback port. Like the real one, the document names the keys at
/// the public issuer address (<c>{issuer}/.well-known/jwks.json</c>), which is not this server: a validator must fetch
/// them from here.
/// </summary>
internal sealed class FakeIdentity : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _discoveryRequests;
    private int _keyRequests;

    private FakeIdentity(WebApplication app) => _app = app;

    /// <summary>The JWKS served now; tests replace it to publish or withdraw keys.</summary>
    public volatile string Jwks = "{\"keys\":[]}";

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    public string MetadataAddress { get; private set; } = null!;

    public static async Task<FakeIdentity> StartAsync(string issuer, string jwks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeIdentity(app) { Jwks = jwks };
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref server._discoveryRequests);
            return Results.Content(new JsonObject
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = issuer.TrimEnd('/') + "/.well-known/jwks.json",
                ["token_endpoint"] = issuer.TrimEnd('/') + "/connect/token",
            }.ToJsonString(), "application/json");
        });
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref server._keyRequests);
            return Results.Content(server.Jwks, "application/json");
        });
        await app.StartAsync();
        server.MetadataAddress = app.Urls.Single() + "/.well-known/openid-configuration";
        return server;
    }

    /// <summary>A port nothing listens on (Identity down).</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
