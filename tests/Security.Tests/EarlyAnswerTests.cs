using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// A body of a few MB (under the gateway's 10 MB import limit, over the service's own 1 MB) to a route the service
/// answers before reading it: the caller must get the service's 4xx, never the gateway's 502 (which came when the
/// service closed the connection while the gateway was still sending).
/// </summary>
public sealed class EarlyAnswerTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "citizen, not staff", 403 },
        { "unknown process", 404 },
        { "wrong content type", 415 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Import_LargeBodyAnsweredEarly_IsTheServicesAnswerNever502(string scenario, int expected)
    {
        var world = await World.GetAsync();
        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var size = (2 + i % 3) * 1024 * 1024;   // 2, 3 and 4 MB
            using var client = world.ClientFor(scenario == "citizen, not staff" ? Who.Citizen : Who.Admin);
            using var response = await StackClient.SendAsync(client, () =>
            {
                var process = scenario == "unknown process" ? Guid.NewGuid() : world.ProcessId;
                var content = new ByteArrayContent(CsvOf(size));
                content.Headers.ContentType = new MediaTypeHeaderValue(scenario == "wrong content type" ? "application/octet-stream" : "text/csv");
                return new HttpRequestMessage(HttpMethod.Post, $"/api/proposals/processes/{process}/items/import") { Content = content };
            });
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode != HttpStatusCode.BadGateway)
            {
                response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
            }
        }

        statuses.Should().AllBeEquivalentTo(expected, "{0}: every answer is the service's own, none a 502 ({1})", scenario, string.Join(",", statuses));
    }

    private static byte[] CsvOf(int size)
    {
        var bytes = new byte[size];
        var line = "measure;Radweg am Fluss;Beschreibung\r\n"u8;
        for (var i = 0; i + line.Length <= size; i += line.Length)
        {
            line.CopyTo(bytes.AsSpan(i));
        }
        return bytes;
    }
}
