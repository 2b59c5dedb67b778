using System.Net;
using System.Text.Json;
using Mitreden.TestKit;

namespace Mitreden.Security.Tests;

/// <summary>One operation of a service's OpenAPI document, as the gateway exposes it.</summary>
public sealed record Operation(string Service, string Method, string Template, bool HasBody, string? BodyContentType,
    IReadOnlyList<(string Name, string In, string? Type)> Parameters, JsonElement? BodySchema, JsonElement Document)
{
    public string Key => $"{Method} /api/{Service}{Template}";
}

/// <summary>The services' OpenAPI documents, read through the gateway once per test run.</summary>
public static class OpenApi
{
    public static readonly string[] Services = ["identity", "proposals", "comments", "voting", "moderation"];

    private static readonly Lazy<Task<IReadOnlyList<Operation>>> Shared = new(LoadAsync);

    public static Task<IReadOnlyList<Operation>> OperationsAsync() => Shared.Value;

    private static async Task<IReadOnlyList<Operation>> LoadAsync()
    {
        var operations = new List<Operation>();
        using var client = StackClient.Client();
        foreach (var service in Services)
        {
            var document = await StackClient.Json(await StackClient.GetAsync(client, $"/api/{service}/openapi/v1.json"), HttpStatusCode.OK);
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var op in path.Value.EnumerateObject())
                {
                    if (op.Name is not ("get" or "post" or "put" or "delete" or "patch"))
                    {
                        continue;
                    }
                    var parameters = op.Value.TryGetProperty("parameters", out var ps)
                        ? ps.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                            p.TryGetProperty("schema", out var schema) ? TypeOf(document, schema) : null)).ToList()
                        : [];
                    string? contentType = null;
                    JsonElement? bodySchema = null;
                    if (op.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
                    {
                        var first = content.EnumerateObject().First();
                        contentType = first.Name;
                        if (first.Value.TryGetProperty("schema", out var s))
                        {
                            bodySchema = s;
                        }
                    }
                    operations.Add(new Operation(service, op.Name.ToUpperInvariant(), path.Name, contentType is not null, contentType,
                        parameters, bodySchema, document));
                }
            }
        }
        return operations;
    }

    /// <summary>Follows a $ref inside the document.</summary>
    public static JsonElement Deref(JsonElement document, JsonElement schema)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); i++)
        {
            var node = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }
            schema = node;
        }
        return schema;
    }

    /// <summary>"string", "integer", "number", "boolean", "array", "object" or null; nullable unions give their non-null type.</summary>
    public static string? TypeOf(JsonElement document, JsonElement schema)
    {
        schema = Deref(document, schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (schema.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
                : type.GetString();
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    if (TypeOf(document, option) is { } t && t != "null")
                    {
                        return t;
                    }
                }
            }
        }
        return schema.TryGetProperty("properties", out _) ? "object" : null;
    }
}
