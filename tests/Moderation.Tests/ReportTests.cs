using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class ReportTests(ModerationFixture fx)
{
    [Fact]
    public async Task CommentReported_ByThreeReporters_HoldsForReviewExactlyOnce()
    {
        var posted = await fx.PostAsync(Guid.NewGuid(), "Die Buslinie 7 sollte öfter fahren.");
        var first = await fx.ReportAsync(posted, reason: ReportReasons.Spam, messageId: Guid.NewGuid());
        await fx.ReportAsync(posted);
        await fx.WaitForCommentAsync(posted.CommentId, c => c.OpenReports == 2);
        (await fx.CommentAsync(posted.CommentId))!.State.Should().Be(CommentStates.Visible);

        var thirdId = Guid.NewGuid();
        var third = await fx.ReportAsync(posted, note: "Beleidigt Anwohner", messageId: thirdId);
        var held = await fx.WaitForCommentAsync(posted.CommentId, c => c.State == CommentStates.Held);
        held.OpenReports.Should().Be(3);

        // More reports, a redelivery and a re-publication of a known report: none may publish another hold.
        var fourthId = Guid.NewGuid();
        await fx.ReportAsync(posted, messageId: fourthId);
        await fx.PublishAsync(third, thirdId);
        var republishedId = await fx.PublishAsync(first);
        await fx.WaitUntilSettledAsync(fourthId, thirdId, thirdId, republishedId);
        (await fx.CommentAsync(posted.CommentId))!.Reports.Should().HaveCount(4);

        var published = fx.Tap.CommentModerated(posted.CommentId);
        published.Should().ContainSingle();
        published[0].GetProperty("decision").GetString().Should().Be(Decisions.HoldForReview);
        published[0].GetProperty("moderatorId").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(1);
    }

    [Fact]
    public async Task CommentReported_ConcurrentlyByEightReporters_OneQueueEntryOneHoldNoRetry()
    {
        // The comment is not known yet, so every report would insert its row; and each one updates it.
        var posted = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, Guid.NewGuid(), "Gleichzeitig gemeldet.",
            Stances.Contra, false, DateTimeOffset.UtcNow);
        var since = DateTimeOffset.UtcNow;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fx.ReportAsync(posted)));

        // Both in the condition: the comment and its reports are read by two queries (split), not one snapshot.
        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.Reports.Count == 8 && c.OpenReports == 8);
        fx.Factory.Logs.Since(since).Where(e => e.Exception is not null)
            .Select(e => $"{e.Category}: {e.Message} ({e.Exception!.GetType().Name}: {e.Exception.Message})")
            .Should().BeEmpty("concurrent reports wait for each other instead of failing and being retried");
        comment.InQueue.Should().BeTrue();
        comment.State.Should().Be(CommentStates.Held);
        (await fx.InDbAsync(db => db.Comments.CountAsync(c => c.Id == posted.CommentId))).Should().Be(1);
        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(1);
    }

    [Fact]
    public async Task CommentReported_SameMessageTwice_CountsOnce()
    {
        var posted = await fx.PostAsync(Guid.NewGuid(), "Ein Beitrag.");
        var report = new CommentReported(posted.CommentId, posted.ItemId, posted.ProcessId, Guid.NewGuid(), Guid.NewGuid(),
            ReportReasons.OffTopic, null, 1, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await fx.PublishAsync(report, messageId);
        await fx.PublishAsync(report, messageId);
        // The same reporter again with a new report counts once as well.
        var againId = Guid.NewGuid();
        await fx.ReportAsync(posted, report.ReporterId, messageId: againId);

        await fx.Consumed.WaitForAsync(messageId, messageId, againId);
        await fx.WaitForCommentAsync(posted.CommentId, c => c.Reports.Count == 2);
        var comment = (await fx.CommentAsync(posted.CommentId))!;
        comment.Reports.Should().HaveCount(2);
        comment.OpenReports.Should().Be(1);
        comment.InQueue.Should().BeTrue();
    }

    [Fact]
    public async Task CommentReported_BeforeItsCommentPosted_IsKeptAndCompleted()
    {
        var posted = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, Guid.NewGuid(), "Spät angekommen.",
            Stances.Pro, false, DateTimeOffset.UtcNow);
        await fx.ReportAsync(posted);
        await fx.WaitForCommentAsync(posted.CommentId, c => c.OpenReports == 1);

        await fx.Bus.Publish(posted);

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.AuthorId != null);
        comment.Text.Should().Be("Spät angekommen.");
        comment.InQueue.Should().BeTrue();
        comment.OpenReports.Should().Be(1);
    }

    [Fact]
    public async Task CommentDeleted_LeavesTheQueue_AndDecisionsConflict()
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());

        await fx.Bus.Publish(new CommentDeleted(posted.CommentId, posted.ItemId, posted.ProcessId, DateTimeOffset.UtcNow));

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.State == CommentStates.Deleted);
        comment.InQueue.Should().BeFalse();
        var response = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "approve", version = 0 });
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CommentReported_AfterItWasHidden_IsKeptOutOfTheQueue()
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.Spam, noteToAuthor = "Werbung." })).EnsureSuccessStatusCode();

        await fx.ReportAsync(posted);

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.Reports.Count == 2);
        comment.InQueue.Should().BeFalse();
        comment.OpenReports.Should().Be(0);
        comment.State.Should().Be(CommentStates.Hidden);
    }
}
