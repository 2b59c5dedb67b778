using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

/// <summary>Calls of the Comments API with the service's own JSON settings (kebab-case enums, strict members).</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        HttpDefaults.ConfigureJson(options);
        return options;
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        await response.ShouldHaveAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Json))!;

    public static async Task ShouldHaveAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(status, "the response body was: {0}", body);
        }
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PutAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PostCommentAsync(this HttpClient client, Guid itemId, string text,
        string stance = "neutral", Guid? parentId = null) =>
        client.PostAsJsonAsync($"/items/{itemId}/comments", new { text, stance, parentId }, Json);

    public static async Task<CommentView> PostCommentOkAsync(this HttpClient client, Guid itemId, string text,
        string stance = "neutral", Guid? parentId = null)
    {
        var response = await client.PostCommentAsync(itemId, text, stance, parentId);
        await response.ShouldHaveAsync(HttpStatusCode.Created);
        return await response.ReadAsync<CommentView>();
    }

    public static async Task<string?> CodeAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync();
        return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
    }
}
