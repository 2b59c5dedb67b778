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
    [Fact]
    public async Task ItemAndPhaseFromProposals_ReachComments_AndCommentCountReturnsToProposals()
    {
        using var staff = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var (citizen, _, _) = await Arrange.NewCitizenAsync();
        using var _citizen = citizen;

        // Comments learns the item and the phase's switches only from Proposals' events (outbox → RabbitMQ).
        var posted = await Eventually.ValueAsync(
            () => citizen.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text = "Sehr gute Idee, bitte bald umsetzen!", stance = "pro" }),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        posted.StatusCode.Should().Be(HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());

        // ... and Proposals counts it from Comments' CommentPosted event.
        await Eventually.AssertAsync(async () =>
        {
            var item = await StackClient.Json(await staff.GetAsync($"/api/proposals/items/{itemId}"), HttpStatusCode.OK);
            item.GetProperty("commentCount").GetInt32().Should().Be(1);
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ProcessDefault_UnconfirmedAccountIsRefused_UntilStaffAllowIt_ThroughProposalsEvent()
    {
        using var staff = await Arrange.AdminAsync();
        var (processId, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff, unconfirmedAccountsMayComment: false);
        var (citizen, _, _) = await Arrange.NewCitizenAsync();
        using var _citizen = citizen;

        // Once Comments knows the item, the unconfirmed account is refused with the reason, not with "closed".
        var refused = await Eventually.ValueAsync(
            () => citizen.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text = "Noch nicht bestätigt.", stance = "neutral" }),
            r => r.StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(30));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("email-unconfirmed");
        problem.GetProperty("detail").GetString().Should().Be("Bestätigen Sie Ihre E-Mail-Adresse, um zu kommentieren.");

        var process = await StackClient.Json(await staff.GetAsync($"/api/proposals/processes/{processId}"), HttpStatusCode.OK);
        (await staff.PutAsJsonAsync($"/api/proposals/processes/{processId}", new
        {
            title = process.GetProperty("title").GetString(), city = "Teststadt", description = "Ende-zu-Ende-Test",
            unconfirmedAccountsMayComment = true,
        })).StatusCode.Should().Be(HttpStatusCode.OK);
        await StackClient.CommentAsync(citizen, itemId, "Jetzt darf ich kommentieren.");
    }

    [Fact]
    public async Task AccountDeletedInIdentity_CommentsShowDeletedUser_TextStays()
    {
        using var staff = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var (citizen, _, _) = await Arrange.NewCitizenAsync();
        using var _citizen = citizen;
        var commentId = await StackClient.CommentAsync(citizen, itemId, "Ich wünsche mir mehr Bänke am Ufer.");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/identity/account/me")
        {
            Content = JsonContent.Create(new { password = StackClient.Password }),
        };
        (await citizen.SendAsync(delete)).IsSuccessStatusCode.Should().BeTrue();

        using var anonymous = StackClient.Client();
        await Eventually.AssertAsync(async () =>
        {
            var comment = await StackClient.Json(await anonymous.GetAsync($"/api/comments/comments/{commentId}"), HttpStatusCode.OK);
            var view = comment.TryGetProperty("comment", out var inner) ? inner : comment;
            view.GetProperty("author").GetProperty("deleted").GetBoolean().Should().BeTrue();
            view.GetProperty("author").GetProperty("name").GetString().Should().Be("gelöschter Nutzer");
            view.GetProperty("text").GetString().Should().Be("Ich wünsche mir mehr Bänke am Ufer.");
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task BlockInIdentity_ReachesComments_WhichRefusesThePost()
    {
        using var staff = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var (citizen, _, token) = await Arrange.NewCitizenAsync();
        using var _citizen = citizen;
        var me = await StackClient.Json(await citizen.GetAsync("/api/identity/account/me"), HttpStatusCode.OK);
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
