using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.MyComments;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Identity.Contracts;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class UserEventsTests(CommentsFixture fx)
{
    [Fact]
    public async Task PostComment_BlockedUser_Returns403WithBlockEnd_UnblockedAllowedAgain()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out var userId);
        var other = fx.Factory.Citizen(out _);
        var earlier = await client.PostCommentOkAsync(item.ItemId, "Vor der Sperre geschrieben.");
        var othersComment = await other.PostCommentOkAsync(item.ItemId, "Ein anderer Beitrag.");
        var until = DateTimeOffset.UtcNow.AddDays(3);

        await fx.PublishAsync(new UserBlocked(userId, until, "Wiederholte Beleidigungen", Guid.NewGuid(), DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
        {
            var refused = await client.PostCommentAsync(item.ItemId, "Während der Sperre.");
            await refused.ShouldHaveAsync(HttpStatusCode.Forbidden);
            var problem = await refused.ProblemAsync();
            problem.GetProperty("code").GetString().Should().Be("user-blocked");
            problem.GetProperty("blockedUntil").GetDateTimeOffset().Should().BeCloseTo(until, TimeSpan.FromMilliseconds(1));
            problem.GetProperty("detail").GetString().Should().Contain(until.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        (await client.PutJsonAsync($"/comments/{earlier.Id}", new { text = "Geändert" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.PostJsonAsync($"/comments/{othersComment.Id}/reports", new { reason = "spam" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.PostAsync($"/comments/{othersComment.Id}/upvote", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await fx.PublishAsync(new UserUnblocked(userId, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
            await (await client.PostCommentAsync(item.ItemId, "Wieder dabei.")).ShouldHaveAsync(HttpStatusCode.Created));
    }

    [Fact]
    public async Task PostComment_BlockedUntilClaimInToken_Returns403()
    {
        var item = await fx.OpenItemAsync();
        var userId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var until = now.AddHours(5);
        var token = fx.Factory.Issuer.Sign(new Dictionary<string, object?>
        {
            ["iss"] = TestIssuer.Issuer,
            ["aud"] = new[] { fx.Factory.Audience },
            ["sub"] = userId.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            ["roles"] = new[] { "citizen" },
            ["name"] = "Gesperrte Person",
            ["blocked_until"] = until.ToUnixTimeSeconds(),
        });
        var client = fx.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.PostCommentAsync(item.ItemId, "Trotz Sperre?");

        await response.ShouldHaveAsync(HttpStatusCode.Forbidden);
        (await response.ProblemAsync()).GetProperty("blockedUntil").GetDateTimeOffset()
            .Should().Be(DateTimeOffset.FromUnixTimeSeconds(until.ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task UserDeleted_CommentsShowDeletedUserKeepTextAndLoseTheLink()
    {
        var item = await fx.OpenItemAsync();
        var leaving = fx.Factory.Citizen(out var leavingId);
        var other = fx.Factory.Citizen(out _);
        var comment = await leaving.PostCommentOkAsync(item.ItemId, "Ich finde den Vorschlag gut.", "pro");
        (await other.PostAsync($"/comments/{comment.Id}/upvote", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var othersComment = await other.PostCommentOkAsync(item.ItemId, "Ich auch.");
        (await leaving.PostAsync($"/comments/{othersComment.Id}/upvote", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        await fx.PublishAsync(new UserDeleted(leavingId, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
        {
            var page = await other.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments?sort=oldest");
            var shown = page.Comments.Single(c => c.Id == comment.Id);
            shown.Author!.Name.Should().Be("gelöschter Nutzer");
            shown.Author.Deleted.Should().BeTrue();
            shown.Text.Should().Be("Ich finde den Vorschlag gut.");
            shown.Supports.Should().Be(1);
        });
        var stored = await fx.CommentAsync(comment.Id);
        stored.AuthorId.Should().BeNull();
        stored.AuthorName.Should().Be("gelöschter Nutzer");
        var upvoters = await fx.WithDbAsync(db => db.Upvotes.AsNoTracking().Where(u => u.CommentId == othersComment.Id).Select(u => u.UserId).ToListAsync());
        upvoters.Should().ContainSingle().Which.Should().NotBe(leavingId, "the up-vote keeps counting without the person");
        (await fx.CommentAsync(othersComment.Id)).Supports.Should().Be(1);

        var refused = await leaving.PostCommentAsync(item.ItemId, "Mit altem Token.");
        await refused.ShouldHaveAsync(HttpStatusCode.Forbidden);
        (await refused.CodeAsync()).Should().Be("account-deleted");
        (await leaving.GetJsonAsync<MyCommentsPage>("/me/comments")).Comments.Should().BeEmpty();
    }

    [Fact]
    public async Task UserDisplayNameChanged_UpdatesAuthorNameOfExistingAndNewComments()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out var userId);
        var comment = await client.PostCommentOkAsync(item.ItemId, "Mit altem Namen.");
        comment.Author!.Name.Should().StartWith("Test ");

        await fx.PublishAsync(new UserDisplayNameChanged(userId, "Erika Mustermann", DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
            (await fx.CommentAsync(comment.Id)).AuthorName.Should().Be("Erika Mustermann"));
        // The token still carries the old name; the newer one from Identity wins.
        var later = await client.PostCommentOkAsync(item.ItemId, "Nach der Umbenennung.");
        later.Author!.Name.Should().Be("Erika Mustermann");
    }
}
