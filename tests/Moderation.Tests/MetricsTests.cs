using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class MetricsTests(ModerationFixture fx)
{
    [Fact]
    public async Task MetricsSummary_CountsQueueReportsDecisionsAndMedianTime()
    {
        var processId = Guid.NewGuid();
        var insult = await fx.QueuedCommentAsync(processId, "Eins.");
        var spam = await fx.QueuedCommentAsync(processId, "Zwei.");
        var open = await fx.QueuedCommentAsync(processId, "Drei.");
        await fx.ReportAsync(open);
        var premoderated = await fx.PostAsync(processId, "Vier.", awaitingReview: true);
        await fx.WaitForCommentAsync(premoderated.CommentId, c => c.InQueue);
        await fx.WaitForCommentAsync(open.CommentId, c => c.OpenReports == 2);
        var moderator = fx.Factory.Moderator();
        await Task.Delay(200);
        (await ModerationFixture.DecideAsync(moderator, insult.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.Insult, noteToAuthor = "Beleidigend." })).EnsureSuccessStatusCode();
        (await ModerationFixture.DecideAsync(moderator, spam.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.Spam, noteToAuthor = "Werbung." })).EnsureSuccessStatusCode();

        var summary = await ModerationFixture.ReadAsync<MetricsSummaryDto>(await moderator.GetAsync($"/metrics/summary?processId={processId}"));

        summary.QueueLength.Should().Be(2);
        summary.AwaitingReview.Should().Be(1);
        summary.OpenReports.Should().Be(2);
        summary.DecisionsByReason.Should().BeEquivalentTo(new Dictionary<string, int> { [HideReasons.Insult] = 1, [HideReasons.Spam] = 1 });
        summary.DecisionsByKind.Should().BeEquivalentTo(new Dictionary<string, int> { [Decisions.Hide] = 2 });
        var waits = await fx.InDbAsync(db => db.Decisions.Where(d => d.ProcessId == processId)
            .Select(d => new { d.DecidedAt, d.QueuedAt }).ToListAsync());
        var expectedMedian = waits.Average(w => (w.DecidedAt - w.QueuedAt!.Value).TotalSeconds);
        summary.MedianSecondsToDecision.Should().BeApproximately(expectedMedian, 0.01);
        summary.MedianSecondsToDecision.Should().BeGreaterThan(0.2);

        var all = await ModerationFixture.ReadAsync<MetricsSummaryDto>(await moderator.GetAsync("/metrics/summary"));
        all.QueueLength.Should().BeGreaterThanOrEqualTo(2);
    }
}
