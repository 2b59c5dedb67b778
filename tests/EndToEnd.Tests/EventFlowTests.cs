using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>
/// Events crossing service boundaries for real: written to a producer's outbox, dispatched to RabbitMQ, consumed
/// by another service process. Everything goes through the gateway, as a city's staff and citizens would.
/// </summary>
public sealed class EventFlowTests
{
    private static async Task<HttpClient> AdminAsync()
    {
        var client = StackClient.Create();
        var email = Environment.GetEnvironmentVariable("MITREDEN_ADMIN_EMAIL")
            ?? throw new InvalidOperationException("MITREDEN_ADMIN_EMAIL is not set; run through ./mitreden test.");
        var token = await StackClient.PasswordGrantAsync(client, email, Environment.GetEnvironmentVariable("MITREDEN_ADMIN_PASSWORD")!);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A published process with a running participation phase (commenting on) and one measure.</summary>
    private static async Task<(Guid ProcessId, Guid ItemId)> OpenProcessWithMeasureAsync(HttpClient staff)
    {
        var process = await Json(await staff.PostAsJsonAsync("/api/proposals/processes",
            new { title = "E2E Klimaplan " + Guid.NewGuid().ToString("N")[..6], city = "Teststadt", description = "Ende-zu-Ende-Test" }),
            HttpStatusCode.Created);
        var processId = process.GetProperty("id").GetGuid();
        await Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/phases", new
        {
            title = "Online-Beteiligung",
            kind = "online-participation",
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            endsAt = DateTimeOffset.UtcNow.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created);
        var item = await Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/items",
            new { title = "Radweg an der Lippe", description = "Ein durchgehender Radweg.", kind = "measure" }), HttpStatusCode.Created);
        (await staff.PostAsync($"/api/proposals/processes/{processId}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (processId, item.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ItemAndPhaseFromProposals_ReachComments_AndCommentCountReturnsToProposals()
    {
        using var staff = await AdminAsync();
        var (_, itemId) = await OpenProcessWithMeasureAsync(staff);
        var (citizen, _, _) = await StackClient.NewCitizenAsync();
        using var _citizen = citizen;

        // Comments learns the item and the phase's switches only from Proposals' events (outbox → RabbitMQ).
        var posted = await Eventually.ValueAsync(
            () => citizen.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text = "Sehr gute Idee, bitte bald umsetzen!", stance = "pro" }),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        posted.StatusCode.Should().Be(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());

        // ... and Proposals counts it from Comments' CommentPosted event.
        await Eventually.AssertAsync(async () =>
        {
            var item = await Json(await staff.GetAsync($"/api/proposals/items/{itemId}"), HttpStatusCode.OK);
            item.GetProperty("commentCount").GetInt32().Should().Be(1);
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task BlockInIdentity_ReachesComments_WhichRefusesThePost()
    {
        using var staff = await AdminAsync();
        var (_, itemId) = await OpenProcessWithMeasureAsync(staff);
        var (citizen, _, token) = await StackClient.NewCitizenAsync();
        using var _citizen = citizen;
        var me = await Json(await citizen.GetAsync("/api/identity/account/me"), HttpStatusCode.OK);
        var userId = me.GetProperty("id").GetGuid();
        await Eventually.AssertAsync(async () =>
            (await citizen.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text = "Vor der Sperre geschrieben." }))
                .StatusCode.Should().Be(HttpStatusCode.Created), TimeSpan.FromSeconds(30));

        (await staff.PostAsJsonAsync($"/api/identity/admin/users/{userId}/block",
            new { until = DateTimeOffset.UtcNow.AddDays(3), reason = "Wiederholte Beleidigungen" })).IsSuccessStatusCode.Should().BeTrue();

        // The citizen still holds the token issued before the block: only the UserBlocked event can stop them.
        token.Should().NotBeNullOrEmpty();
        await Eventually.AssertAsync(async () =>
        {
            var refused = await citizen.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text = "Nach der Sperre geschrieben." });
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }, TimeSpan.FromSeconds(30));
    }
}
