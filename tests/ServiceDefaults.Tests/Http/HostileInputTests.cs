using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.ServiceDefaults.Tests.Http;

public sealed record TextRequest(string Title, List<string> Tags, string? Note = null);

/// <summary>Control characters, form limits and early answers with an unread body, on a real Kestrel server.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _reached;

    public async Task InitializeAsync()
    {
        _app = HttpDefaultsTests.BuildApp(new Dictionary<string, string?>());
        _app.MapDefaultEndpoints();
        _app.MapPost("/texts", (TextRequest request) =>
        {
            Interlocked.Increment(ref _reached);
            return TypedResults.Ok(request);
        }).AllowAnonymous();
        _app.MapGet("/search", (string? q) =>
        {
            Interlocked.Increment(ref _reached);
            return TypedResults.Ok(q);
        }).AllowAnonymous();
        _app.MapGet("/districts/{slug}", (string slug) =>
        {
            Interlocked.Increment(ref _reached);
            return TypedResults.Ok(slug);
        }).AllowAnonymous();
        _app.MapPost("/form", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _reached);
            var form = await context.Request.ReadFormAsync();
            return TypedResults.Ok(form.Count);
        }).AllowAnonymous().DisableAntiforgery();
        _app.MapPost("/closed", () => "only for signed-in callers");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(HttpDefaultsTests.Address(_app)) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task ShouldName(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, text);
        var problem = await ProblemOf(response);
        // Error keys are camel-cased like every ProblemDetails of ours ("Q" is listed as "q"); the detail quotes it as sent.
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(n => string.Equals(n, field, StringComparison.OrdinalIgnoreCase),
            "the problem names the field {0}: {1}", field, problem);
        problem.GetProperty("detail").GetString().Should().Contain($"'{field}'");
        problem.GetProperty("code").GetString().Should().Be(ControlCharacters.Code);
    }

    private Task<HttpResponseMessage> PostJson(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0007")]
    [InlineData("\\u001b")]
    [InlineData("\\u007f")]
    [InlineData("\\u0085")]
    public async Task Post_ControlCharacterInJsonString_Is422NamingTheField(string escaped)
    {
        var response = await PostJson("/texts", "{\"title\":\"Radweg" + escaped + "\",\"tags\":[]}");

        await ShouldName(response, "title");
        _reached.Should().Be(0);
    }

    [Fact]
    public async Task Post_NulInListItem_Is422NamingTheItem()
    {
        var response = await PostJson("/texts", "{\"title\":\"Radweg\",\"tags\":[\"ok\",\"a\\u0000b\"]}");

        await ShouldName(response, "tags[1]");
    }

    [Fact]
    public async Task Post_TabAndLineBreaks_Accepted()
    {
        var response = await PostJson("/texts", "{\"title\":\"Radweg\",\"tags\":[],\"note\":\"Zeile 1\\r\\nZeile 2\\tEnde\"}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Zeile 1\\r\\nZeile 2\\tEnde");
    }

    [Fact]
    public async Task Get_NulInQuery_Is422NamingTheParameter()
    {
        var response = await _client.GetAsync("/search?Q=a%00b");

        await ShouldName(response, "Q");
        _reached.Should().Be(0);
    }

    [Fact]
    public async Task Get_NewlineInQuery_Accepted()
    {
        var response = await _client.GetAsync("/search?q=a%0Ab");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_ControlCharacterInRouteValue_Is4xxAndNeverReachesTheEndpoint()
    {
        var response = await _client.GetAsync("/districts/mitte%01nord");

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        _reached.Should().Be(0);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            await ShouldName(response, "slug");
        }
    }

    [Fact]
    public async Task Post_NulInFormField_Is422NamingTheField()
    {
        var response = await _client.PostAsync("/form", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "a\0b@example.org",
        }));

        await ShouldName(response, "username");
        _reached.Should().Be(0);
    }

    [Fact]
    public async Task Post_TwentyThousandFormFields_Is400ProblemDetails()
    {
        var body = string.Join('&', Enumerable.Range(0, 20_000).Select(i => $"f{i}=x"));

        var response = await _client.PostAsync("/form", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProblemOf(response)).GetProperty("status").GetInt32().Should().Be(400);
    }

    [Fact]
    public async Task Post_FormKeyOverTheLengthLimit_Is413ProblemDetails()
    {
        var body = new string('k', 5000) + "=x";

        var response = await _client.PostAsync("/form", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        await ProblemOf(response);
    }

    /// <summary>
    /// 401 before the 3 MB body was read (over the service's own 1 MB limit, as an import through the gateway can be):
    /// the sender can write the whole body, reads the 401, and the connection stays usable for the next request —
    /// which is what the gateway needs to forward the answer instead of a 502.
    /// </summary>
    [Fact]
    public async Task Post_EarlyAnswerWithLargeUnreadBody_ConnectionStaysUsable()
    {
        var address = new Uri(HttpDefaultsTests.Address(_app));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var body = new byte[3 * 1024 * 1024];
        Array.Fill(body, (byte)'x');
        var head = Encoding.ASCII.GetBytes($"POST /closed HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: text/csv\r\nContent-Length: {body.Length}\r\n\r\n");

        var send = Task.Run(async () =>
        {
            await stream.WriteAsync(head);
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)));
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health/live HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n"));
        });
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!received.ToString().Contains("Healthy", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await send;
        var text = received.ToString();
        text.Should().StartWith("HTTP/1.1 401");
        text.Should().NotContain("Connection: close");
        text.Should().Contain("Healthy", "the second request on the same connection was answered");
    }
}
