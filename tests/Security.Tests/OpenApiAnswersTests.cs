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

    /// <summary>Identity's administration, residency and audit answers and Moderation's, as their typed results and problem metadata say.</summary>
    public static TheoryData<string, string, string[]> AdministrationOperations() => new()
    {
        { "PUT /api/identity/admin/users/{id}/roles/{role}", "RolesView", ["401", "403", "404"] },
        { "DELETE /api/identity/admin/users/{id}/roles/{role}", "RolesView", ["401", "403", "404", "409"] },
        { "POST /api/identity/admin/users/{id}/block", "BlockResponse", ["400", "401", "403", "404", "422"] },
        { "GET /api/identity/admin/users", "UsersPage", ["401", "403", "422"] },
        { "GET /api/identity/admin/blocks", "BlockedUsersPage", ["401", "403", "422"] },
        { "POST /api/identity/admin/letter-code-batches", "text/csv", ["400", "401", "403", "422", "503"] },
        { "POST /api/identity/admin/voting-code-groups", "text/csv", ["400", "401", "403", "422"] },
        { "POST /api/identity/verification/letter-codes/redeem", "RedeemResponse", ["400", "401", "403", "404", "409", "422", "429"] },
        { "GET /api/identity/admin/audit", "AuditEntryView", ["400", "401", "403", "422"] },
        { "POST /api/moderation/queue/{commentId}/decision", "DecisionResponse", ["400", "401", "403", "404", "409", "422"] },
        { "GET /api/moderation/queue", "QueuePage", ["400", "401", "403", "422"] },
        { "GET /api/moderation/comments/{commentId}", "CommentView", ["401", "403", "404"] },
        { "PUT /api/moderation/screening-rules", "ScreeningRulesView", ["400", "401", "403", "422"] },
        { "DELETE /api/moderation/screening-rules", "", ["401", "403", "404"] },
        { "GET /api/moderation/audit/entries", "AuditPage", ["400", "401", "403", "422"] },
    };

    [Theory]
    [MemberData(nameof(AdministrationOperations))]
    public async Task OpenApi_IdentityAndModeration_ListSuccessAndEveryRefusalAsProblem(string key, string successSchema, string[] refusals)
    {
        var operation = (await OpenApi.OperationsAsync()).Single(o => o.Key.TrimEnd('/') == key);

        var responses = Responses(operation);

        responses.Keys.Should().Contain(refusals);
        var success = responses.Keys.Where(k => k.StartsWith('2')).Should().ContainSingle().Subject;
        if (successSchema == "text/csv")
        {
            responses[success].GetProperty("content").TryGetProperty("text/csv", out _).Should().BeTrue($"{key} answers its codes as CSV");
        }
        else if (successSchema.Length > 0)
        {
            responses[success].GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString().Should().Contain(successSchema);
        }
        foreach (var status in refusals)
        {
            responses[status].GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue($"{key} {status}");
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
