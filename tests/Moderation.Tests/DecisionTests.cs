using System.Net;
using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class DecisionTests(ModerationFixture fx)
{
    [Fact]
    public async Task Decide_Hide_PublishesCommentModeratedWithReasonAndNote_AndWritesAudit()
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());
        var moderatorId = Guid.NewGuid();
        var moderator = fx.Factory.ClientFor(moderatorId, ["moderator"]);

        var response = await ModerationFixture.DecideAsync(moderator, posted.CommentId, new
        {
            decision = "hide", version = 0, reason = HideReasons.Insult, noteToAuthor = "Bitte bleiben Sie sachlich.",
        });

        var decided = await ModerationFixture.ReadAsync<DecisionResponseDto>(response);
        decided.State.Should().Be(CommentStates.Hidden);
        decided.Version.Should().Be(1);
        var message = await fx.Tap.WaitForAsync(BrokerTap.CommentModeratedExchange, m => m.GetProperty("commentId").GetGuid() == posted.CommentId);
        message.GetProperty("decision").GetString().Should().Be(Decisions.Hide);
        message.GetProperty("reason").GetString().Should().Be(HideReasons.Insult);
        message.GetProperty("noteToAuthor").GetString().Should().Be("Bitte bleiben Sie sachlich.");
        message.GetProperty("moderatorId").GetGuid().Should().Be(moderatorId);
        message.GetProperty("decisionId").GetGuid().Should().Be(decided.DecisionId);

        var audit = await fx.InDbAsync(db => db.AuditLog.SingleAsync(a => a.CommentId == posted.CommentId));
        audit.Should().BeEquivalentTo(new
        {
            ActorId = (Guid?)moderatorId, Action = Decisions.Hide, Reason = HideReasons.Insult, Note = "Bitte bleiben Sie sachlich.",
            PreviousState = CommentStates.Visible, NewState = CommentStates.Hidden, DecisionId = (Guid?)decided.DecisionId,
        });
        var comment = (await fx.CommentAsync(posted.CommentId))!;
        comment.InQueue.Should().BeFalse();
        comment.Reports.Should().OnlyContain(r => r.ResolvedByDecisionId == decided.DecisionId);
    }

    [Fact]
    public async Task Decide_OnAnOlderVersion_ReturnsConflict()
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());
        var hide = new { decision = "hide", version = 0, reason = HideReasons.Spam, noteToAuthor = "Werbung ist hier nicht erlaubt." };
        (await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, hide)).EnsureSuccessStatusCode();

        // A second moderator still looking at version 0:
        var late = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "approve", version = 0 });
        late.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await CodeOfAsync(late)).Should().Be("decided-meanwhile");
        var again = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, hide with { version = 1 });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict, "it is hidden already");
        (await CodeOfAsync(again)).Should().Be("comment-already-hidden");
        var restore = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "restore", version = 1 });
        (await ModerationFixture.ReadAsync<DecisionResponseDto>(restore)).State.Should().Be(CommentStates.Visible);

        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(2);
        (await fx.InDbAsync(db => db.AuditLog.CountAsync(a => a.CommentId == posted.CommentId))).Should().Be(2);
    }

    [Fact]
    public async Task Decide_ConcurrentlyOnTheSameVersion_OnlyOneWins()
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());
        var body = new { decision = "hide", version = 0, reason = HideReasons.OffTopic, noteToAuthor = "Nicht zum Thema." };

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, body)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(3);
        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(1);
    }

    [Theory]
    [InlineData("""{"decision":"hide","version":0,"reason":"insult"}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"decision":"hide","version":0,"reason":"rude","noteToAuthor":"x"}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"decision":"approve","version":0,"reason":"insult"}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"decision":"hide","version":0,"reason":"spam","noteToAuthor":"x","blockAuthor":{"days":0,"justification":"x"}}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"decision":"delete","version":0}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"decision":"approve"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"decision":"approve","version":0,"extra":1}""", HttpStatusCode.BadRequest)]
    public async Task Decide_InvalidRequest_IsRejected(string json, HttpStatusCode expected)
    {
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid());

        var response = await fx.Factory.Moderator().PostAsync($"/queue/{posted.CommentId}/decision",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(expected);
        (await fx.CommentAsync(posted.CommentId))!.Version.Should().Be(0);
    }

    [Fact]
    public async Task Decide_UnknownCommentOrOwnComment_IsRefused()
    {
        var moderatorId = Guid.NewGuid();
        var moderator = fx.Factory.ClientFor(moderatorId, ["moderator"]);
        var unknown = await ModerationFixture.DecideAsync(moderator, Guid.NewGuid(), new { decision = "approve", version = 0 });
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await CodeOfAsync(unknown)).Should().Be("comment-unknown");

        var own = await fx.QueuedCommentAsync(Guid.NewGuid(), authorId: moderatorId);
        var refused = await ModerationFixture.DecideAsync(moderator, own.CommentId, new { decision = "approve", version = 0 });
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await CodeOfAsync(refused)).Should().Be("own-comment");
    }

    /// <summary>The problem's stable code (every refusal has one, specific to its cause).</summary>
    private static async Task<string?> CodeOfAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("code").GetString();
    }

    [Fact]
    public async Task Decide_WithBlockAuthor_SendsBlockUserToIdentity()
    {
        var authorId = Guid.NewGuid();
        var posted = await fx.QueuedCommentAsync(Guid.NewGuid(), "Noch ein Beitrag.", authorId);
        var moderatorId = Guid.NewGuid();

        var response = await ModerationFixture.DecideAsync(fx.Factory.ClientFor(moderatorId, ["moderator"]), posted.CommentId, new
        {
            decision = "hide", version = 0, reason = HideReasons.Insult, noteToAuthor = "Beleidigungen sind nicht erlaubt.",
            blockAuthor = new { days = 7, justification = "Wiederholte Beleidigungen" },
        });

        var decided = await ModerationFixture.ReadAsync<DecisionResponseDto>(response);
        decided.AuthorBlockedUntil.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(1));
        var block = await fx.Tap.WaitForAsync(BrokerTap.BlockUserExchange, m => m.GetProperty("userId").GetGuid() == authorId);
        block.GetProperty("moderatorId").GetGuid().Should().Be(moderatorId);
        block.GetProperty("decisionId").GetGuid().Should().Be(decided.DecisionId);
        block.GetProperty("reason").GetString().Should().Be("Wiederholte Beleidigungen");
        block.GetProperty("until").GetDateTimeOffset().Should().BeCloseTo(decided.AuthorBlockedUntil!.Value, TimeSpan.FromSeconds(1));
        (await fx.InDbAsync(db => db.AuditLog.Where(a => a.CommentId == posted.CommentId).Select(a => a.Action).ToListAsync()))
            .Should().BeEquivalentTo([Decisions.Hide, AuditActions.BlockAuthor]);
    }
}
