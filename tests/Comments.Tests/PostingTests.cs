using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class PostingTests(CommentsFixture fx)
{
    [Fact]
    public async Task PostComment_CommentingOpen_Returns201AndCommentPostedReachesTheBroker()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out var userId);

        var response = await client.PostCommentAsync(item.ItemId, "  Mehr Bänke am Marktplatz, bitte!  ", "pro");

        await response.ShouldHaveAsync(HttpStatusCode.Created);
        var created = await response.ReadAsync<CommentView>();
        response.Headers.Location!.ToString().Should().Be($"/comments/{created.Id}");
        created.Text.Should().Be("Mehr Bänke am Marktplatz, bitte!");
        created.Stance.Should().Be(Stance.Pro);
        created.Status.Should().Be(CommentStatus.Published);
        created.IsMine.Should().BeTrue();
        created.CanEdit.Should().BeTrue();

        await Eventually.AssertAsync(() =>
        {
            fx.Posted.Should().ContainSingle(e => e.CommentId == created.Id).Which.Should().Match<Mitreden.Comments.Contracts.CommentPosted>(e =>
                e.ItemId == item.ItemId && e.ProcessId == item.ProcessId && e.AuthorId == userId && e.Stance == "pro" && !e.AwaitingReview);
            return Task.CompletedTask;
        });
        (await fx.OutboxAsync("CommentPosted", created.Id)).Should().ContainSingle().Which.DispatchedAt.Should().NotBeNull();

        var page = await fx.Factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments");
        page.Total.Should().Be(1);
        page.Comments.Should().ContainSingle().Which.Text.Should().Be("Mehr Bänke am Marktplatz, bitte!");
        page.Comments[0].IsMine.Should().BeFalse();
    }

    [Fact]
    public async Task PostComment_UnknownItem_Returns409()
    {
        var client = fx.Factory.Citizen(out _);

        var response = await client.PostCommentAsync(Guid.NewGuid(), "Hallo?");

        await response.ShouldHaveAsync(HttpStatusCode.Conflict);
        (await response.CodeAsync()).Should().Be("item-unknown");
    }

    [Fact]
    public async Task PostComment_PhaseEnded_Returns409WithClearMessage()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out _);
        await client.PostCommentOkAsync(item.ItemId, "Noch rechtzeitig.");

        await fx.PublishAsync(new PhaseEnded(item.ProcessId, item.PhaseId, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () =>
        {
            var response = await client.PostCommentAsync(item.ItemId, "Zu spät.");
            await response.ShouldHaveAsync(HttpStatusCode.Conflict);
            var problem = await response.ProblemAsync();
            problem.GetProperty("code").GetString().Should().Be("commenting-closed");
            problem.GetProperty("detail").GetString().Should().Contain("geschlossen");
        });
    }

    [Fact]
    public async Task PostComment_CommentingSwitchedOff_Returns409AndAnOlderSwitchEventIsIgnored()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out _);
        var now = DateTimeOffset.UtcNow;

        // Older than the PhaseStarted (StartsAt = now - 1 h): must not change anything.
        await fx.PublishAsync(new PhaseSwitchesChanged(item.ProcessId, item.PhaseId, PhaseSwitches.AllOff, now.AddHours(-2)));
        await fx.PublishAsync(new PhaseSwitchesChanged(item.ProcessId, item.PhaseId,
            new PhaseSwitches(false, false, false, true, false), now));

        await Eventually.AssertAsync(async () =>
            (await client.PostCommentAsync(item.ItemId, "Geht das noch?")).StatusCode.Should().Be(HttpStatusCode.Conflict));
        var phase = await fx.WithDbAsync(db => db.Phases.AsNoTracking().SingleAsync(p => p.PhaseId == item.PhaseId));
        phase.Commenting.Should().BeFalse();
        phase.SwitchesAsOf.Should().BeCloseTo(now, TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task PostComment_EmptyText_Returns422(string text)
    {
        var item = await fx.OpenItemAsync();
        var response = await fx.Factory.Citizen(out _).PostCommentAsync(item.ItemId, text);
        await response.ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task PostComment_TextLimits_5000Accepted5001Refused()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out _);

        await client.PostCommentOkAsync(item.ItemId, new string('a', 5000));
        var tooLong = await client.PostCommentAsync(item.ItemId, new string('a', 5001));

        await tooLong.ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
        (await tooLong.ProblemAsync()).GetProperty("errors").GetProperty("text").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task PostComment_MalformedBody_Returns400()
    {
        var item = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out _);

        var unknownStance = await client.PostCommentAsync(item.ItemId, "Hm.", "dafür");
        var unknownField = await client.PostAsync($"/items/{item.ItemId}/comments",
            new StringContent("""{"text":"Hm.","mood":"happy"}""", System.Text.Encoding.UTF8, "application/json"));

        await unknownStance.ShouldHaveAsync(HttpStatusCode.BadRequest);
        await unknownField.ShouldHaveAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostComment_Anonymous_Returns401()
    {
        var item = await fx.OpenItemAsync();
        var response = await fx.Factory.Anonymous().PostCommentAsync(item.ItemId, "Ohne Anmeldung");
        await response.ShouldHaveAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PostComment_ReplyToReply_AttachesToTopLevelParent()
    {
        var item = await fx.OpenItemAsync();
        var alice = fx.Factory.Citizen(out _);
        var bob = fx.Factory.Citizen(out _);
        var top = await alice.PostCommentOkAsync(item.ItemId, "Wir brauchen mehr Grün.", "pro");
        var reply = await bob.PostCommentOkAsync(item.ItemId, "Wo genau?", parentId: top.Id);

        var replyToReply = await alice.PostCommentOkAsync(item.ItemId, "Am Bahnhof.", parentId: reply.Id);

        replyToReply.ParentId.Should().Be(top.Id);
        var page = await fx.Factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments");
        page.Comments.Should().ContainSingle();
        page.Comments[0].ReplyCount.Should().Be(2);
        page.Comments[0].Replies!.Select(r => r.Text).Should().Equal("Wo genau?", "Am Bahnhof.");
        page.Total.Should().Be(3);
    }

    [Fact]
    public async Task PostComment_ReplyToCommentOfAnotherItem_Returns422()
    {
        var first = await fx.OpenItemAsync();
        var second = await fx.OpenItemAsync();
        var client = fx.Factory.Citizen(out _);
        var top = await client.PostCommentOkAsync(first.ItemId, "Erster Inhalt.");

        var response = await client.PostCommentAsync(second.ItemId, "Falscher Faden.", parentId: top.Id);

        await response.ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
    }
}
