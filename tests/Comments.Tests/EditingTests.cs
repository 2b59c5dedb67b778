using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class EditingTests(CommentsFixture fx)
{
    [Fact]
    public async Task EditComment_WithinWindowThenAfterIt_UpdatesWithHistoryThenReturns409()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var posted = await author.PostCommentOkAsync(item.ItemId, "Erste Fassung mit Tippfeler.", "neutral");

        var edit = await author.PutJsonAsync($"/comments/{posted.Id}", new { text = "Erste Fassung ohne Tippfehler.", stance = "pro" });

        await edit.ShouldHaveAsync(HttpStatusCode.OK);
        var edited = await edit.ReadAsync<CommentView>();
        edited.Text.Should().Be("Erste Fassung ohne Tippfehler.");
        edited.Stance.Should().Be(Stance.Pro);
        edited.EditedAt.Should().NotBeNull();
        var history = await fx.WithDbAsync(db => db.Revisions.AsNoTracking().Where(r => r.CommentId == posted.Id).ToListAsync());
        history.Should().ContainSingle().Which.Text.Should().Be("Erste Fassung mit Tippfeler.");
        await Eventually.AssertAsync(() =>
        {
            fx.Edited.Should().Contain(e => e.CommentId == posted.Id && e.Text == "Erste Fassung ohne Tippfehler.");
            return Task.CompletedTask;
        });

        // Comments:EditWindow is shortened for the tests; wait until it has passed.
        var wait = posted.CreatedAt + CommentsFixture.EditWindow + TimeSpan.FromMilliseconds(300) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        var late = await author.PutJsonAsync($"/comments/{posted.Id}", new { text = "Zu spät geändert." });

        await late.ShouldHaveAsync(HttpStatusCode.Conflict);
        (await late.CodeAsync()).Should().Be("edit-window-expired");
        (await fx.CommentAsync(posted.Id)).Text.Should().Be("Erste Fassung ohne Tippfehler.");
    }

    [Fact]
    public async Task EditComment_ByAnotherUser_Returns403()
    {
        var item = await fx.OpenItemAsync();
        var posted = await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Meins.");

        var response = await fx.Factory.Citizen(out _).PutJsonAsync($"/comments/{posted.Id}", new { text = "Jetzt meins." });

        await response.ShouldHaveAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DeleteComment_ByAuthor_ShowsDeletedPlaceholderAndKeepsReplies()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var replier = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Das nehme ich zurück.");
        await author.PutJsonAsync($"/comments/{top.Id}", new { text = "Das nehme ich gleich zurück." });
        await replier.PostCommentOkAsync(item.ItemId, "Schade, war ein guter Punkt.", parentId: top.Id);

        (await replier.DeleteAsync($"/comments/{top.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await author.DeleteAsync($"/comments/{top.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await author.DeleteAsync($"/comments/{top.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var shown = (await fx.Factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single();
        shown.Deleted.Should().BeTrue();
        shown.Text.Should().BeNull();
        shown.Notice.Should().Be("[gelöscht]");
        shown.Replies.Should().ContainSingle().Which.Text.Should().Be("Schade, war ein guter Punkt.");
        var stored = await fx.CommentAsync(top.Id);
        stored.Text.Should().BeEmpty();
        (await fx.WithDbAsync(db => db.Revisions.CountAsync(r => r.CommentId == top.Id))).Should().Be(0, "the author's words go, history included");
        (await fx.OutboxAsync("CommentDeleted", top.Id)).Should().HaveCount(1, "deleting twice sends one event");
        await Eventually.AssertAsync(() =>
        {
            fx.Deleted.Should().Contain(e => e.CommentId == top.Id && e.ItemId == item.ItemId);
            return Task.CompletedTask;
        });
        (await author.PutJsonAsync($"/comments/{top.Id}", new { text = "Wieder da?" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
