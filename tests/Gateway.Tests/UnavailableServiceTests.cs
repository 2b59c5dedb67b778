using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mitreden.Gateway.Tests;

/// <summary>A component that is down (nothing listens at its address): the gateway answers at once with a ProblemDetails 503.</summary>
public sealed class UnavailableServiceTests
{
    private static string DeadAddress()
    {
        // A port that was free a moment ago and is closed now: connecting is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    [Fact]
    public async Task TokenRequest_IdentityDown_ProblemDetails503WithRetryAfter()
    {
        var dead = DeadAddress();
        await using var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:Issuer", "http://127.0.0.1:9/api/identity");
            b.UseSetting("Auth:Audience", "mitreden-gateway");
            foreach (var cluster in GatewayModule.Clusters)
            {
                b.UseSetting($"Services:{cluster}", dead);
            }
        });
        using var client = gateway.CreateClient();

        for (var attempt = 0; attempt < 3; attempt++)   // the first fails to connect, later ones may find no healthy destination
        {
            var clock = Stopwatch.StartNew();
            var response = await client.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "mitreden-web", ["username"] = "a@example.org", ["password"] = "irrelevant-1234",
            }));

            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a stopped service is refused at once, not waited for");
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(UnavailableProblems.RetryAfterSeconds));
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            problem.GetProperty("status").GetInt32().Should().Be(503);
            problem.GetProperty("code").GetString().Should().Be("service-unavailable");
            problem.GetProperty("service").GetString().Should().Be("identity");
        }
    }
}
