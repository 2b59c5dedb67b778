using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Tests;

[Collection(ModerationCollection.Name)]
public sealed class ScreeningTests(ModerationFixture fx)
{
    [Fact]
    public async Task CommentPosted_WithDisguisedBadWord_IsFlaggedQueuedAndHeld()
    {
        var posted = await fx.PostAsync(Guid.NewGuid(), "Der Stadtrat ist ein V0LLID1OT!");

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.State == CommentStates.Held);
        comment.InQueue.Should().BeTrue();
        comment.Flags.Should().ContainSingle(f => f.Rule == ScreeningRuleNames.BadWords && f.Severity == "hold" && f.Detail == "vollidiot");

        var held = await fx.Tap.WaitForAsync(BrokerTap.CommentModeratedExchange,
            m => m.GetProperty("commentId").GetGuid() == posted.CommentId);
        held.GetProperty("decision").GetString().Should().Be(Decisions.HoldForReview);
        held.GetProperty("moderatorId").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        var audit = await fx.InDbAsync(db => db.AuditLog.SingleAsync(a => a.CommentId == posted.CommentId));
        audit.Action.Should().Be(Decisions.HoldForReview);
        audit.ActorId.Should().BeNull();
        audit.Details.Should().Be("trigger=screening:bad-words");
    }

    [Fact]
    public async Task CommentPosted_Clean_IsNotQueued()
    {
        var posted = await fx.PostAsync(Guid.NewGuid(), "Mehr Bäume am Marktplatz wären schön, z.B. Linden.");

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.TextHash != null);
        comment.InQueue.Should().BeFalse();
        comment.State.Should().Be(CommentStates.Visible);
        comment.Flags.Should().BeEmpty();
        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(0);
    }

    [Fact]
    public async Task CommentPosted_AwaitingReview_IsQueuedForPreModerationWithoutHold()
    {
        var processId = Guid.NewGuid();
        var posted = await fx.PostAsync(processId, "Ein ganz normaler Beitrag zur Mobilität.", awaitingReview: true);

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.InQueue);
        comment.State.Should().Be(CommentStates.AwaitingReview);
        comment.Flags.Should().BeEmpty();
        var page = await ModerationFixture.ReadAsync<QueuePageDto>(await fx.Factory.Moderator().GetAsync($"/processes/{processId}/queue"));
        page.Items.Should().ContainSingle().Which.AwaitingReview.Should().BeTrue();

        var response = await ModerationFixture.DecideAsync(fx.Factory.Moderator(), posted.CommentId, new { decision = "approve", version = 0 });
        (await ModerationFixture.ReadAsync<DecisionResponseDto>(response)).State.Should().Be(CommentStates.Visible);
        var approved = await fx.Tap.WaitForAsync(BrokerTap.CommentModeratedExchange, m => m.GetProperty("commentId").GetGuid() == posted.CommentId);
        approved.GetProperty("decision").GetString().Should().Be(Decisions.Approve);
        fx.Tap.CommentModerated(posted.CommentId).Should().ContainSingle("pre-moderation needs no automatic hold");
    }

    [Fact]
    public async Task CommentEdited_IntoBadWords_IsHeld()
    {
        var posted = await fx.PostAsync(Guid.NewGuid(), "Gute Idee mit dem Radweg.");
        await fx.WaitForCommentAsync(posted.CommentId, c => c.TextHash != null);

        await fx.Bus.Publish(new CommentEdited(posted.CommentId, posted.ItemId, posted.ProcessId, posted.AuthorId,
            "Gute Idee, du Arschloch.", DateTimeOffset.UtcNow));

        var comment = await fx.WaitForCommentAsync(posted.CommentId, c => c.State == CommentStates.Held);
        comment.Text.Should().Be("Gute Idee, du Arschloch.");
        comment.Flags.Should().ContainSingle(f => f.Rule == ScreeningRuleNames.BadWords);
    }

    [Fact]
    public async Task ProcessRules_EditedByStaff_ApplyOnlyToThatProcess()
    {
        var processId = Guid.NewGuid();
        var rules = Rules(words: ["Kuchen"], wordSeverity: "queue", maxLinks: 1);
        var put = await fx.Factory.Staff().PutAsJsonAsync($"/processes/{processId}/screening-rules", rules, ModerationFixture.Json);
        (await ModerationFixture.ReadAsync<ScreeningRulesViewDto>(put)).Source.Should().Be(RuleSources.Process);

        var cake = await fx.PostAsync(processId, "Ich bringe KUCHEN zum Workshop mit.");
        var links = await fx.PostAsync(processId, "Siehe https://example.org/a und www.beispiel.de/plan");
        var elsewhere = await fx.PostAsync(Guid.NewGuid(), "Ich bringe Kuchen zum Workshop mit.");

        var flaggedCake = await fx.WaitForCommentAsync(cake.CommentId, c => c.InQueue);
        flaggedCake.State.Should().Be(CommentStates.Visible, "severity 'queue' only queues");
        flaggedCake.Flags.Should().ContainSingle(f => f.Rule == ScreeningRuleNames.BadWords && f.Severity == "queue");
        (await fx.WaitForCommentAsync(links.CommentId, c => c.InQueue)).Flags.Should().ContainSingle(f => f.Rule == ScreeningRuleNames.Links);
        (await fx.WaitForCommentAsync(elsewhere.CommentId, c => c.TextHash != null)).InQueue.Should().BeFalse();

        var audit = await fx.InDbAsync(db => db.AuditLog.SingleAsync(a => a.ProcessId == processId && a.Action == AuditActions.ScreeningRulesUpdated));
        audit.Details.Should().Contain("Kuchen", "the audit keeps the rules as stored");
    }

    [Fact]
    public async Task ScreeningRules_Editing_IsForStaffAndValidated()
    {
        var processId = Guid.NewGuid();
        var url = $"/processes/{processId}/screening-rules";
        (await fx.Factory.Moderator().PutAsJsonAsync(url, Rules(), ModerationFixture.Json)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await fx.Factory.Staff().PutAsJsonAsync(url, Rules(maxLinks: -1), ModerationFixture.Json)).StatusCode
            .Should().Be(HttpStatusCode.UnprocessableEntity);
        (await fx.Factory.Staff().PutAsync(url, JsonContent.Create(new { words = new { enabled = true } })))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "a partial rule set is malformed");

        var view = await ModerationFixture.ReadAsync<ScreeningRulesViewDto>(await fx.Factory.Moderator().GetAsync(url));
        view.Source.Should().BeOneOf(RuleSources.Configuration, RuleSources.Global);
        view.Rules.Words.German.Should().Contain("arschloch");
        (await fx.Factory.Staff().DeleteAsync(url)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RepeatedTextAndPostingRate_AboveLimits_AreFlagged()
    {
        var processId = Guid.NewGuid();
        var rules = Rules(maxRepeatsByAnyone: 2, maxRepeatsByAuthor: 1, maxComments: 2);
        (await fx.Factory.Staff().PutAsJsonAsync($"/processes/{processId}/screening-rules", rules, ModerationFixture.Json))
            .EnsureSuccessStatusCode();
        var spammer = Guid.NewGuid();
        const string spam = "Jetzt unterschreiben für die Umgehungsstraße!!!";

        var first = await fx.PostAsync(processId, spam, spammer);
        var second = await fx.PostAsync(processId, "jetzt UNTERSCHREIBEN für die umgehungsstrasse", spammer);
        var third = await fx.PostAsync(processId, spam);
        var fourth = await fx.PostAsync(processId, "Ein anderer Text, aber vom selben Konto.", spammer);

        (await fx.WaitForCommentAsync(first.CommentId, c => c.TextHash != null)).InQueue.Should().BeFalse();
        (await fx.WaitForCommentAsync(second.CommentId, c => c.InQueue)).Flags.Select(f => f.Rule)
            .Should().BeEquivalentTo([ScreeningRuleNames.RepeatedTextByAuthor]);
        (await fx.WaitForCommentAsync(third.CommentId, c => c.InQueue)).Flags.Select(f => f.Rule)
            .Should().BeEquivalentTo([ScreeningRuleNames.RepeatedText]);
        (await fx.WaitForCommentAsync(fourth.CommentId, c => c.InQueue)).Flags.Select(f => f.Rule)
            .Should().BeEquivalentTo([ScreeningRuleNames.PostingRate]);
    }

    [Fact]
    public async Task CommentPosted_SameMessageTwice_IsScreenedOnce()
    {
        var posted = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, Guid.NewGuid(), "Du Idiot.",
            Stances.Contra, false, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        await fx.PublishAsync(posted, messageId);
        await fx.PublishAsync(posted, messageId);
        var againId = await fx.PublishAsync(posted);

        await fx.WaitUntilSettledAsync(messageId, messageId, againId);
        (await fx.CommentAsync(posted.CommentId))!.State.Should().Be(CommentStates.Held);
        (await fx.CommentAsync(posted.CommentId))!.Flags.Should().ContainSingle();
        (await fx.InDbAsync(db => db.Decisions.CountAsync(d => d.CommentId == posted.CommentId))).Should().Be(1);
        fx.Tap.CommentModerated(posted.CommentId).Should().ContainSingle("one hold is published, however often the comment arrives");
    }

    internal static object Rules(string[]? words = null, string wordSeverity = "hold", int maxLinks = 2, int maxRepeatsByAnyone = 5,
        int maxRepeatsByAuthor = 2, int maxComments = 10) => new
    {
        words = new { enabled = true, severity = wordSeverity, german = words ?? ["arschloch"], english = Array.Empty<string>() },
        links = new { enabled = true, severity = "queue", maxLinks },
        repeatedText = new { enabled = true, severity = "queue", maxRepeatsByAnyone, maxRepeatsByAuthor, windowMinutes = 60, minLength = 10 },
        postingRate = new { enabled = true, severity = "queue", maxComments, windowMinutes = 10 },
    };
}
