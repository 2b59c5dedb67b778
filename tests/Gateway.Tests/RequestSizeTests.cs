using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Gateway.Tests;

/// <summary>
/// Body limits at the edge: 1 MiB everywhere, more only on the routes Gateway:LargeBodies lists (the shipped
/// appsettings.json), checked through the real gateway against a stub that reads what it is sent.
/// </summary>
public sealed class RequestSizeTests : IAsyncLifetime
{
    private WebApplication _stub = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        _stub = builder.Build();
        _stub.Run(async context =>
        {
            var length = 0L;
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                length += read;
            }
            await context.Response.WriteAsync($"stub got {length} bytes");
        });
        await _stub.StartAsync();
        var stubAddress = _stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", stubAddress);
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _stub.DisposeAsync();
    }

    private static readonly string Process = Guid.NewGuid().ToString();

    public static TheoryData<string, long, HttpStatusCode> Cases => new()
    {
        { $"/api/proposals/processes/{Process}/documents", DocumentLimits.MaxBytes + 1000, HttpStatusCode.OK },
        { $"/verwaltung/prozesse/{Process}/dokumente", DocumentLimits.MaxBytes + 1000, HttpStatusCode.OK },
        { $"/api/proposals/processes/{Process}/items/import", 5 * 1024 * 1024, HttpStatusCode.OK },
        { $"/api/proposals/processes/{Process}/documents", DocumentLimits.MaxBytes + DocumentLimits.MultipartOverheadBytes + 1, HttpStatusCode.RequestEntityTooLarge },
        { $"/api/proposals/processes/{Process}/items/import", 11 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge },
        // Only the listed routes: a neighbour of the document route keeps the ordinary limit.
        { $"/api/proposals/processes/{Process}/items", 2 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge },
        { $"/api/proposals/processes/{Process}/documents/extra", 2 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge },
        { "/verwaltung/prozesse/neu", 2 * 1024 * 1024, HttpStatusCode.RequestEntityTooLarge },
        { $"/api/proposals/processes/{Process}/items", 1000, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_OfThisSize_IsForwardedOrRefusedAtTheEdge(string path, long size, HttpStatusCode expected)
    {
        using var client = _gateway.CreateClient();
        using var content = new ByteArrayContent(new byte[size]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        var response = await client.PostAsync(path, content);

        if (expected == HttpStatusCode.RequestEntityTooLarge)
        {
            response.StatusCode.Should().Be(expected);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        else if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            // Past the size check, the gateway's token check answers (this test has no token): the body was accepted.
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, await response.Content.ReadAsStringAsync());
        }
        else
        {
            response.StatusCode.Should().Be(expected);
            (await response.Content.ReadAsStringAsync()).Should().Be($"stub got {size} bytes");
        }
    }

    [Theory]
    [InlineData("/api/proposals/processes/*/documents", "/api/proposals/processes/abc/documents", true)]
    [InlineData("/api/proposals/processes/*/documents", "/API/Proposals/processes/abc/documents/", true)]
    [InlineData("/api/proposals/processes/*/documents", "/api/proposals/processes//documents", false)]
    [InlineData("/api/proposals/processes/*/documents", "/api/proposals/processes/a/b/documents", false)]
    public void LargeBodyRoute_StarStandsForExactlyOneSegment(string pattern, string path, bool matches) =>
        new LargeBodyRoute(pattern, 1).Matches(new PathString(path)).Should().Be(matches);
}
