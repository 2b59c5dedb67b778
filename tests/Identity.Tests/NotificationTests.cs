using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Identity.Contracts;
using Mitreden.Moderation.Contracts;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using Mitreden.Voting.Contracts;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// Notifications from other services' events, through the real broker, into the notifications table and out as mails
/// in the pickup folder (read with MimeKit).
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class NotificationTests(IdentityFixture fixture)
{
    private readonly NotificationDriver notify = new(fixture);

    private IBus Bus => notify.Bus;

    [Fact]
    public async Task Reply_DeliveredTwice_OneNotificationAndOneMailWithUnsubscribeHeaders()
    {
        var author = await fixture.CreateAccountAsync("Antje Autorin");
        var process = await notify.PublicProcessAsync();
        var reply = Reply(process, author.Id, "Gute Idee, aber wer bezahlt das?");

        await Bus.Publish(reply);
        await Bus.Publish(reply); // a new message id, the same comment
        var mail = await notify.NextMailAsync(author.Email, "Neue Antwort");
        await notify.WaitForMarkerAsync(author);

        fixture.MailsTo(author.Email).Count(m => m.Subject.Contains("Neue Antwort")).Should().Be(1);
        (await fixture.InDbAsync(db => db.Notifications.CountAsync(n => n.RecipientId == author.Id && n.SourceId == reply.CommentId))).Should().Be(1);
        mail.Body.Should().Contain("Gute Idee, aber wer bezahlt das?").And.Contain($"/inhalte/{reply.ItemId}").And.Contain("Someone replied");
        mail.Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        mail.Headers["List-Unsubscribe"].Should().StartWith("<http").And.Contain("/api/identity/notifications/unsubscribe?token=");
    }

    [Fact]
    public async Task Reply_ToOwnCommentOrHeldForReview_NoNotification()
    {
        var author = await fixture.CreateAccountAsync();
        var process = await notify.PublicProcessAsync();
        var own = Reply(process, author.Id) with { AuthorId = author.Id };
        var held = Reply(process, author.Id) with { AwaitingReview = true };

        await Bus.Publish(own);
        await Bus.Publish(held);
        await notify.WaitForMarkerAsync(author);

        fixture.MailsTo(author.Email).Should().NotContain(m => m.Subject.Contains("Neue Antwort"));
    }

    [Fact]
    public async Task Settings_ReplyOff_NoMailAndNoRow()
    {
        var author = await fixture.CreateAccountAsync();
        var client = fixture.WithToken(author.Tokens.AccessToken);
        var put = await client.PutAsJsonAsync("/account/me/notification-settings", new { settings = new Dictionary<string, string> { ["reply"] = "off" } });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var process = await notify.PublicProcessAsync();

        var reply = Reply(process, author.Id);
        await Bus.Publish(reply);
        await notify.WaitForMarkerAsync(author);

        fixture.MailsTo(author.Email).Should().NotContain(m => m.Subject.Contains("Neue Antwort"));
        (await fixture.InDbAsync(db => db.Notifications.AnyAsync(n => n.SourceId == reply.CommentId))).Should().BeFalse();
    }

    [Fact]
    public async Task Settings_Get_DefaultsForEveryKind()
    {
        var person = await fixture.CreateAccountAsync();
        var settings = await fixture.WithToken(person.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/account/me/notification-settings");

        var modes = settings.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("kind").GetString()!, s => s.GetProperty("mode").GetString());
        modes.Should().Equal(new Dictionary<string, string?>
        {
            ["reply"] = "immediate", ["moderation"] = "immediate", ["ballot"] = "immediate",
            ["phase"] = "digest", ["results"] = "digest", ["news"] = "digest", ["event"] = "immediate",
        });
        settings.GetProperty("emailConfirmed").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"settings":{"surveys":"immediate"}}""", 422)]
    [InlineData("""{"settings":{"reply":"weekly"}}""", 422)]
    [InlineData("""{"settings":{"reply":"off","surveys":"off"}}""", 422)]
    [InlineData("""{"settings":{}}""", 422)]
    [InlineData("""{}""", 400)] // the strict JSON reader: a missing member
    [InlineData("""{"settings":{"reply":null}}""", 422)]
    public async Task Settings_BadInput_4xxAndNothingStored(string body, int expected)
    {
        var person = await fixture.CreateAccountAsync();
        var response = await fixture.WithToken(person.Tokens.AccessToken).PutAsync("/account/me/notification-settings",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).Should().Be(expected, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await fixture.InDbAsync(db => db.NotificationSettings.AnyAsync(s => s.UserId == person.Id))).Should().BeFalse("nothing is stored, not even the valid part");
    }

    [Fact]
    public async Task Follow_UnknownOrHiddenProcess_404()
    {
        var person = await fixture.CreateAccountAsync();
        var client = fixture.WithToken(person.Tokens.AccessToken);
        var hidden = Guid.NewGuid();
        await Bus.Publish(new ProcessVisibilityChanged(hidden, ProcessVisibilities.Members, [Guid.NewGuid()], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.ProcessAudiences.AnyAsync(a => a.ProcessId == hidden))).Should().BeTrue());

        (await client.PutAsync($"/account/me/follows/{Guid.NewGuid()}", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.PutAsync($"/account/me/follows/{hidden}", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetFromJsonAsync<JsonElement>("/account/me/follows")).GetProperty("processIds").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task BallotOpened_OnlyFollowersWhoMaySeeTheProcessAreMailed()
    {
        var member = await fixture.CreateAccountAsync("Mitglied");
        var outsider = await fixture.CreateAccountAsync("Außenstehend");
        var notFollowing = await fixture.CreateAccountAsync("Unbeteiligt");
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(member, process);
        await notify.FollowAsync(outsider, process);
        // Staff make the process members-only after both followed.
        await Bus.Publish(new ProcessVisibilityChanged(process, ProcessVisibilities.Members, [member.Id], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.ProcessAudiences.SingleAsync(a => a.ProcessId == process))).Visibility.Should().Be("members"));

        var ballot = new BallotOpened(Guid.NewGuid(), process, null, "Welche Bank für den Marktplatz?", "approval",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7));
        await Bus.Publish(ballot);

        var mail = await notify.NextMailAsync(member.Email, "Neue Abstimmung");
        mail.Body.Should().Contain("Welche Bank für den Marktplatz?").And.Contain($"/abstimmungen/{ballot.BallotId}");
        await notify.WaitForMarkerAsync(outsider);
        fixture.MailsTo(outsider.Email).Should().NotContain(m => m.Subject.Contains("Neue Abstimmung"));
        fixture.MailsTo(notFollowing.Email).Should().NotContain(m => m.Subject.Contains("Neue Abstimmung"));
    }

    [Fact]
    public async Task BallotOpened_InAnInternalPhase_OnlyStaffFollowersAreMailed()
    {
        var citizen = await fixture.CreateAccountAsync("Bürgerin");
        var staff = await fixture.CreateAccountAsync("Verwaltung", true, Roles.Staff);
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(citizen, process);
        await notify.FollowAsync(staff, process);
        // Staff make one phase of the public process internal (a workshop of the administration).
        var phase = Guid.NewGuid();
        await Bus.Publish(new PhaseVisibilityChanged(process, phase, ProcessVisibilities.Internal, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.PhaseAudiences.SingleAsync(a => a.PhaseId == phase))).Visibility.Should().Be("internal"));

        var ballot = new BallotOpened(Guid.NewGuid(), process, phase, "Welche Werkstatt zuerst?", "approval",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7));
        await Bus.Publish(ballot);

        (await notify.NextMailAsync(staff.Email, "Neue Abstimmung")).Body.Should().Contain("Welche Werkstatt zuerst?");
        await notify.WaitForMarkerAsync(citizen);
        fixture.MailsTo(citizen.Email).Should().NotContain(m => m.Subject.Contains("Neue Abstimmung"),
            "a citizen following the process hears nothing of an internal phase");
        (await fixture.InDbAsync(db => db.Notifications.CountAsync(n => n.RecipientId == citizen.Id && n.SourceId == ballot.BallotId)))
            .Should().Be(0);
    }

    [Fact]
    public async Task Digest_PhaseAndNews_OneMailAtTheDigestHour()
    {
        var person = await fixture.CreateAccountAsync();
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(person, process);
        var phase = new PhaseStarted(process, Guid.NewGuid(), "Ideen sammeln", "ideas", new PhaseSwitches(true, true, false, false, false),
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
        var news = new NewsPostPublished(process, Guid.NewGuid(), "Bürgerforum am Freitag", DateTimeOffset.UtcNow);
        await Bus.Publish(phase);
        await Bus.Publish(news);

        var rows = await Eventually.ValueAsync(
            () => fixture.InDbAsync(db => db.Notifications.Where(n => n.RecipientId == person.Id).ToListAsync()), r => r.Count == 2);
        rows.Should().HaveCount(2).And.OnlyContain(n => n.Digest && n.SentAt == null);
        rows.Select(n => n.DueAt).Distinct().Should().ContainSingle()
            .Which.Should().BeCloseTo(DigestSchedule.NextAfter(rows[0].CreatedAt, 7), TimeSpan.FromSeconds(1));
        fixture.MailsTo(person.Email).Should().NotContain(m => m.Subject.Contains("Zusammenfassung"), "the digest waits for its hour");

        // The digest hour comes.
        await fixture.InDbAsync(db => db.Notifications.Where(n => n.RecipientId == person.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.DueAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        var mail = await notify.NextMailAsync(person.Email, "Zusammenfassung");
        mail.Body.Should().Contain("Ideen sammeln").And.Contain("Bürgerforum am Freitag").And.Contain("Your daily Mitreden digest");
        await notify.WaitForMarkerAsync(person);
        fixture.MailsTo(person.Email).Count(m => m.Subject.Contains("Zusammenfassung")).Should().Be(1);
    }

    [Fact]
    public async Task Unsubscribe_GetShowsFormOnly_PostTurnsKindOff_ForgedTokenIs400()
    {
        var author = await fixture.CreateAccountAsync();
        var process = await notify.PublicProcessAsync();
        await Bus.Publish(Reply(process, author.Id));
        var mail = await notify.NextMailAsync(author.Email, "Neue Antwort");
        var link = mail.Headers["List-Unsubscribe"]!.Trim('<', '>');
        var path = new Uri(link).PathAndQuery.Replace("/api/identity", "");
        var anonymous = fixture.Anonymous();

        var page = await anonymous.GetAsync(path);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<form method=\"post\"");
        (await ModeAsync(author.Id, "reply")).Should().BeNull("a GET (a mail scanner following the link) changes nothing");

        var post = await anonymous.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        post.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ModeAsync(author.Id, "reply")).Should().Be("off");
        (await ModeAsync(author.Id, "ballot")).Should().BeNull("only the mail's kind is turned off");

        var token = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["token"]!;
        var forged = "/notifications/unsubscribe?token=" + token[..^4] + (token.EndsWith("AAAA") ? "BBBB" : "AAAA");
        var forgedPost = await anonymous.PostAsync(forged, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        forgedPost.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        forgedPost.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await anonymous.GetAsync(forged)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await anonymous.PostAsync("/notifications/unsubscribe", null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Moderation_ModeratorDecision_MailedWithReasonAndNote_AutomaticHoldNot()
    {
        var author = await fixture.CreateAccountAsync();
        var hold = new CommentModerated(Guid.NewGuid(), Guid.NewGuid(), Decisions.HoldForReview, null, "wird geprüft", null, DateTimeOffset.UtcNow, author.Id);
        await Bus.Publish(hold);
        var hide = new CommentModerated(Guid.NewGuid(), Guid.NewGuid(), Decisions.Hide, HideReasons.Insult, "Bitte sachlich bleiben.",
            Guid.NewGuid(), DateTimeOffset.UtcNow, author.Id);
        await Bus.Publish(hide);

        var mail = await notify.NextMailAsync(author.Email, "Moderation");
        mail.Body.Should().Contain("ausgeblendet").And.Contain("Beleidigung").And.Contain("Bitte sachlich bleiben.");
        (await fixture.InDbAsync(db => db.Notifications.AnyAsync(n => n.SourceId == hold.DecisionId))).Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(6, 7)]
    [InlineData(8, 7)]
    public void DigestSchedule_NextAfter_IsTheNextSevenOClockInBerlin(int berlinHour, int digestHour)
    {
        foreach (var day in new[] { new DateTime(2026, 1, 15), new DateTime(2026, 7, 15), new DateTime(2026, 3, 28), new DateTime(2026, 10, 24) })
        {
            var now = Mitreden.ServiceDefaults.Time.CityTime.At(day.Year, day.Month, day.Day, berlinHour, 30);
            var next = DigestSchedule.NextAfter(now, digestHour);
            var local = Mitreden.ServiceDefaults.Time.CityTime.ToLocal(next);
            local.Hour.Should().Be(digestHour);
            local.Minute.Should().Be(0);
            (next > now).Should().BeTrue();
            (next - now).Should().BeLessThanOrEqualTo(TimeSpan.FromHours(25));
        }
    }

    private async Task<string?> ModeAsync(Guid userId, string kind) =>
        await fixture.InDbAsync(db => db.NotificationSettings.Where(s => s.UserId == userId && s.Kind == kind).Select(s => s.Mode).SingleOrDefaultAsync());

    private static CommentPosted Reply(Guid process, Guid parentAuthor, string text = "Eine Antwort") =>
        new(Guid.NewGuid(), Guid.NewGuid(), process, Guid.NewGuid(), Guid.NewGuid(), text, Stances.Neutral, false, DateTimeOffset.UtcNow, parentAuthor);
}
