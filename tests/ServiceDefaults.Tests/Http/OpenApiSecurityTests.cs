using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mitreden.ServiceDefaults.Tests.Http;

/// <summary>The OpenAPI document's security (bearer scheme, requirement per operation) and the API reference page.</summary>
public sealed class OpenApiSecurityTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(bool docs)
    {
        var app = HttpDefaultsTests.BuildApp(new Dictionary<string, string?> { ["Docs:Enabled"] = docs ? "true" : "false" });
        app.MapDefaultEndpoints();
        app.MapGet("/public", () => "for everyone").AllowAnonymous();
        app.MapGet("/staff-only", () => "for staff").RequireAuthorization("staff");
        app.MapGet("/signed-in", () => "for any signed-in caller");
        var group = app.MapGroup("/moderation").RequireAuthorization("moderator");
        group.MapGet("/queue", () => "queue");
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(HttpDefaultsTests.Address(app)) });
    }

    private static async Task<JsonElement> DocumentAsync()
    {
        var (app, client) = await StartAsync(docs: false);
        await using (app)
        using (client)
        {
            var response = await client.GetAsync("/openapi/v1.json");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
    }

    private static JsonElement? Security(JsonElement document, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty("get").TryGetProperty("security", out var security) ? security : null;

    [Fact]
    public async Task OpenApi_Document_DeclaresTheBearerScheme()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("type").GetString().Should().Be("http");
        scheme.GetProperty("scheme").GetString().Should().Be("bearer");
        scheme.GetProperty("bearerFormat").GetString().Should().Be("JWT");
    }

    [Fact]
    public async Task OpenApi_AnonymousOperation_HasNoRequirement()
    {
        var document = await DocumentAsync();

        Security(document, "/public").Should().BeNull();
    }

    [Theory]
    [InlineData("/staff-only", "staff")]
    [InlineData("/moderation/queue", "moderator")]
    public async Task OpenApi_PolicyOperation_RequiresBearerWithItsPolicy(string path, string policy)
    {
        var document = await DocumentAsync();

        var security = Security(document, path);
        security.Should().NotBeNull();
        var requirement = security!.Value.EnumerateArray().Should().ContainSingle().Subject;
        requirement.GetProperty("Bearer").EnumerateArray().Select(p => p.GetString()).Should().Equal(policy);
    }

    [Fact]
    public async Task OpenApi_OperationWithoutMetadata_RequiresAnySignedInCaller()
    {
        var document = await DocumentAsync();

        var requirement = Security(document, "/signed-in")!.Value.EnumerateArray().Should().ContainSingle().Subject;
        requirement.GetProperty("Bearer").GetArrayLength().Should().Be(0, "the fallback policy asks for a token, no particular role");
    }

    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.NotFound)]
    public async Task Docs_Page_OnlyWhenEnabled(bool enabled, HttpStatusCode expected)
    {
        var (app, client) = await StartAsync(enabled);
        await using (app)
        using (client)
        {
            var response = await client.GetAsync("/docs/");

            response.StatusCode.Should().Be(expected);
            if (enabled)
            {
                var html = await response.Content.ReadAsStringAsync();
                html.Should().Contain("openapi/v1.json", "the page loads the service's own document");
            }
        }
    }
}
