using System.Net;
using System.Net.Http.Json;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class PolicyTests(ModerationFixture fx)
{
    public static TheoryData<string, string, string> Endpoints => new()
    {
        // method, path, least role that may call it
        { "GET", "/queue", "moderator" },
        { "GET", $"/processes/{Guid.NewGuid()}/queue", "moderator" },
        { "GET", $"/comments/{Guid.NewGuid()}", "moderator" },
        { "POST", $"/queue/{Guid.NewGuid()}/decision", "moderator" },
        { "POST", $"/comments/{Guid.NewGuid()}/decisions", "moderator" },
        { "GET", "/metrics/summary", "moderator" },
        { "GET", "/screening-rules", "moderator" },
        { "GET", "/audit/entries", "moderator" },
        { "GET", "/audit", "staff" },
        { "PUT", "/screening-rules", "staff" },
        { "DELETE", "/screening-rules", "staff" },
        { "PUT", $"/processes/{Guid.NewGuid()}/screening-rules", "staff" },
        { "DELETE", $"/processes/{Guid.NewGuid()}/screening-rules", "staff" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_CalledBelowItsPolicy_IsRefused(string method, string path, string role)
    {
        (await SendAsync(fx.Factory.Anonymous(), method, path)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(fx.Factory.Citizen(out _), method, path)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        if (role == "staff")
        {
            (await SendAsync(fx.Factory.Moderator(), method, path)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheModerationEndpoints()
    {
        var document = await fx.Factory.Anonymous().GetStringAsync("/openapi/v1.json");

        document.Should().Contain("/queue/{commentId}/decision").And.Contain("/metrics/summary").And.Contain("/audit");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
        });
}
