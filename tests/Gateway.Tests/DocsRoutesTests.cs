using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mitreden.Gateway.Tests;

/// <summary>
/// The API reference routes (/api/&lt;svc&gt;/docs, /api/&lt;svc&gt;/openapi) exist only where the docs are enabled, and
/// they are anonymous: checked through the real gateway against a stub that stands for every service.
/// </summary>
public sealed class DocsRoutesTests : IAsyncLifetime
{
    private WebApplication _stub = null!;
    private string _stubAddress = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _stub = builder.Build();
        _stub.Run(context => context.Response.WriteAsync("stub saw " + context.Request.Path));
        await _stub.StartAsync();
        _stubAddress = _stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private WebApplicationFactory<Program> Gateway(bool docs)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Docs:Enabled", docs ? "true" : "false");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", _stubAddress);
            }
        });
        return factory;
    }

    public static TheoryData<string> Paths => new()
    {
        "/api/identity/docs/", "/api/proposals/docs/", "/api/comments/docs/", "/api/voting/docs/", "/api/moderation/docs/",
        "/api/moderation/openapi/v1.json", "/api/voting/openapi/v1.json",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Docs_Enabled_ForwardedAnonymouslyWithoutThePrefix(string path)
    {
        await using var gateway = Gateway(docs: true);
        using var client = gateway.CreateClient();

        var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("stub saw " + path[path.IndexOf('/', 5)..]);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Docs_Disabled_NotFound(string path)
    {
        await using var gateway = Gateway(docs: false);
        using var client = gateway.CreateClient();

        var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
