using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Api.Features.Reports;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Comments.Api.Features.Upvotes;
using Mitreden.Moderation.Contracts;
using Mitreden.TestKit;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

[Collection(CommentsCollection.Name)]
public sealed class UpvoteAndReportTests(CommentsFixture fx)
{
    [Fact]
    public async Task Upvote_TwiceBySameUser_CountsOnceAndWithdrawIsIdempotent()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var fan = fx.Factory.Citizen(out _);
        var second = fx.Factory.Citizen(out _);
        var comment = await author.PostCommentOkAsync(item.ItemId, "Mehr Radwege!", "pro");

        (await (await fan.PostAsync($"/comments/{comment.Id}/upvote", null)).ReadAsync<UpvoteView>()).Supports.Should().Be(1);
        (await (await fan.PostAsync($"/comments/{comment.Id}/upvote", null)).ReadAsync<UpvoteView>()).Supports.Should().Be(1);
        (await (await second.PostAsync($"/comments/{comment.Id}/upvote", null)).ReadAsync<UpvoteView>()).Supports.Should().Be(2);

        var forFan = (await fan.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single();
        forFan.Supports.Should().Be(2);
        forFan.SupportedByMe.Should().BeTrue();
        (await author.GetJsonAsync<ThreadPage>($"/items/{item.ItemId}/comments")).Comments.Single().SupportedByMe.Should().BeFalse();

        (await (await fan.DeleteAsync($"/comments/{comment.Id}/upvote")).ReadAsync<UpvoteView>()).Supports.Should().Be(1);
        (await (await fan.DeleteAsync($"/comments/{comment.Id}/upvote")).ReadAsync<UpvoteView>()).Supports.Should().Be(1);
        var rows = await fx.WithDbAsync(db => db.Upvotes.CountAsync(u => u.CommentId == comment.Id));
        rows.Should().Be(1);
        (await fx.CommentAsync(comment.Id)).Supports.Should().Be(rows);

        var own = await author.PostAsync($"/comments/{comment.Id}/upvote", null);
        await own.ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Upvote_ConcurrentBySameUser_CountsOnce()
    {
        var item = await fx.OpenItemAsync();
        var comment = await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Schnell klicken.");
        var fan = fx.Factory.Citizen(out _);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fan.PostAsync($"/comments/{comment.Id}/upvote", null)));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        (await fx.CommentAsync(comment.Id)).Supports.Should().Be(1);
    }

    [Fact]
    public async Task Report_WithReasonCodes_PublishesCommentReportedWithOpenReportCount()
    {
        var item = await fx.OpenItemAsync();
        var comment = await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Ihr habt doch alle keine Ahnung.");
        var first = fx.Factory.Citizen(out var firstId);
        var second = fx.Factory.Citizen(out _);

        var r1 = await first.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "insult" });
        var again = await first.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "spam" });
        var r2 = await second.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "off-topic", note = "Hat mit der Maßnahme nichts zu tun." });

        await r1.ShouldHaveAsync(HttpStatusCode.Created);
        (await r1.ReadAsync<ReportView>()).Reason.Should().Be(ReportReason.Insult);
        await again.ShouldHaveAsync(HttpStatusCode.Conflict);
        (await again.CodeAsync()).Should().Be("already-reported");
        await r2.ShouldHaveAsync(HttpStatusCode.Created);
        await Eventually.AssertAsync(() =>
        {
            var events = fx.Reported.Where(e => e.CommentId == comment.Id).OrderBy(e => e.OpenReports).ToList();
            events.Should().HaveCount(2);
            events[0].Should().Match<Mitreden.Comments.Contracts.CommentReported>(e =>
                e.ReporterId == firstId && e.Reason == "insult" && e.OpenReports == 1 && e.ProcessId == item.ProcessId);
            events[1].Should().Match<Mitreden.Comments.Contracts.CommentReported>(e =>
                e.Reason == "off-topic" && e.Note == "Hat mit der Maßnahme nichts zu tun." && e.OpenReports == 2);
            return Task.CompletedTask;
        });

        // A decision answers the open reports; the same user may report again afterwards.
        await fx.PublishAsync(new CommentModerated(Guid.NewGuid(), comment.Id, Decisions.Approve, null, null, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await fx.CommentAsync(comment.Id)).OpenReports.Should().Be(0));
        (await first.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "insult" })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Report_InvalidInput_Returns400Or422()
    {
        var item = await fx.OpenItemAsync();
        var author = fx.Factory.Citizen(out _);
        var comment = await author.PostCommentOkAsync(item.ItemId, "Neutraler Beitrag.");
        var reporter = fx.Factory.Citizen(out _);

        await (await reporter.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "rude" })).ShouldHaveAsync(HttpStatusCode.BadRequest);
        await (await reporter.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "other" })).ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
        await (await reporter.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "spam", note = new string('x', 1001) }))
            .ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
        await (await author.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "spam" })).ShouldHaveAsync(HttpStatusCode.UnprocessableEntity);
        await (await reporter.PostJsonAsync($"/comments/{Guid.NewGuid()}/reports", new { reason = "spam" })).ShouldHaveAsync(HttpStatusCode.NotFound);
        await (await reporter.PostJsonAsync($"/comments/{comment.Id}/reports", new { reason = "other", note = "Wirkt automatisch erzeugt." }))
            .ShouldHaveAsync(HttpStatusCode.Created);
    }
}
