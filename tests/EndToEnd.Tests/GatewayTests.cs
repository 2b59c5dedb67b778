using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

public sealed class GatewayTests
{
    public static TheoryData<string> Services => new() { "identity", "proposals", "comments", "voting", "moderation" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task OpenApi_EachService_IsRoutedThroughTheGateway(string service)
    {
        using var client = StackClient.Client();

        var response = await client.GetAsync($"/api/{service}/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        document.RootElement.GetProperty("openapi").GetString().Should().StartWith("3.");
        document.RootElement.GetProperty("info").GetProperty("title").GetString()!.ToLowerInvariant().Should().Contain(
            service, because: "the document must come from the {0} service itself", service);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Docs_EachService_ReferencePageAndItsDocumentThroughTheGateway(string service)
    {
        // The test stack enables the docs (Docs__Enabled=true); Gateway.Tests shows the 404 where they are not.
        using var client = StackClient.Client();

        var page = await client.GetAsync($"/api/{service}/docs/");
        var html = await page.Content.ReadAsStringAsync();
        var document = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "../openapi/v1.json"));

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("\"url\":\"../openapi/v1.json\"", "the page loads the document relative to itself, behind the gateway's prefix");
        document.StatusCode.Should().Be(HttpStatusCode.OK);
        document.RequestMessage!.RequestUri!.AbsolutePath.Should().Be($"/api/{service}/openapi/v1.json");
    }

    [Fact]
    public async Task Root_WebFrontEnd_IsServedInGerman()
    {
        using var client = StackClient.Client();

        var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("lang=\"de\"");
    }

    [Fact]
    public async Task Health_Gateway_ReportsReady()
    {
        using var client = StackClient.Client();

        var response = await client.GetAsync("/health/ready");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("destinations");
    }

    [Theory]
    [InlineData("POST", "/api/voting/ballots/55555555-0000-0000-0000-000000000001/votes")]
    [InlineData("POST", "/api/proposals/processes")]
    [InlineData("POST", "/api/comments/items/44444444-0000-0000-0000-000000050001/comments")]
    [InlineData("GET", "/api/moderation/queue")]
    [InlineData("GET", "/api/identity/admin/letter-code-batches")]
    [InlineData("GET", "/api/identity/account/me")]
    public async Task ProtectedRoute_WithoutToken_Is401ProblemDetails(string method, string path)
    {
        using var client = StackClient.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task ProtectedRoute_WithForgedToken_Is401()
    {
        using var client = StackClient.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new TestIssuer().Token(Guid.NewGuid(), "mitreden-gateway", ["admin"]));

        var response = await client.GetAsync("/api/moderation/queue");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a token signed by a key Identity never published is forged");
    }

    [Fact]
    public async Task ModeratorRoute_WithCitizenToken_Is403()
    {
        var (client, _, _) = await Arrange.NewCitizenAsync();
        using var _client = client;

        var response = await client.GetAsync("/api/moderation/queue");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnonymousBurst_FromOneAddress_Gets429WithRetryAfter()
    {
        using var client = StackClient.Client(address: StackClient.RandomAddress());

        var statuses = await Task.WhenAll(Enumerable.Range(0, 400).Select(async _ =>
        {
            using var response = await client.GetAsync("/api/proposals/openapi/v1.json");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter);
        }));

        statuses.Should().Contain(s => s.StatusCode == HttpStatusCode.OK);
        var limited = statuses.Where(s => s.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.Should().NotBeEmpty("400 requests at once exceed the anonymous burst of 200");
        limited.Should().OnlyContain(s => s.RetryAfter != null && s.RetryAfter.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Burst_FromOtherAddress_IsNotThrottledByTheFirst()
    {
        using var first = StackClient.Client(address: StackClient.RandomAddress());
        await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => first.GetAsync("/api/voting/noop")));
        using var second = StackClient.Client(address: StackClient.RandomAddress());

        var response = await second.GetAsync("/api/voting/noop");

        response.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task MalformedJson_OnRealEndpoint_Is400ProblemDetails()
    {
        using var client = StackClient.Client();

        var response = await client.PostAsync("/api/identity/account/register",
            new StringContent("{\"email\": \"a@b.de\", \"password\": ", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task OversizeBody_OnRealEndpoint_Is413ProblemDetails()
    {
        using var client = StackClient.Client();
        var huge = "{\"email\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/account/register")
        {
            Content = new StringContent(huge, Encoding.UTF8, "application/json"),
        };
        // Expect: 100-continue, so the client waits for the gateway's verdict on the declared length instead of
        // writing 2 MB into a connection the gateway closes after its 413 (a broken pipe instead of the answer).
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task OversizeChunkedBody_WithoutLength_IsRefusedNot5xx()
    {
        // Raw TCP: the gateway answers 413 and closes while the client is still sending. HttpClient then
        // reports the broken pipe of its write instead of the answer, so read the answer while writing.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(TestEnvironment.Gateway.Host, TestEnvironment.Gateway.Port);
        var stream = tcp.GetStream();
        var head = "POST /api/identity/account/register HTTP/1.1\r\n" +
                   $"Host: {TestEnvironment.Gateway.Authority}\r\n" +
                   $"X-Forwarded-For: {StackClient.RandomAddress()}\r\n" +
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = ReadStatusLineAsync(stream);

        var chunk = new byte[64 * 1024];
        var chunkHead = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        var crlf = "\r\n"u8.ToArray();
        try
        {
            for (var sent = 0; sent < 3 * 1024 * 1024 && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(chunkHead);
                await stream.WriteAsync(chunk);
                await stream.WriteAsync(crlf);
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // the gateway stopped reading: expected once it has answered
        }

        var statusLine = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        statusLine.Should().StartWith("HTTP/1.1 4", because: "an oversize body is a client mistake, never a 5xx");
    }

    private static async Task<string> ReadStatusLineAsync(Stream stream)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var all = text.ToString();
        return all.Contains("\r\n") ? all[..all.IndexOf("\r\n", StringComparison.Ordinal)] : all;
    }

    [Fact]
    public async Task CorrelationId_FromClient_IsEchoedAndReachesTheServiceLog()
    {
        using var client = StackClient.Client();
        var correlationId = "e2e-" + Guid.NewGuid().ToString("N");
        client.DefaultRequestHeaders.Add("X-Correlation-Id", correlationId);

        var response = await client.PostAsync("/api/identity/account/register",
            new StringContent("not json", Encoding.UTF8, "application/json"));

        response.Headers.GetValues("X-Correlation-Id").Should().ContainSingle().Which.Should().Be(correlationId);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("correlationId").GetString().Should().Be(correlationId);
        if (TestEnvironment.StackLogs is { } logs)
        {
            await Eventually.AssertAsync(async () =>
            {
                var log = await File.ReadAllTextAsync(Path.Combine(logs, "identity.log"));
                log.Should().Contain(correlationId);
            }, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        using var client = StackClient.Client();

        var response = await client.GetAsync("/api/voting/noop");

        response.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Contain("DENY");
        response.Headers.Contains("Referrer-Policy").Should().BeTrue();
        response.Headers.Contains("Server").Should().BeFalse();
    }
}
