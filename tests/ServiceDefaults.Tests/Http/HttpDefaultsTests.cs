using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Data;
using Mitreden.ServiceDefaults.Tests.Messaging;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Http;

public enum Colour { Red, DarkBlue }

public sealed record EchoRequest(string Name, int Count, Colour Colour, string? Note = null, DateTimeOffset? At = null);

/// <summary>The shared HTTP behaviour of every service, on a real Kestrel server.</summary>
public sealed class HttpDefaultsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = BuildApp(new Dictionary<string, string?>());
        _app.MapDefaultEndpoints();
        _app.MapPost("/echo", (EchoRequest request) => TypedResults.Ok(request)).AllowAnonymous();
        _app.MapGet("/boom", string () => throw new InvalidOperationException("secret internal detail")).AllowAnonymous();
        _app.MapGet("/closed", () => "only for signed-in callers");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(Address(_app)) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A service with the defaults on a free loopback port; <paramref name="configure"/> adds the rest.</summary>
    internal static WebApplication BuildApp(Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestIssuer.Issuer,
            ["Auth:Audience"] = "mitreden-test",
            ["Auth:MetadataAddress"] = "http://127.0.0.1:9/.well-known/openid-configuration",
        }.Concat(settings).ToDictionary(kv => kv.Key, kv => kv.Value));
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        return builder.Build();
    }

    internal static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private Task<HttpResponseMessage> PostJson(string json) =>
        _client.PostAsync("/echo", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Post_ValidJson_RoundTripsWithKebabCaseEnums()
    {
        var response = await PostJson("""{"name":"Lünen","count":3,"colour":"dark-blue"}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("colour").GetString().Should().Be("dark-blue");
    }

    [Fact]
    public async Task Post_TimeWithOffset_IsReadAsUtc()
    {
        var response = await PostJson("""{"name":"a","count":1,"colour":"red","at":"2026-11-21T18:00:00+01:00"}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var at = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("at").GetString();
        at.Should().Be("2026-11-21T17:00:00+00:00");
    }

    [Theory]
    [InlineData("""{"name":"a","count":""", "truncated")]
    [InlineData("""{"name":"a","count":"three","colour":"red"}""", "wrong type")]
    [InlineData("""{"name":"a","count":1,"colour":"purple"}""", "unknown enum value")]
    [InlineData("""{"name":"a","count":1,"colour":"red","isAdmin":true}""", "unknown field")]
    [InlineData("""{"count":1,"colour":"red"}""", "missing required field")]
    [InlineData("""{"name":null,"count":1,"colour":"red"}""", "null for a non-nullable field")]
    [InlineData("""{"name":"a","count":99999999999,"colour":"red"}""", "number overflow")]
    [InlineData("""[1,2,3]""", "array instead of object")]
    public async Task Post_BadJson_Is400ProblemDetails(string json, string why)
    {
        var response = await PostJson(json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, why);
        var problem = await ProblemOf(response);
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("correlationId").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Post_InvalidUtf8_Is400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"name":"X","count":1,"colour":"red"}""");
        bytes[10] = 0xC3; // a lead byte followed by ASCII: invalid UTF-8
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var response = await _client.PostAsync("/echo", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_WrongContentType_Is415ProblemDetails()
    {
        var response = await _client.PostAsync("/echo", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(415);
    }

    [Fact]
    public async Task Post_OversizeBody_Is413ProblemDetails()
    {
        var json = "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"count\":1,\"colour\":\"red\"}";

        var response = await PostJson(json);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(413);
    }

    [Fact]
    public async Task Post_OversizeChunkedBody_Is413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(
            "{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"count\":1,\"colour\":\"red\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Get_UnknownRoute_Is404ProblemDetails()
    {
        var response = await _client.GetAsync("/does-not-exist");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(404);
    }

    [Fact]
    public async Task Delete_OnPostOnlyRoute_Is405ProblemDetails()
    {
        var response = await _client.DeleteAsync("/echo");

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(405);
    }

    [Fact]
    public async Task Get_EndpointThatThrows_Is500WithoutInternals()
    {
        var response = await _client.GetAsync("/boom");

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("secret internal detail").And.NotContain("InvalidOperationException");
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(500);
    }

    [Fact]
    public async Task Get_EndpointWithoutPolicy_IsClosedToAnonymousCallers()
    {
        var response = await _client.GetAsync("/closed");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the fallback policy requires a signed-in caller");
    }

    [Fact]
    public async Task CorrelationId_WellFormed_IsEchoed_Malformed_IsReplaced()
    {
        using var good = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        good.Headers.Add("X-Correlation-Id", "abc-123");
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        bad.Headers.Add("X-Correlation-Id", "<script>alert(1)</script>");

        var goodResponse = await _client.SendAsync(good);
        var badResponse = await _client.SendAsync(bad);

        goodResponse.Headers.GetValues("X-Correlation-Id").Single().Should().Be("abc-123");
        badResponse.Headers.GetValues("X-Correlation-Id").Single().Should().NotContain("<").And.NotBeEmpty();
    }

    [Fact]
    public async Task OpenApi_Document_IsServedAnonymously()
    {
        var response = await _client.GetAsync("/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("/echo");
    }

    [Theory]
    [InlineData("ConnectionStrings:rabbitmq")]
    [InlineData("ConnectionStrings:postgres")]
    [InlineData("ConnectionStrings:redis")]
    public void Start_MissingRequiredValue_FailsNamingTheKey(string key)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestIssuer.Issuer,
            ["Auth:Audience"] = "mitreden-test",
            ["Auth:MetadataAddress"] = "http://127.0.0.1:9/.well-known/openid-configuration",
            ["ConnectionStrings:rabbitmq"] = "amqp://u:p@127.0.0.1:1/v",
            ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Database=x",
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            [key] = null,
        });
        builder.AddServiceDefaults();

        var act = () =>
        {
            builder.AddMitredenDatabase<ProbeDb>();
            builder.AddMitredenRedis();
            builder.AddMitredenBus();
        };

        act.Should().Throw<InvalidOperationException>().WithMessage($"*{key}*");
    }
}

/// <summary>Readiness checks the real PostgreSQL, Redis and RabbitMQ, and says which one is missing.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("ready");
        _vhost = await TestVirtualHost.CreateAsync("ready");
    }

    public async Task DisposeAsync()
    {
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyWith(string redis)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestIssuer.Issuer,
            ["Auth:Audience"] = "mitreden-test",
            ["Auth:MetadataAddress"] = "http://127.0.0.1:9/.well-known/openid-configuration",
            ["ConnectionStrings:postgres"] = _database.ConnectionString,
            ["ConnectionStrings:redis"] = redis,
            ["ConnectionStrings:rabbitmq"] = _vhost.AmqpUri,
        });
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders();
        builder.AddMitredenDatabase<ProbeDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus();
        var service = builder.Build();
        service.MapDefaultEndpoints();
        await service.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(HttpDefaultsTests.Address(service)) };
            var response = await Eventually.ValueAsync(
                () => client.GetAsync("/health/ready"),
                r => r.StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(15));
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        finally
        {
            // Stopped, not disposed: see OutboxTests about MassTransit and disposed providers.
            await service.StopAsync();
        }
    }

    [Fact]
    public async Task Ready_AllServersUp_IsHealthyWithEachCheckListed()
    {
        var (status, body) = await ReadyWith(TestEnvironment.Redis);

        status.Should().Be(HttpStatusCode.OK);
        var checks = body.GetProperty("checks");
        checks.GetProperty("postgres").GetProperty("status").GetString().Should().Be("Healthy");
        checks.GetProperty("redis").GetProperty("status").GetString().Should().Be("Healthy");
        checks.EnumerateObject().Should().Contain(c => c.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ready_RedisDown_Is503NamingRedis()
    {
        var (status, body) = await ReadyWith("127.0.0.1:1");

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString().Should().Be("Unhealthy");
    }
}
