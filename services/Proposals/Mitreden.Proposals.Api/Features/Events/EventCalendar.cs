using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Mitreden.Proposals.Api.Data;

namespace Mitreden.Proposals.Api.Features.Events;

/// <summary>
/// Events as iCalendar (RFC 5545) for calendar programs. Times are written in UTC (the "Z" form), which every
/// program shows in its own zone, so no VTIMEZONE is needed; UIDs are the event ids, so a second import updates
/// the entry instead of doubling it, and a cancelled event is sent as STATUS:CANCELLED.
/// </summary>
internal static class EventCalendar
{
    public const string ContentType = "text/calendar";
    public const string UidDomain = "mitreden";

    public static string Uid(Guid eventId) => $"{eventId}@{UidDomain}";

    public static string Write(string calendarName, IEnumerable<EventRow> rows, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//Mitreden//Veranstaltungen//DE" };
        calendar.AddProperty("X-WR-CALNAME", calendarName);
        foreach (var row in rows)
        {
            var entry = new CalendarEvent
            {
                Uid = Uid(row.Id),
                Summary = row.Title,
                Description = Description(row),
                Location = row.Place ?? row.OnlineUrl,
                DtStart = Utc(row.StartsAt),
                DtEnd = Utc(row.EndsAt),
                DtStamp = Utc(now),
                Status = row.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                // Each change is a new revision, so calendar programs take the update.
                Sequence = row.Revision,
            };
            if (row.OnlineUrl is { } url)
            {
                entry.Url = new Uri(url);
            }
            calendar.Events.Add(entry);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime Utc(DateTimeOffset value) => new(value.UtcDateTime, "UTC");

    private static string Description(EventRow row)
    {
        var text = row.Description;
        if (row.Place is not null && row.OnlineUrl is not null)
        {
            text = $"{text}\n\nOnline: {row.OnlineUrl}".Trim();
        }
        return text;
    }
}
