using System.Globalization;

namespace Mitreden.ServiceDefaults.Time;

/// <summary>
/// The cities' clock: every date and time a person reads or a rule counts in (the day a vote is cast, the year of a
/// report, a workshop at 9:00) is German local time, Europe/Berlin. The one place that knows the zone.
/// </summary>
public static class CityTime
{
    public const string ZoneId = "Europe/Berlin";

    /// <summary>The system's Europe/Berlin, or without tz data (minimal containers) the same rules written out.</summary>
    public static TimeZoneInfo Zone { get; } = Find();

    public static DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(ToLocal(at).DateTime);

    /// <summary>A wall-clock time in the city (e.g. a meeting at 9:00 on 19.06.2024) as an instant with its offset.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) =>
        At(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified));

    /// <summary>A wall-clock time in the city (e.g. from a form's datetime-local field) as an instant with its offset.</summary>
    public static DateTimeOffset At(DateTime wallClock)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static DateTimeOffset StartOfYear(int year) => At(year, 1, 1).ToUniversalTime();

    /// <summary>As German readers expect it: "06.12.2026 18:30 Uhr".</summary>
    public static string FormatGerman(DateTimeOffset value) =>
        ToLocal(value).ToString("dd.MM.yyyy HH:mm 'Uhr'", CultureInfo.InvariantCulture);

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(ZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return CentralEuropean();
        }
    }

    /// <summary>
    /// Central European Time with the EU's summer time (since 1996): +01:00, and +02:00 from the last Sunday of March
    /// 02:00 to the last Sunday of October 03:00 local time.
    /// </summary>
    internal static TimeZoneInfo CentralEuropean()
    {
        var start = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday);
        var end = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday);
        var summer = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(1996, 1, 1), DateTime.MaxValue.Date, TimeSpan.FromHours(1), start, end);
        return TimeZoneInfo.CreateCustomTimeZone(ZoneId, TimeSpan.FromHours(1), "Mitteleuropäische Zeit", "MEZ", "MESZ", [summer]);
    }
}
