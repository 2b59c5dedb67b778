using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Mitreden.Comments.Contracts;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Identity.Contracts;
using Mitreden.Moderation.Contracts;
using Mitreden.Proposals.Api.Features.Announcements;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.ServiceDefaults.Time;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// Event reminders the day before (Proposals' EventScheduled/EventCancelled through the real broker, the reminder job
/// on a <see cref="FakeTimeProvider"/>), replies released by a moderator's approval, and the cleanup of old rows.
/// The events lie days ahead, so the service's own reminder job (on the real clock) leaves them alone.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class EventReminderTests(IdentityFixture fixture)
{
    private const int DigestHour = 7;
    private readonly NotificationDriver notify = new(fixture);

    private IBus Bus => notify.Bus;

    [Fact]
    public async Task Reminder_TheDayBefore_OnlyFollowersWhoMaySee_OnceEvenIfRunTwiceOrRedelivered()
    {
        var follower = await fixture.CreateAccountAsync("Folgende");
        var bystander = await fixture.CreateAccountAsync("Unbeteiligt");
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(follower, process);
        var starts = BerlinDaysAhead(10, 18);
        var scheduled = Scheduled(process, starts, "Bürgerforum Marktplatz");
        await Bus.Publish(scheduled);
        await RowAsync(scheduled.EventId, e => e.Revision == 0);

        var remindAt = EventReminderSchedule.RemindAt(starts, DigestHour);
        var local = CityTime.ToLocal(remindAt);
        (local.Hour, CityTime.DateOf(remindAt)).Should().Be((DigestHour, CityTime.DateOf(starts).AddDays(-1)), "the day before, 7:00 Berlin time");

        await Job(remindAt.AddMinutes(-1)).RemindDueAsync(default);
        (await RemindersAsync(scheduled.EventId, starts)).Should().BeEmpty("not yet the day before");

        await Job(remindAt.AddMinutes(1)).RemindDueAsync(default);
        await Job(remindAt.AddMinutes(2)).RemindDueAsync(default); // a second run, or a second instance
        await Bus.Publish(scheduled); // delivered again
        await RowAsync(scheduled.EventId, e => e.RemindedFor == starts);
        await Job(remindAt.AddMinutes(3)).RemindDueAsync(default);

        var rows = await RemindersAsync(scheduled.EventId, starts);
        rows.Should().ContainSingle().Which.RecipientId.Should().Be(follower.Id);
        rows[0].Digest.Should().BeFalse("event reminders come at once by default");

        await MakeDueAsync(scheduled.EventId, starts);
        var mail = await notify.NextMailAsync(follower.Email, "Erinnerung an eine Veranstaltung");
        mail.Body.Should().Contain("Bürgerforum Marktplatz").And.Contain(CityTime.FormatGerman(starts)).And.Contain("Rathaus Mitte")
            .And.Contain($"/prozesse/{process}/veranstaltungen/{scheduled.EventId}").And.Contain("Reminder");
        mail.Headers["List-Unsubscribe"].Should().Contain("/api/identity/notifications/unsubscribe?token=");
        await notify.WaitForMarkerAsync(follower);
        fixture.MailsTo(follower.Email).Count(m => m.Subject.Contains("Erinnerung an eine Veranstaltung")).Should().Be(1);
        fixture.MailsTo(bystander.Email).Should().NotContain(m => m.Subject.Contains("Erinnerung"));
    }

    [Fact]
    public async Task Reminder_MovedEvent_RemindsAtTheNewDate_AndAnUnsentReminderOfTheOldDateIsDropped()
    {
        var follower = await fixture.CreateAccountAsync();
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(follower, process);
        var first = BerlinDaysAhead(12, 19);
        var second = BerlinDaysAhead(14, 10);
        var third = BerlinDaysAhead(17, 10);
        var scheduled = Scheduled(process, first);
        await Bus.Publish(scheduled);
        await RowAsync(scheduled.EventId, e => e.Revision == 0);

        // Moved before the reminder: nothing at the old date, the reminder at the new one.
        await Bus.Publish(scheduled with { StartsAt = second, EndsAt = second.AddHours(2), Revision = 1 });
        await RowAsync(scheduled.EventId, e => e.Revision == 1);
        await Job(EventReminderSchedule.RemindAt(first, DigestHour).AddMinutes(1)).RemindDueAsync(default);
        (await RemindersAsync(scheduled.EventId, first)).Should().BeEmpty();
        await Job(EventReminderSchedule.RemindAt(second, DigestHour).AddMinutes(1)).RemindDueAsync(default);
        (await RemindersAsync(scheduled.EventId, second)).Should().ContainSingle(n => n.SentAt == null);

        // An older revision arriving late changes nothing; a newer one moves the event again: the reminder not mailed
        // yet is settled as obsolete, and the new date gets its own.
        await Bus.Publish(scheduled);
        await Bus.Publish(scheduled with { StartsAt = third, EndsAt = third.AddHours(2), Revision = 2 });
        await RowAsync(scheduled.EventId, e => e.Revision == 2 && e.StartsAt == third);
        (await RemindersAsync(scheduled.EventId, second)).Should().ContainSingle().Which.Outcome.Should().Be(EventCopy.Obsolete);
        await Job(EventReminderSchedule.RemindAt(third, DigestHour).AddMinutes(1)).RemindDueAsync(default);
        (await RemindersAsync(scheduled.EventId, third)).Should().ContainSingle(n => n.RecipientId == follower.Id && n.SentAt == null);
    }

    [Fact]
    public async Task Reminder_CancelledOrDeletedEvent_NoReminder_EvenIfScheduledArrivesLate()
    {
        var follower = await fixture.CreateAccountAsync();
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(follower, process);
        var starts = BerlinDaysAhead(20, 18);
        var cancelled = Scheduled(process, starts);
        var deleted = Scheduled(process, starts);
        await Bus.Publish(cancelled);
        await RowAsync(cancelled.EventId, e => e.Revision == 0);
        await Bus.Publish(new EventCancelled(cancelled.EventId, process, false, DateTimeOffset.UtcNow));
        await Bus.Publish(new EventCancelled(deleted.EventId, process, true, DateTimeOffset.UtcNow)); // before its scheduling arrives
        await RowAsync(deleted.EventId, e => e.Cancelled);
        await Bus.Publish(deleted with { Revision = 3 });
        await Bus.Publish(cancelled with { Revision = 5 });
        await RowAsync(cancelled.EventId, e => e.Cancelled);

        await Job(EventReminderSchedule.RemindAt(starts, DigestHour).AddMinutes(1)).RemindDueAsync(default);

        (await RemindersAsync(cancelled.EventId, starts)).Should().BeEmpty();
        (await RemindersAsync(deleted.EventId, starts)).Should().BeEmpty();
        (await fixture.InDbAsync(db => db.UpcomingEvents.SingleAsync(e => e.EventId == deleted.EventId))).Cancelled.Should().BeTrue();
    }

    [Fact]
    public async Task Reminder_EventOfAnInternalPhase_OnlyStaffFollowers()
    {
        var citizen = await fixture.CreateAccountAsync("Bürgerin");
        var staff = await fixture.CreateAccountAsync("Verwaltung", true, Roles.Staff);
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(citizen, process);
        await notify.FollowAsync(staff, process);
        var phase = Guid.NewGuid();
        await Bus.Publish(new PhaseVisibilityChanged(process, phase, ProcessVisibilities.Internal, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.PhaseAudiences.AnyAsync(a => a.PhaseId == phase))).Should().BeTrue());
        var starts = BerlinDaysAhead(22, 9);
        var scheduled = Scheduled(process, starts) with { PhaseId = phase };
        await Bus.Publish(scheduled);
        await RowAsync(scheduled.EventId, e => e.Revision == 0);

        await Job(EventReminderSchedule.RemindAt(starts, DigestHour).AddMinutes(1)).RemindDueAsync(default);

        (await RemindersAsync(scheduled.EventId, starts)).Should().ContainSingle().Which.RecipientId.Should().Be(staff.Id);
    }

    [Fact]
    public async Task Reminder_KindOff_NoRow()
    {
        var follower = await fixture.CreateAccountAsync();
        var put = await fixture.WithToken(follower.Tokens.AccessToken).PutAsync("/account/me/notification-settings",
            new StringContent("""{"settings":{"event":"off"}}""", System.Text.Encoding.UTF8, "application/json"));
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var process = await notify.PublicProcessAsync();
        await notify.FollowAsync(follower, process);
        var starts = BerlinDaysAhead(24, 18);
        var scheduled = Scheduled(process, starts);
        await Bus.Publish(scheduled);
        await RowAsync(scheduled.EventId, e => e.Revision == 0);

        await Job(EventReminderSchedule.RemindAt(starts, DigestHour).AddMinutes(1)).RemindDueAsync(default);

        (await RemindersAsync(scheduled.EventId, starts)).Should().BeEmpty();
    }

    [Fact]
    public async Task HeldReply_ParentAuthorMailedOnceWhenAModeratorApprovesIt_NotBefore()
    {
        var parentAuthor = await fixture.CreateAccountAsync("Elternbeitrag");
        var process = await notify.PublicProcessAsync();
        var held = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), process, Guid.NewGuid(), Guid.NewGuid(), "Erst nach Freigabe sichtbar.",
            Stances.Neutral, true, DateTimeOffset.UtcNow, parentAuthor.Id);
        await Bus.Publish(held);
        await Bus.Publish(held);
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.HeldReplies.AnyAsync(h => h.CommentId == held.CommentId))).Should().BeTrue());
        await notify.WaitForMarkerAsync(parentAuthor);
        fixture.MailsTo(parentAuthor.Email).Should().NotContain(m => m.Subject.Contains("Neue Antwort"), "held back until approved");

        var approve = new CommentModerated(Guid.NewGuid(), held.CommentId, Decisions.Approve, null, null, Guid.NewGuid(), DateTimeOffset.UtcNow,
            held.AuthorId);
        await Bus.Publish(approve);
        await Bus.Publish(approve); // delivered again
        await Bus.Publish(approve with { DecisionId = Guid.NewGuid() }); // a second approval of the same comment

        var mail = await notify.NextMailAsync(parentAuthor.Email, "Neue Antwort");
        mail.Body.Should().Contain("Erst nach Freigabe sichtbar.").And.Contain($"/inhalte/{held.ItemId}");
        await notify.WaitForMarkerAsync(parentAuthor);
        fixture.MailsTo(parentAuthor.Email).Count(m => m.Subject.Contains("Neue Antwort")).Should().Be(1);
        (await fixture.InDbAsync(db => db.Notifications.CountAsync(n => n.SourceId == held.CommentId && n.Kind == NotificationKinds.Reply))).Should().Be(1);
        (await fixture.InDbAsync(db => db.HeldReplies.AnyAsync(h => h.CommentId == held.CommentId))).Should().BeFalse();
    }

    [Fact]
    public async Task Cleanup_OldSentRowsAndDedupeRecordsGo_RecentAndUnsentStay()
    {
        var person = await fixture.CreateAccountAsync();
        var now = DateTimeOffset.UtcNow;
        Notification Row(DateTimeOffset created, DateTimeOffset? sent) => new()
        {
            RecipientId = person.Id, Kind = NotificationKinds.News, SourceId = Guid.NewGuid(), Title = "Alt", LinkPath = "/",
            CreatedAt = created, DueAt = created, SentAt = sent, Outcome = sent is null ? null : NotificationSender.Sent,
        };
        var oldSent = Row(now.AddDays(-100), now.AddDays(-95));
        var oldSettled = Row(now.AddDays(-100), now.AddDays(-91));
        oldSettled.Outcome = EventCopy.Obsolete;
        var recentSent = Row(now.AddDays(-10), now.AddDays(-9));
        var oldUnsent = Row(now.AddDays(-100), null);
        var oldMessage = new ProcessedMessage { Consumer = "cleanup-test", MessageId = Guid.NewGuid(), ProcessedAt = now.AddDays(-91) };
        var recentMessage = new ProcessedMessage { Consumer = "cleanup-test", MessageId = Guid.NewGuid(), ProcessedAt = now.AddDays(-89) };
        await fixture.InDbAsync(async db =>
        {
            db.Notifications.AddRange(oldSent, oldSettled, recentSent, oldUnsent);
            db.Set<ProcessedMessage>().AddRange(oldMessage, recentMessage);
            return await db.SaveChangesAsync();
        });

        var result = await fixture.Factory.Services.GetRequiredService<NotificationCleanup>().RunOnceAsync(default);

        result.Notifications.Should().BeGreaterThanOrEqualTo(2);
        var left = await fixture.InDbAsync(db => db.Notifications.Where(n => n.RecipientId == person.Id).Select(n => n.Id).ToListAsync());
        left.Should().BeEquivalentTo([recentSent.Id, oldUnsent.Id], "sent or settled rows older than 90 days go; recent and unsent ones stay");
        var messages = await fixture.InDbAsync(db => db.Set<ProcessedMessage>().Where(m => m.Consumer == "cleanup-test").Select(m => m.MessageId).ToListAsync());
        messages.Should().BeEquivalentTo([recentMessage.MessageId]);
    }

    [Fact]
    public async Task Reannouncement_ProcessOlderThanTheCopy_FillsIdentitysCopy_Idempotently()
    {
        var created = await fixture.Proposals.Staff().PostAsJsonAsync("/processes",
            new { title = "Altbestand " + Guid.NewGuid().ToString("N")[..6], description = "Test", city = "Teststadt" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var process = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.AssertAsync(async () =>
            (await fixture.InDbAsync(db => db.ProcessAudiences.AnyAsync(a => a.ProcessId == process))).Should().BeTrue());
        // A deployment from before Identity kept a copy: it has never heard of the process.
        await fixture.InDbAsync(db => db.ProcessAudiences.Where(a => a.ProcessId == process).ExecuteDeleteAsync());
        var person = await fixture.CreateAccountAsync();
        var client = fixture.WithToken(person.Tokens.AccessToken);
        (await client.PutAsync($"/account/me/follows/{process}", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var scopes = fixture.Proposals.Services.GetRequiredService<IServiceScopeFactory>();
        await Reannouncement.AnnounceAllAsync(scopes, TimeProvider.System, DateTimeOffset.UtcNow, default);
        await Reannouncement.AnnounceAllAsync(scopes, TimeProvider.System, DateTimeOffset.UtcNow, default);

        await Eventually.AssertAsync(async () =>
            (await client.PutAsync($"/account/me/follows/{process}", null)).StatusCode.Should().Be(HttpStatusCode.OK));
        var copies = await fixture.InDbAsync(db => db.ProcessAudiences.AsNoTracking().Where(a => a.ProcessId == process).ToListAsync());
        copies.Should().ContainSingle().Which.Visibility.Should().Be(ProcessVisibilities.Public);
    }

    [Theory]
    [InlineData("2026-03-29T10:00:00+02:00", "2026-03-28T06:00:00Z")] // the day of the switch to summer time
    [InlineData("2026-03-30T00:30:00+02:00", "2026-03-29T05:00:00Z")] // just after midnight: the day before is the switch day
    [InlineData("2026-10-25T18:00:00+01:00", "2026-10-24T05:00:00Z")]
    [InlineData("2026-12-08T18:00:00+01:00", "2026-12-07T06:00:00Z")]
    public void RemindAt_SevenOClockBerlinOnTheDayBefore(string starts, string expected) =>
        EventReminderSchedule.RemindAt(DateTimeOffset.Parse(starts, System.Globalization.CultureInfo.InvariantCulture), DigestHour)
            .Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void SourceOf_SameEventAndStart_Same_OtherStart_Other()
    {
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        EventReminderSchedule.SourceOf(id, at).Should().Be(EventReminderSchedule.SourceOf(id, at.ToOffset(TimeSpan.FromHours(1))));
        EventReminderSchedule.SourceOf(id, at).Should().NotBe(EventReminderSchedule.SourceOf(id, at.AddMinutes(30)));
        EventReminderSchedule.SourceOf(id, at).Should().NotBe(EventReminderSchedule.SourceOf(Guid.NewGuid(), at));
    }

    private EventReminderJob Job(DateTimeOffset now) =>
        ActivatorUtilities.CreateInstance<EventReminderJob>(fixture.Factory.Services, (TimeProvider)new FakeTimeProvider(now));

    /// <summary>A wall-clock hour in Berlin some days from today.</summary>
    private static DateTimeOffset BerlinDaysAhead(int days, int hour)
    {
        var day = CityTime.DateOf(DateTimeOffset.UtcNow).AddDays(days);
        return CityTime.At(day.Year, day.Month, day.Day, hour).ToUniversalTime();
    }

    private static EventScheduled Scheduled(Guid process, DateTimeOffset starts, string title = "Werkstatt Innenstadt") =>
        new(Guid.NewGuid(), process, null, title, starts, starts.AddHours(2), "Rathaus Mitte", false, 0, DateTimeOffset.UtcNow);

    private Task RowAsync(Guid eventId, Func<UpcomingEvent, bool> condition) =>
        Eventually.TrueAsync(async () =>
            await fixture.InDbAsync(db => db.UpcomingEvents.AsNoTracking().SingleOrDefaultAsync(e => e.EventId == eventId)) is { } row
            && condition(row), NotificationDriver.MailWait, $"event {eventId} not as expected");

    private Task<List<Notification>> RemindersAsync(Guid eventId, DateTimeOffset starts)
    {
        var source = EventReminderSchedule.SourceOf(eventId, starts);
        return fixture.InDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKinds.Event && n.SourceId == source).ToListAsync());
    }

    private Task MakeDueAsync(Guid eventId, DateTimeOffset starts)
    {
        var source = EventReminderSchedule.SourceOf(eventId, starts);
        return fixture.InDbAsync(db => db.Notifications.Where(n => n.SourceId == source)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.DueAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
    }
}
