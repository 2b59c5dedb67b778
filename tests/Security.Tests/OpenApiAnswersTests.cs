using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Each service's OpenAPI document lists the real answers of its endpoints (typed results and problem metadata), and
/// every documented refusal is a ProblemDetails: a client generated from the document knows what comes back.
/// </summary>
public sealed class OpenApiAnswersTests
{
    [Fact]
    public async Task OpenApi_CastVote_ListsAcceptedAndEveryRefusal()
    {
        var vote = (await OpenApi.OperationsAsync()).Single(o => o.Key == "POST /api/voting/ballots/{id}/votes");

        var responses = Responses(vote);

        responses.Keys.Should().Contain(["202", "400", "401", "403", "404", "409", "422", "503"]);
        responses["202"].GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString().Should().Contain("VoteReceipt");
        foreach (var status in new[] { "400", "404", "409", "422" })
        {
            responses[status].GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue(status);
        }
    }

    [Fact]
    public async Task OpenApi_EveryService_DocumentsRefusalsAsProblemDetails()
    {
        var operations = await OpenApi.OperationsAsync();
        var wrong = new List<string>();

        foreach (var operation in operations)
        {
            foreach (var (status, response) in Responses(operation).Where(r => r.Key.StartsWith('4')))
            {
                if (response.TryGetProperty("content", out var content) && !content.TryGetProperty("application/problem+json", out _))
                {
                    wrong.Add($"{operation.Key} {status}");
                }
            }
        }

        OpenApi.Services.Should().OnlyContain(s => operations.Any(o => o.Service == s), "every service serves its document");
        wrong.Should().BeEmpty("a documented refusal is RFC 9457 ProblemDetails");
    }

    private static Dictionary<string, JsonElement> Responses(Operation operation)
    {
        var path = operation.Template;
        var node = operation.Document.GetProperty("paths").GetProperty(path).GetProperty(operation.Method.ToLowerInvariant());
        return node.TryGetProperty("responses", out var responses)
            ? responses.EnumerateObject().ToDictionary(r => r.Name, r => r.Value)
            : [];
    }
}
