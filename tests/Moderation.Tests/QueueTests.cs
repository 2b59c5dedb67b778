using System.Net;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class QueueTests(ModerationFixture fx)
{
    [Fact]
    public async Task Queue_IsOrderedByOpenReportsThenAge_AndPagesWithCursor()
    {
        var processId = Guid.NewGuid();
        var oldPreModerated = await fx.PostAsync(processId, "Alt und vormoderiert.", awaitingReview: true);
        await fx.WaitForCommentAsync(oldPreModerated.CommentId, c => c.InQueue);
        var oneReport = await fx.QueuedCommentAsync(processId, "Ein Bericht.");
        var twoReports = await fx.QueuedCommentAsync(processId, "Zwei Berichte.");
        await fx.ReportAsync(twoReports);
        await fx.WaitForCommentAsync(twoReports.CommentId, c => c.OpenReports == 2);
        var newPreModerated = await fx.PostAsync(processId, "Neu und vormoderiert.", awaitingReview: true);
        await fx.WaitForCommentAsync(newPreModerated.CommentId, c => c.InQueue);
        var moderator = fx.Factory.Moderator();

        var first = await ModerationFixture.ReadAsync<QueuePageDto>(await moderator.GetAsync($"/processes/{processId}/queue?pageSize=2"));
        first.Total.Should().Be(4);
        first.Items.Select(i => i.CommentId).Should().Equal(twoReports.CommentId, oneReport.CommentId);
        first.Next.Should().NotBeNull();
        var second = await ModerationFixture.ReadAsync<QueuePageDto>(
            await moderator.GetAsync($"/processes/{processId}/queue?pageSize=2&cursor={first.Next}"));
        second.Items.Select(i => i.CommentId).Should().Equal(oldPreModerated.CommentId, newPreModerated.CommentId);
        second.Next.Should().BeNull();

        var all = new List<QueueEntryDto>();
        for (string? cursor = null, url = "/queue?pageSize=7"; url is not null; url = cursor is null ? null : $"/queue?pageSize=7&cursor={cursor}")
        {
            var page = await ModerationFixture.ReadAsync<QueuePageDto>(await moderator.GetAsync(url));
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        all.Select(i => i.CommentId).Should().OnlyHaveUniqueItems();
        all.Select(i => (-i.OpenReports, i.QueuedAt)).Should().BeInAscendingOrder();
        all.Where(i => i.ProcessId == processId).Select(i => i.CommentId)
            .Should().Equal(twoReports.CommentId, oneReport.CommentId, oldPreModerated.CommentId, newPreModerated.CommentId);
        (await moderator.GetAsync($"/queue?cursor=not-a-cursor")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await moderator.GetAsync($"/queue?pageSize=0")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Queue_FiltersByStateAndReason_PagesByNumber_AndCountsPerFilter()
    {
        var processId = Guid.NewGuid();
        var preModerated = await fx.PostAsync(processId, "Bitte vorher prüfen.", awaitingReview: true);
        await fx.WaitForCommentAsync(preModerated.CommentId, c => c.InQueue);
        var insulting = await fx.QueuedCommentAsync(processId, "Gemeldet als Beleidigung.");
        var spam = await fx.PostAsync(processId, "Gemeldet als Werbung.");
        await fx.ReportAsync(spam, reason: ReportReasons.Spam);
        await fx.WaitForCommentAsync(spam.CommentId, c => c.InQueue && c.OpenReports == 1);
        var moderator = fx.Factory.Moderator();

        var all = await ModerationFixture.ReadAsync<QueuePageDto>(await moderator.GetAsync($"/processes/{processId}/queue"));
        all.Total.Should().Be(3);
        all.Counts.All.Should().Be(3);
        all.Counts.ByState["awaiting-review"].Should().Be(1);
        all.Counts.ByState["visible"].Should().Be(2);
        all.Counts.ByReason[ReportReasons.Insult].Should().Be(1);
        all.Counts.ByReason[ReportReasons.Spam].Should().Be(1);
        all.Counts.ByReason[ReportReasons.OffTopic].Should().Be(0);

        var spamOnly = await ModerationFixture.ReadAsync<QueuePageDto>(await moderator.GetAsync($"/processes/{processId}/queue?reason=spam"));
        spamOnly.Items.Select(i => i.CommentId).Should().Equal(spam.CommentId);
        spamOnly.Total.Should().Be(1);
        spamOnly.Counts.All.Should().Be(3, "the counts ignore the state and reason filters");
        var awaiting = await ModerationFixture.ReadAsync<QueuePageDto>(
            await moderator.GetAsync($"/processes/{processId}/queue?state=awaiting-review"));
        awaiting.Items.Select(i => i.CommentId).Should().Equal(preModerated.CommentId);

        var second = await ModerationFixture.ReadAsync<QueuePageDto>(await moderator.GetAsync($"/processes/{processId}/queue?pageSize=2&page=2"));
        second.Page.Should().Be(2);
        second.Items.Select(i => i.CommentId).Should().Equal(preModerated.CommentId);
        second.Total.Should().Be(3);

        foreach (var (query, field) in new[] { ("state=hidden", "state"), ("reason=boring", "reason"), ("page=0", "page"), ("page=1&cursor=x", "page") })
        {
            var response = await moderator.GetAsync($"/processes/{processId}/queue?{query}");
            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, query);
            (await response.Content.ReadAsStringAsync()).Should().Contain($"\"{field}\"", query);
        }
    }

    [Fact]
    public async Task Decide_ReturnsNextEntry_ForDecideAndGoToNext()
    {
        var processId = Guid.NewGuid();
        var a = await fx.QueuedCommentAsync(processId, "Erster.");
        var b = await fx.QueuedCommentAsync(processId, "Zweiter.");
        var c = await fx.QueuedCommentAsync(processId, "Dritter.");
        var moderator = fx.Factory.Moderator();

        // Start in the middle: the next is the one after it, then the queue wraps to its start.
        var afterB = await ModerationFixture.ReadAsync<DecisionResponseDto>(
            await ModerationFixture.DecideAsync(moderator, b.CommentId, new { decision = "approve", version = 0 }));
        afterB.Next!.CommentId.Should().Be(c.CommentId);
        var afterC = await ModerationFixture.ReadAsync<DecisionResponseDto>(
            await ModerationFixture.DecideAsync(moderator, c.CommentId, new { decision = "approve", version = afterB.Next.Version }));
        afterC.Next!.CommentId.Should().Be(a.CommentId);
        var afterA = await ModerationFixture.ReadAsync<DecisionResponseDto>(
            await ModerationFixture.DecideAsync(moderator, a.CommentId, new { decision = "approve", version = 0 }));
        afterA.Next.Should().BeNull();
    }

    [Fact]
    public async Task QueueEntry_ShowsTextFlagsReportsAndAuthorHistory()
    {
        var processId = Guid.NewGuid();
        var authorId = Guid.NewGuid();
        var earlier = await fx.QueuedCommentAsync(processId, "Früherer Beitrag.", authorId);
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), earlier.CommentId,
            new { decision = "hide", version = 0, reason = HideReasons.OffTopic, noteToAuthor = "Nicht zum Thema." })).EnsureSuccessStatusCode();

        var posted = await fx.PostAsync(processId, "Du Idiot, schau auf http://a.example.com http://b.example.com http://c.example.com", authorId);
        await fx.ReportAsync(posted, reason: ReportReasons.Insult, note: "Persönlicher Angriff");
        await fx.WaitForCommentAsync(posted.CommentId, c => c.OpenReports == 1 && c.Flags.Count == 2);

        var page = await ModerationFixture.ReadAsync<QueuePageDto>(await fx.Factory.Moderator().GetAsync($"/processes/{processId}/queue"));
        var entry = page.Items.Should().ContainSingle().Subject;
        entry.Text.Should().StartWith("Du Idiot");
        entry.AuthorId.Should().Be(authorId);
        entry.AuthorPreviousDecisions.Should().Be(1);
        entry.AuthorPreviousHides.Should().Be(1);
        entry.Flags.Select(f => f.Rule).Should().BeEquivalentTo([ScreeningRuleNames.BadWords, ScreeningRuleNames.Links]);
        entry.Reports.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Reason = ReportReasons.Insult, Note = "Persönlicher Angriff" });
        entry.Version.Should().Be(1, "the automatic hold was the first decision");

        var view = await ModerationFixture.ReadAsync<CommentViewDto>(await fx.Factory.Moderator().GetAsync($"/comments/{posted.CommentId}"));
        view.Decisions.Should().ContainSingle().Which.Trigger.Should().Be("screening:bad-words");
    }
}
