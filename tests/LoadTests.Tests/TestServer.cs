using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mitreden.LoadTests.Tests;

/// <summary>A tiny Kestrel server on 127.0.0.1 (port chosen by the OS) whose handler each test supplies.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<TestServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TestServer(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1") + "/");
        return server;
    }

    public static Task<TestServer> StartOkAsync() => StartAsync(context =>
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
