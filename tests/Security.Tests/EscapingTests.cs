using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>Script and SQL in text fields are stored as text: the API returns them verbatim, the web page escapes them.</summary>
public sealed class EscapingTests
{
    private const string Payload = "<script>alert('xss')</script><img src=x onerror=alert(1)>'; DROP TABLE comments; --";

    [Fact]
    public async Task Comment_WithScriptAndSql_IsStoredVerbatim_AndRenderedEscaped()
    {
        var world = await World.GetAsync();
        var member = world.FuzzPool[^3];
        using var author = StackClient.Client(member.Token);
        var text = "Vorschlag " + Guid.NewGuid().ToString("N")[..8] + " " + Payload;

        var id = await StackClient.CommentAsync(author, world.SecondItemId, text);

        using var anonymous = StackClient.Client();
        var comment = (await StackClient.Json(await StackClient.GetAsync(anonymous, $"/api/comments/comments/{id}"), HttpStatusCode.OK)).GetProperty("comment");
        comment.GetProperty("text").GetString().Should().Be(text, "the API returns exactly what was written, as JSON text");
        var page = await (await StackClient.GetAsync(anonymous, $"/inhalte/{world.SecondItemId}")).Content.ReadAsStringAsync();
        page.Should().NotContain("<script>alert('xss')</script>", "the web page must escape user text");
        page.Should().NotContain("<img src=x onerror", "no attribute injection either");
        page.Should().Contain("&lt;script&gt;", "the text is shown, escaped");
        // Other comments still load: the SQL in the text was data, not a statement.
        (await StackClient.GetAsync(anonymous, $"/api/comments/items/{world.SecondItemId}/comments")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CitizenIdea_WithScript_IsStoredVerbatim_AndRenderedEscaped()
    {
        var world = await World.GetAsync();
        using var citizen = world.ClientFor(Who.OtherDistrict);
        var title = "Idee " + Guid.NewGuid().ToString("N")[..6] + " <script>alert(2)</script>";

        var idea = await StackClient.Json(await StackClient.PostJsonAsync(citizen, $"/api/proposals/processes/{world.ProcessId}/items",
            new { title, description = Payload }), HttpStatusCode.Created);

        var id = idea.GetProperty("id").GetGuid();
        using var anonymous = StackClient.Client();
        var stored = await StackClient.Json(await StackClient.GetAsync(anonymous, $"/api/proposals/items/{id}"), HttpStatusCode.OK);
        stored.GetProperty("title").GetString().Should().Be(title);
        stored.GetProperty("description").GetString().Should().Be(Payload);
        var page = await (await StackClient.GetAsync(anonymous, $"/inhalte/{id}")).Content.ReadAsStringAsync();
        page.Should().NotContain("<script>alert(2)</script>").And.NotContain("<script>alert('xss')</script>");
        page.Should().Contain("&lt;script&gt;");
    }
}
