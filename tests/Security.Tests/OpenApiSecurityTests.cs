using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Each service's OpenAPI document says how to authenticate and, per operation, whether a token is needed; checked
/// against the reviewed authorization table, so a document that lies about an endpoint fails here.
/// </summary>
public sealed class OpenApiSecurityTests
{
    public static TheoryData<string> Services()
    {
        var data = new TheoryData<string>();
        foreach (var service in OpenApi.Services)
        {
            data.Add(service);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task OpenApi_EachService_DeclaresTheBearerScheme(string service)
    {
        var operation = (await OpenApi.OperationsAsync()).First(o => o.Service == service);

        var scheme = operation.Document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        scheme.GetProperty("type").GetString().Should().Be("http");
        scheme.GetProperty("scheme").GetString().Should().Be("bearer");
        scheme.GetProperty("bearerFormat").GetString().Should().Be("JWT");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task OpenApi_EveryOperation_RequirementMatchesWhoMayCall(string service)
    {
        var wrong = new List<string>();
        var staffRequirements = 0;
        foreach (var operation in (await OpenApi.OperationsAsync()).Where(o => o.Service == service))
        {
            var rows = Endpoints.All.Where(e => e.Key == operation.Key).ToList();
            var anonymous = rows.Any(r => r.Allowed.Contains(Who.Anonymous) || r.AnonymousDenial != 401);
            var requirements = Requirements(operation);
            if (anonymous && requirements.Count != 0)
            {
                wrong.Add($"{operation.Key}: anonymous callers are allowed, but the document asks for {string.Join(",", requirements)}");
            }
            else if (!anonymous && requirements.Count != 1)
            {
                wrong.Add($"{operation.Key}: needs a token, but the document lists {requirements.Count} requirements");
            }
            if (requirements.Any(r => r.Contains("staff", StringComparison.Ordinal)))
            {
                staffRequirements++;
            }
        }

        wrong.Should().BeEmpty();
        if (service is "identity" or "proposals" or "voting")
        {
            staffRequirements.Should().BeGreaterThan(0, "{0} has staff operations, and the document names their policy", service);
        }
    }

    /// <summary>Each requirement as "Bearer:policy,policy".</summary>
    private static List<string> Requirements(Operation operation)
    {
        var path = operation.Document.GetProperty("paths").GetProperty(operation.Template).GetProperty(operation.Method.ToLowerInvariant());
        if (!path.TryGetProperty("security", out var security))
        {
            return [];
        }
        return security.EnumerateArray()
            .Select(r => string.Join(";", r.EnumerateObject().Select(s => s.Name + ":" + string.Join(",", s.Value.EnumerateArray().Select(p => p.GetString()))))).ToList();
    }
}
