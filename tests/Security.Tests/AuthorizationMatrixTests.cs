using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Every endpoint × every kind of caller, through the gateway: the allowed set (neither 401 nor 403) must be exactly the
/// one in <see cref="Endpoints.All"/>; anyone else gets 401 when anonymous and 403 when signed in. Never a 5xx.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    public static TheoryData<int> Rows()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Endpoints.All.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    private static readonly ConcurrentDictionary<Who, HttpClient> Clients = new();

    private static HttpClient ClientFor(World world, Who who) => Clients.GetOrAdd(who, w => world.ClientFor(w));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Endpoint_EachKindOfCaller_GetsExactlyTheExpectedDecision(int row)
    {
        var expectation = Endpoints.All[row];
        var world = await World.GetAsync();
        var operation = (await OpenApi.OperationsAsync()).SingleOrDefault(o => o.Key == expectation.Key);
        operation.Should().NotBeNull("{0} must be published in OpenAPI (see InventoryTests)", expectation.Key);
        var path = Endpoints.Resolve(expectation, world);

        // Denied callers first: an allowed call may change what the row points at (e.g. delete the comment).
        var callers = Endpoints.Everyone
            .Where(w => !(expectation.DenyOnly && expectation.Allowed.Contains(w)))
            .OrderBy(w => expectation.Allowed.Contains(w) ? 1 : 0);
        var wrong = new List<string>();
        foreach (var who in callers)
        {
            using var response = await StackClient.SendAsync(ClientFor(world, who), () => Request(expectation, operation!, path, world),
                HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "(event stream)" : await ReadSomeAsync(response);
            var allowed = expectation.Allowed.Contains(who);
            if (status >= 500)
            {
                wrong.Add($"{who}: {status} (a 5xx) {body}");
            }
            else if (allowed && status is 401 or 403)
            {
                wrong.Add($"{who}: expected to be allowed, got {status} {body}");
            }
            else if (!allowed)
            {
                var denial = who == Who.Anonymous ? expectation.AnonymousDenial : 403;
                if (status != denial)
                {
                    wrong.Add($"{who}: expected {denial}, got {status} {body}");
                }
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    wrong.Add($"{who}: {status} without a ProblemDetails body ({response.Content.Headers.ContentType})");
                }
            }
        }

        wrong.Should().BeEmpty("{0} {1} ({2})", expectation.Method, path, expectation);
    }

    internal static HttpRequestMessage Request(Expectation expectation, Operation operation, string path, World world)
    {
        var request = new HttpRequestMessage(new HttpMethod(expectation.Method), path);
        if (expectation.Body is { } body)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body(world));
        }
        else if (operation.BodyContentType == "text/csv")
        {
            // The declared content type, so routing does not answer 415 before the authorization decision.
            request.Content = new StringContent("kind;title\r\n", Encoding.UTF8, "text/csv");
        }
        else if (operation.HasBody)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
