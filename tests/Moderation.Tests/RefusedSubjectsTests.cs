using System.Net;
using System.Text.Json;
using Mitreden.Identity.Contracts;
using Mitreden.TestKit;

namespace Mitreden.Moderation.Tests;

/// <summary>
/// Identity's UserDeleted and UserBlocked reach Moderation through the real broker: within seconds a deleted
/// moderator's still valid token is refused for everything, a blocked one's for every decision (reading the queue
/// stays allowed), and an unblocked moderator decides again. Other moderators are not affected.
/// </summary>
[Collection(ModerationCollection.Name)]
public sealed class RefusedSubjectsTests(ModerationFixture fx)
{
    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;

    [Fact]
    public async Task DeletedModerator_TokenRefusedWithinSeconds_OtherModeratorStillDecides()
    {
        var processId = Guid.NewGuid();
        var leavingId = Guid.NewGuid();
        var leaving = fx.Factory.ClientFor(leavingId, ["moderator"]);
        var other = fx.Factory.Moderator();
        (await leaving.GetAsync($"/processes/{processId}/queue")).StatusCode.Should().Be(HttpStatusCode.OK);

        await fx.Bus.Publish(new UserDeleted(leavingId, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
        {
            var refused = await leaving.GetAsync($"/processes/{processId}/queue");
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await CodeOf(refused)).Should().Be("account-deleted");
        }, TimeSpan.FromSeconds(10));
        var posted = await fx.QueuedCommentAsync(processId);
        (await CodeOf(await ModerationFixture.DecideAsync(leaving, posted.CommentId, new { decision = "approve", version = 0 })))
            .Should().Be("account-deleted");
        (await ModerationFixture.DecideAsync(other, posted.CommentId, new { decision = "approve", version = 0 }))
            .StatusCode.Should().Be(HttpStatusCode.OK, "only the deleted account is refused");
    }

    [Fact]
    public async Task BlockedModerator_DecisionsRefusedReadingAllowed_UnblockedDecidesAgain()
    {
        var processId = Guid.NewGuid();
        var moderatorId = Guid.NewGuid();
        var moderator = fx.Factory.ClientFor(moderatorId, ["moderator"]);
        var posted = await fx.QueuedCommentAsync(processId);
        var before = (await fx.CommentAsync(posted.CommentId))!;
        var until = DateTimeOffset.UtcNow.AddDays(2);

        await fx.Bus.Publish(new UserBlocked(moderatorId, until, "Test", Guid.NewGuid(), DateTimeOffset.UtcNow));

        // Probed with a decision on an unknown comment (404 until the block arrives), so no probe changes anything.
        await Eventually.AssertAsync(async () =>
        {
            var refused = await ModerationFixture.DecideAsync(moderator, Guid.NewGuid(), new { decision = "approve", version = 0 });
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await CodeOf(refused)).Should().Be("user-blocked");
        }, TimeSpan.FromSeconds(10));
        var decision = await ModerationFixture.DecideAsync(moderator, posted.CommentId, new { decision = "approve", version = before.Version });
        decision.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOf(decision)).Should().Be("user-blocked");
        (await moderator.GetAsync($"/processes/{processId}/queue")).StatusCode.Should().Be(HttpStatusCode.OK, "a block refuses changes only");
        (await fx.CommentAsync(posted.CommentId))!.Version.Should().Be(before.Version, "the refused decision changed nothing");

        await fx.Bus.Publish(new UserUnblocked(moderatorId, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
            (await ModerationFixture.DecideAsync(moderator, posted.CommentId, new { decision = "approve", version = before.Version }))
                .StatusCode.Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(10));
    }
}
