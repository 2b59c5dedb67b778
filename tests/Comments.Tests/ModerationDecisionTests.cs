using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Details;
using Mitreden.Comments.Api.Features.MyComments;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Moderation.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class ModerationDecisionTests(CommentsFixture fx)
{
    private Task DecideAsync(Guid commentId, string decision, string? reason, string? note, DateTimeOffset decidedAt,
        Guid? decisionId = null, Guid? messageId = null) =>
        fx.PublishAsync(new CommentModerated(decisionId ?? Guid.NewGuid(), commentId, decision, reason, note, Guid.NewGuid(), decidedAt), messageId);

    private async Task WaitForStatusAsync(Guid commentId, CommentStatus status) =>
        await Eventually.AssertAsync(async () => (await fx.CommentAsync(commentId)).Status.Should().Be(status));

    [Fact]
    public async Task PostComment_PreModeration_VisibleOnlyToAuthorUntilApproved()
    {
        var item = await fx.OpenItemAsync(preModeration: true);
        var author = fx.Factory.Citizen(out _);
        var other = fx.Factory.Citizen(out _);

        var posted = await author.PostCommentOkAsync(item.ItemId, "Bitte prüfen Sie die Ampelschaltung an der Kurt-Schumacher-Straße.");

        posted.Status.Should().Be(CommentStatus.AwaitingReview);
        posted.Notice.Should().Contain("Wartet auf Freigabe");
        await Eventually.AssertAsync(() =>
        {
            fx.Posted.Should().Contain(e => e.CommentId == posted.Id && e.AwaitingReview);
            return Task.CompletedTask;
        });
        var forAuthor = await author.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments");
        forAuthor.Comments.Should().ContainSingle().Which.Status.Should().Be(CommentStatus.AwaitingReview);
        var forOthers = await other.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments");
        forOthers.Comments.Should().BeEmpty();
        forOthers.Total.Should().Be(0);
        (await other.GetAsync($"/comments/{posted.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await fx.Factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Should().BeEmpty();

        await DecideAsync(posted.Id, Decisions.Approve, null, null, DateTimeOffset.UtcNow);

        await Eventually.AssertAsync(async () =>
        {
            var page = await fx.Factory.Anonymous().GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments");
            page.Comments.Should().ContainSingle().Which.Status.Should().Be(CommentStatus.Published);
            page.Comments[0].Text.Should().StartWith("Bitte prüfen");
            page.Total.Should().Be(1);
        });
    }

    [Fact]
    public async Task CommentModerated_Hide_AuthorSeesReasonOthersSeePlaceholderRepliesStayVisible()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var replier = fx.Factory.Citizen(out _);
        var reader = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Alle, die das anders sehen, sind ahnungslos.", "contra");
        var reply = await replier.PostCommentOkAsync(item.ItemId, "Sachlich bleiben hilft allen.", parentId: top.Id);

        await DecideAsync(top.Id, Decisions.Hide, HideReasons.Insult, "Bitte ohne persönliche Angriffe.", DateTimeOffset.UtcNow);
        await WaitForStatusAsync(top.Id, CommentStatus.Hidden);

        var forAuthor = (await author.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single();
        forAuthor.Text.Should().Be("Alle, die das anders sehen, sind ahnungslos.");
        forAuthor.Moderation!.Reason.Should().Be(HideReasons.Insult);
        forAuthor.Moderation.Note.Should().Be("Bitte ohne persönliche Angriffe.");

        var forReader = (await reader.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single();
        forReader.Status.Should().Be(CommentStatus.Hidden);
        forReader.Text.Should().BeNull();
        forReader.Author.Should().BeNull();
        forReader.Notice.Should().Be("Dieser Beitrag wurde von der Moderation ausgeblendet");
        forReader.Moderation!.Reason.Should().Be(HideReasons.Insult);
        forReader.Moderation.Note.Should().BeNull();
        forReader.Replies.Should().ContainSingle().Which.Text.Should().Be("Sachlich bleiben hilft allen.");

        var replyInContext = await reader.GetJsonAsync<CommentDetail>($"/comments/{reply.Id}");
        replyInContext.Comment.Text.Should().Be("Sachlich bleiben hilft allen.");
        replyInContext.Parent!.Text.Should().BeNull();
        replyInContext.Parent.Notice.Should().Be("Dieser Beitrag wurde von der Moderation ausgeblendet");

        var mine = await author.GetJsonAsync<MyCommentsPage>("/me/comments");
        mine.Comments.Should().ContainSingle().Which.Moderation!.Note.Should().Be("Bitte ohne persönliche Angriffe.");

        // New replies under a hidden comment are refused; existing ones stay.
        var late = await reader.PostCommentAsync(item.ItemId, "Noch eine Antwort.", parentId: top.Id);
        await late.ShouldHaveAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CommentModerated_HoldThenRestore_AuthorSeesUnderReviewThenVisibleForAll()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var reader = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Kauft alle bei www.beispiel-shop.de!");
        var t0 = DateTimeOffset.UtcNow;

        await DecideAsync(top.Id, Decisions.HoldForReview, HideReasons.Advertising, null, t0);
        await WaitForStatusAsync(top.Id, CommentStatus.UnderReview);

        var forAuthor = await author.GetJsonAsync<CommentDetail>($"/comments/{top.Id}");
        forAuthor.Comment.Notice.Should().StartWith("Wird geprüft");
        forAuthor.Comment.Text.Should().NotBeNull();
        var forReader = await reader.GetJsonAsync<CommentDetail>($"/comments/{top.Id}");
        forReader.Comment.Text.Should().BeNull();
        forReader.Comment.Notice.Should().Be("Dieser Beitrag wird von der Moderation geprüft");

        await DecideAsync(top.Id, Decisions.Restore, null, null, t0.AddSeconds(1));
        await WaitForStatusAsync(top.Id, CommentStatus.Published);

        (await reader.GetJsonAsync<CommentDetail>($"/comments/{top.Id}")).Comment.Text.Should().StartWith("Kauft alle");
    }

    [Fact]
    public async Task CommentModerated_SameDecisionDeliveredTwice_AppliesOnceAndOlderDecisionIsIgnored()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Spam spam spam.");
        var t = DateTimeOffset.UtcNow;
        var hide = Guid.NewGuid();
        var hideMessage = Guid.NewGuid();

        await DecideAsync(top.Id, Decisions.Hide, HideReasons.Spam, null, t, hide, hideMessage);
        await WaitForStatusAsync(top.Id, CommentStatus.Hidden);
        // The same message again, the same decision under a new MessageId, and an older decision.
        var againMessage = Guid.NewGuid();
        var olderMessage = Guid.NewGuid();
        await DecideAsync(top.Id, Decisions.Hide, HideReasons.Spam, null, t, hide, hideMessage);
        await DecideAsync(top.Id, Decisions.Hide, HideReasons.Spam, null, t, hide, againMessage);
        await DecideAsync(top.Id, Decisions.Restore, null, null, t.AddMinutes(-5), messageId: olderMessage);

        await Eventually.AssertAsync(async () =>
        {
            var processed = await fx.WithDbAsync(db => db.Set<ProcessedMessage>().AsNoTracking()
                .Where(m => m.MessageId == againMessage || m.MessageId == olderMessage).CountAsync());
            processed.Should().Be(2);
            (await fx.Factory.VirtualHost.QueueDepthAsync("comments-moderation-decisions")).Should().Be(0);
        });
        var decisions = await fx.WithDbAsync(db => db.Decisions.AsNoTracking().Where(d => d.CommentId == top.Id).ToListAsync());
        decisions.Should().HaveCount(2);
        decisions.Single(d => d.DecisionId == hide).Applied.Should().BeTrue();
        decisions.Single(d => d.DecisionId != hide).Applied.Should().BeFalse();
        var comment = await fx.CommentAsync(top.Id);
        comment.Status.Should().Be(CommentStatus.Hidden);
        comment.LastDecisionId.Should().Be(hide);
    }

    [Fact]
    public async Task GetComment_FullView_OnlyForModeratorsAndShowsHiddenText()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out var authorId);
        var reporter = fx.Factory.Citizen(out _);
        var top = await author.PostCommentOkAsync(item.ItemId, "Meine Telefonnummer ist 0123-456789.");
        (await reporter.PostJsonAsync($"/comments/{top.Id}/reports", new { reason = "personal-data" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await DecideAsync(top.Id, Decisions.Hide, HideReasons.PersonalData, "Bitte keine Telefonnummern.", DateTimeOffset.UtcNow);
        await WaitForStatusAsync(top.Id, CommentStatus.Hidden);

        (await reporter.GetAsync($"/comments/{top.Id}?full=true")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await reporter.GetAsync($"/moderator/comments/{top.Id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await fx.Factory.Anonymous().GetAsync($"/moderator/comments/{top.Id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        foreach (var url in new[] { $"/comments/{top.Id}?full=true", $"/moderator/comments/{top.Id}" })
        {
            var full = await fx.Factory.Moderator().GetJsonAsync<ModeratorCommentView>(url);
            full.Comment.Text.Should().Be("Meine Telefonnummer ist 0123-456789.");
            full.AuthorId.Should().Be(authorId);
            full.Reports.Should().ContainSingle().Which.Open.Should().BeFalse("the hide decision answered the report");
            full.Decisions.Should().ContainSingle().Which.Reason.Should().Be(HideReasons.PersonalData);
        }
    }
}
