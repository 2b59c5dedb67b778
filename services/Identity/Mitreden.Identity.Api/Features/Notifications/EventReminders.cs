using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mitreden.Identity.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Time;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// Identity's copy of an event of a process (<see cref="EventScheduled"/>, the highest revision wins;
/// <see cref="EventCancelled"/> is final), kept to remind the process's followers the day before.
/// </summary>
public sealed class UpcomingEvent
{
    public Guid EventId { get; set; }
    public Guid ProcessId { get; set; }
    public Guid? PhaseId { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public string? Place { get; set; }
    public bool Online { get; set; }
    public int Revision { get; set; }
    public bool Cancelled { get; set; }
    /// <summary>When the reminder for <see cref="StartsAt"/> is due (<see cref="EventReminderSchedule"/>).</summary>
    public DateTimeOffset RemindAt { get; set; }
    /// <summary>The start the followers were reminded of; a moved event differs from it and is reminded of again.</summary>
    public DateTimeOffset? RemindedFor { get; set; }
}

internal sealed class UpcomingEventConfiguration : IEntityTypeConfiguration<UpcomingEvent>
{
    public void Configure(EntityTypeBuilder<UpcomingEvent> e)
    {
        e.ToTable("upcoming_events");
        e.HasKey(x => x.EventId);
        e.Property(x => x.EventId).ValueGeneratedNever();
        e.Property(x => x.Title).HasMaxLength(500);
        e.Property(x => x.Place).HasMaxLength(500);
        e.HasIndex(x => x.RemindAt).HasFilter("NOT cancelled");
    }
}

/// <summary>When an event's reminder goes out: the day before, at the digest hour of the city's clock.</summary>
public static class EventReminderSchedule
{
    /// <summary>The day before the event's day (Berlin), at <paramref name="hour"/>.</summary>
    public static DateTimeOffset RemindAt(DateTimeOffset startsAt, int hour)
    {
        var dayBefore = CityTime.DateOf(startsAt).AddDays(-1);
        return CityTime.At(dayBefore.Year, dayBefore.Month, dayBefore.Day, hour).ToUniversalTime();
    }

    /// <summary>
    /// The notification's source: one per event and start, so the unique (recipient, kind, source) key sends one reminder
    /// per person and date, and a moved event gets one for its new date.
    /// </summary>
    public static Guid SourceOf(Guid eventId, DateTimeOffset startsAt)
    {
        Span<byte> input = stackalloc byte[24];
        eventId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], startsAt.UtcTicks);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }
}

/// <summary>Applies Proposals' event messages to <see cref="UpcomingEvent"/> rows; a reminder not sent yet for a start that no longer holds is dropped.</summary>
public sealed class EventCopy(IdentityDb db, TimeProvider time, NotificationOptions options)
{
    public const string Obsolete = "obsolete";

    public async Task ApplyAsync(EventScheduled m, CancellationToken ct)
    {
        var row = await db.UpcomingEvents.SingleOrDefaultAsync(e => e.EventId == m.EventId, ct);
        if (row is null)
        {
            row = new UpcomingEvent { EventId = m.EventId, Title = "", Revision = -1 };
            db.UpcomingEvents.Add(row);
        }
        if (row.Cancelled || m.Revision < row.Revision)
        {
            return;
        }
        var startsAt = m.StartsAt.ToUniversalTime();
        if (row.RemindedFor is { } reminded && reminded != startsAt)
        {
            await DropUnsentAsync(m.EventId, reminded, ct);
        }
        row.ProcessId = m.ProcessId;
        row.PhaseId = m.PhaseId;
        row.Title = m.Title.Length <= 500 ? m.Title : m.Title[..500];
        row.StartsAt = startsAt;
        row.Place = m.Place is { Length: > 500 } place ? place[..500] : m.Place;
        row.Online = m.Online;
        row.Revision = m.Revision;
        row.RemindAt = EventReminderSchedule.RemindAt(startsAt, options.DigestHour);
        await db.SaveChangesAsync(ct);
    }

    public async Task CancelAsync(EventCancelled m, CancellationToken ct)
    {
        var row = await db.UpcomingEvents.SingleOrDefaultAsync(e => e.EventId == m.EventId, ct);
        if (row is null)
        {
            // Kept, so that a scheduling message arriving late cannot bring the event back.
            db.UpcomingEvents.Add(new UpcomingEvent
            {
                EventId = m.EventId, ProcessId = m.ProcessId, Title = "", Cancelled = true, StartsAt = m.CancelledAt, RemindAt = m.CancelledAt,
            });
        }
        else if (!row.Cancelled)
        {
            row.Cancelled = true;
            if (row.RemindedFor is { } reminded)
            {
                await DropUnsentAsync(m.EventId, reminded, ct);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A reminder waiting for the digest is no longer true: it is settled without a mail.</summary>
    private Task<int> DropUnsentAsync(Guid eventId, DateTimeOffset startsAt, CancellationToken ct)
    {
        var source = EventReminderSchedule.SourceOf(eventId, startsAt);
        var now = time.GetUtcNow();
        return db.Notifications.Where(n => n.Kind == NotificationKinds.Event && n.SourceId == source && n.SentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, now).SetProperty(n => n.Outcome, Obsolete), ct);
    }
}

/// <summary>
/// Reminds followers of a process of its events the day before (<see cref="EventReminderSchedule"/>). One event per
/// transaction, its row locked (<c>FOR UPDATE SKIP LOCKED</c>, so instances share the work) and marked reminded for its
/// start in the same transaction as the notifications; the notifications' unique key makes a second run write nothing.
/// An event created after its reminder time is reminded of at once, as long as it has not started.
/// </summary>
public sealed class EventReminderJob(IServiceScopeFactory scopes, NotificationOptions options, TimeProvider time,
    ILogger<EventReminderJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RemindDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("Writing event reminders failed: {Error}", ex.GetType().Name);
            }
            try
            {
                await Task.Delay(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes the reminders of every event due now; returns how many events were reminded of.</summary>
    public async Task<int> RemindDueAsync(CancellationToken ct)
    {
        for (var reminded = 0; ; reminded++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var due = (await db.UpcomingEvents.FromSql($"""
                SELECT * FROM upcoming_events
                WHERE NOT cancelled AND remind_at <= {now} AND starts_at > {now}
                  AND (reminded_for IS NULL OR reminded_for <> starts_at)
                ORDER BY remind_at, event_id
                LIMIT 1 FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct)).SingleOrDefault();
            if (due is null)
            {
                return reminded;
            }
            var notifier = ActivatorUtilities.CreateInstance<Notifier>(scope.ServiceProvider, time);
            await notifier.ToFollowersAsync(new NotificationSource(NotificationKinds.Event, EventReminderSchedule.SourceOf(due.EventId, due.StartsAt),
                due.ProcessId, due.Title, Detail(due), $"/prozesse/{due.ProcessId}/veranstaltungen/{due.EventId}", PhaseId: due.PhaseId), ct);
            due.RemindedFor = due.StartsAt;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>When and where, as the mail says it: "08.12.2026 18:00 Uhr, Rathaus" (or "…, online").</summary>
    private static string Detail(UpcomingEvent e) => CityTime.FormatGerman(e.StartsAt) + ", " + (e.Place ?? "online");
}
