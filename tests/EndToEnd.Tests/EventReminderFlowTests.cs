using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.ServiceDefaults.Time;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>
/// An event reminder end to end: staff create an event in Proposals (EventScheduled through the outbox and RabbitMQ),
/// Identity's reminder job writes the reminder for the process's followers and mails it to smtp4dev.
/// </summary>
public sealed class EventReminderFlowTests
{
    [Fact]
    public async Task CitizenFollowingTheProcess_ReceivesTheReminderMail_TheDayBefore()
    {
        using var staff = await Arrange.AdminAsync();
        var (processId, _) = await Arrange.OpenProcessWithMeasureAsync(staff);
        var (citizen, email, _) = await Arrange.NewCitizenAsync();
        using var _citizen = citizen;
        await StackClient.ConfirmEmailAsync(email);
        // Identity knows the process from Proposals' ProcessVisibilityChanged.
        await Eventually.AssertAsync(async () =>
            (await citizen.PutAsync($"/api/identity/account/me/follows/{processId}", null)).StatusCode.Should().Be(HttpStatusCode.OK),
            TimeSpan.FromSeconds(30));

        // Tomorrow evening in Berlin: after 7:00 today is the day before, and the reminder is due at once. Before 7:00
        // the real clock has not reached it yet, so the event starts in three hours (its day before has passed).
        var berlin = CityTime.ToLocal(DateTimeOffset.UtcNow);
        var tomorrow = berlin.Date.AddDays(1);
        var starts = berlin.Hour >= 7
            ? CityTime.At(tomorrow.Year, tomorrow.Month, tomorrow.Day, 18).ToUniversalTime()
            : DateTimeOffset.UtcNow.AddHours(3);
        var title = "Bürgerwerkstatt " + Guid.NewGuid().ToString("N")[..6];
        var created = await StackClient.Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/events",
            new { title, startsAt = starts, endsAt = starts.AddHours(2), place = "Rathaus, Saal 1" }), HttpStatusCode.Created);
        var eventId = created.GetProperty("id").GetGuid();

        var mailbox = Mailbox.OfStack;
        Mailbox.Mail? reminder = null;
        await Eventually.TrueAsync(() =>
        {
            reminder = mailbox.To(email).FirstOrDefault(m => m.Subject.Contains("Erinnerung an eine Veranstaltung") && m.Body.Contains(title));
            return Task.FromResult(reminder is not null);
        }, TimeSpan.FromSeconds(60), "no event reminder mail");
        reminder!.Body.Should().Contain(CityTime.FormatGerman(starts)).And.Contain("Rathaus, Saal 1")
            .And.Contain($"/prozesse/{processId}/veranstaltungen/{eventId}");
        reminder.Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        await Task.Delay(TimeSpan.FromSeconds(3));
        mailbox.To(email).Count(m => m.Body.Contains(title)).Should().Be(1, "one reminder per person and event");
    }
}
