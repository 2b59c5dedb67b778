using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Announcements;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>
/// What Proposals announces for other services' copies: an event's schedule (for Identity's reminders) at each
/// change, and everything again at start (<see cref="Reannouncement"/>) for copies that began after the processes.
/// </summary>
[Collection(ProposalsCollection.Name)]
public sealed class EventAnnouncementTests(ProposalsFixture fixture)
{
    private readonly ServiceFactory<ProposalsDb> _factory = fixture.Factory;

    [Fact]
    public async Task CreateUpdateCancelDelete_AnnounceScheduleAndCancellation_WithoutRegistrations()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var starts = DateTimeOffset.UtcNow.AddDays(6);
        var body = new { title = "Stadtteilforum", startsAt = starts, endsAt = starts.AddHours(2), place = "Bürgerhaus", registration = true };
        var created = await (await staff.PostJson($"/processes/{process.Id}/events", body)).Read<ProcessEvent>(HttpStatusCode.Created);
        var citizen = _factory.ClientFor(Guid.NewGuid(), ["citizen"], name: "Anmeldung Geheim");
        (await citizen.PostAsync($"/processes/{process.Id}/events/{created.Id}/registration", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var moved = starts.AddDays(2);
        (await staff.PutJson($"/processes/{process.Id}/events/{created.Id}", body with { startsAt = moved, endsAt = moved.AddHours(2) }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostAsync($"/processes/{process.Id}/events/{created.Id}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PostAsync($"/processes/{process.Id}/events/{created.Id}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var other = await (await staff.PostJson($"/processes/{process.Id}/events", body)).Read<ProcessEvent>(HttpStatusCode.Created);
        (await staff.DeleteAsync($"/processes/{process.Id}/events/{other.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var scheduled = (await _factory.OutboxAsync<EventScheduled>(m => m.EventId == created.Id)).Select(r => r.Message).ToList();
        scheduled.Select(m => (m.Revision, m.StartsAt)).Should().Equal((0, starts), (1, moved));
        scheduled.Should().OnlyContain(m => m.ProcessId == process.Id && m.Title == "Stadtteilforum" && m.Place == "Bürgerhaus" && !m.Online);
        (await _factory.OutboxAsync<EventCancelled>(m => m.EventId == created.Id)).Should().ContainSingle("cancelling twice announces once")
            .Which.Message.Deleted.Should().BeFalse();
        (await _factory.OutboxAsync<EventCancelled>(m => m.EventId == other.Id)).Should().ContainSingle().Which.Message.Deleted.Should().BeTrue();
        await _factory.AssertDispatchedAsync<EventScheduled>(m => m.EventId == created.Id, 2);

        await using var scope = _factory.Scope();
        var bodies = await scope.ServiceProvider.GetRequiredService<ProposalsDb>().Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith(typeof(EventScheduled).FullName!)).Select(m => m.Body).ToListAsync();
        bodies.Should().NotContain(b => b.Contains("Anmeldung Geheim"), "no registration and no name leaves Proposals");
    }

    [Fact]
    public async Task Reannouncement_AnnouncesEveryProcessPhaseAndUpcomingEvent_AsTheyAreNow_AgainAndAgain()
    {
        var staff = _factory.Staff();
        var process = await _factory.CreatePublishedProcessAsync();
        var phase = process.CurrentPhase!.Id;
        var member = Guid.NewGuid();
        (await staff.PutJson($"/processes/{process.Id}/visibility", new { visibility = "members" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staff.PutAsync($"/processes/{process.Id}/members/{member}", null)).IsSuccessStatusCode.Should().BeTrue();
        (await staff.PutJson($"/processes/{process.Id}/phases/{phase}/visibility", new { visibility = "internal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var starts = DateTimeOffset.UtcNow.AddDays(3);
        var upcoming = await (await staff.PostJson($"/processes/{process.Id}/events",
            new { title = "Kommt noch", startsAt = starts, endsAt = starts.AddHours(1), place = "Rathaus" })).Read<ProcessEvent>(HttpStatusCode.Created);
        var cancelled = await (await staff.PostJson($"/processes/{process.Id}/events",
            new { title = "Fällt aus", startsAt = starts, endsAt = starts.AddHours(1), place = "Rathaus" })).Read<ProcessEvent>(HttpStatusCode.Created);
        (await staff.PostAsync($"/processes/{process.Id}/events/{cancelled.Id}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var processesBefore = (await _factory.OutboxAsync<ProcessVisibilityChanged>(m => m.ProcessId == process.Id)).Count;
        var phasesBefore = (await _factory.OutboxAsync<PhaseVisibilityChanged>(m => m.PhaseId == phase)).Count;

        var scopes = _factory.Services.GetRequiredService<IServiceScopeFactory>();
        (await Reannouncement.AnnounceAllAsync(scopes, TimeProvider.System, DateTimeOffset.UtcNow, default)).Should().BeGreaterThanOrEqualTo(1);
        (await Reannouncement.AnnounceAllAsync(scopes, TimeProvider.System, DateTimeOffset.UtcNow, default)).Should().BeGreaterThanOrEqualTo(1);

        var processes = (await _factory.OutboxAsync<ProcessVisibilityChanged>(m => m.ProcessId == process.Id)).Select(r => r.Message).ToList();
        processes.Should().HaveCount(processesBefore + 2);
        processes.TakeLast(2).Should().OnlyContain(m => m.Visibility == "members" && m.Members.SequenceEqual(new[] { member }));
        processes[^1].ChangedAt.Should().BeAfter(processes[^3].ChangedAt, "stamped when announced, so the copies take it");
        var phases = (await _factory.OutboxAsync<PhaseVisibilityChanged>(m => m.PhaseId == phase)).Select(r => r.Message).ToList();
        phases.Should().HaveCount(phasesBefore + 2);
        phases.TakeLast(2).Should().OnlyContain(m => m.Visibility == "internal" && m.ProcessId == process.Id);
        (await _factory.OutboxAsync<EventScheduled>(m => m.EventId == upcoming.Id)).Should().HaveCount(3, "created, then announced twice");
        (await _factory.OutboxAsync<EventScheduled>(m => m.EventId == cancelled.Id)).Should().HaveCount(1, "a cancelled event is not announced again");
        await _factory.AssertDispatchedAsync<ProcessVisibilityChanged>(m => m.ProcessId == process.Id, processesBefore + 2);
    }
}
