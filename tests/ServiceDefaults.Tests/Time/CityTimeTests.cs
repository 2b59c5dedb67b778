using Mitreden.ServiceDefaults.Time;

namespace Mitreden.ServiceDefaults.Tests.Time;

public sealed class CityTimeTests
{
    [Theory]
    [InlineData(2024, 6, 19, 9, 7)]   // summer: 09:00 MESZ = 07:00 UTC
    [InlineData(2024, 1, 15, 9, 8)]   // winter: 09:00 MEZ = 08:00 UTC
    [InlineData(2024, 3, 31, 3, 1)]   // first hour of summer time
    [InlineData(2024, 10, 27, 4, 3)]  // after the change back
    public void At_WallClockTime_IsTheRightInstant(int year, int month, int day, int hour, int utcHour)
    {
        var at = CityTime.At(year, month, day, hour);

        at.UtcDateTime.Should().Be(new DateTime(year, month, day, utcHour, 0, 0, DateTimeKind.Utc));
        CityTime.ToLocal(at).Hour.Should().Be(hour);
    }

    [Fact]
    public void FallbackWithoutTzData_AgreesWithTheSystemZone_EveryHourOfTenYears()
    {
        var system = TimeZoneInfo.FindSystemTimeZoneById(CityTime.ZoneId);
        var fallback = CityTime.CentralEuropean();
        var differences = new List<DateTimeOffset>();
        for (var at = new DateTimeOffset(2020, 1, 1, 0, 30, 0, TimeSpan.Zero); at.Year < 2030; at = at.AddHours(1))
        {
            if (system.GetUtcOffset(at) != fallback.GetUtcOffset(at))
            {
                differences.Add(at);
            }
        }

        differences.Should().BeEmpty();
    }

    [Fact]
    public void DateOf_LateEveningInUtc_IsTheNextDayInTheCity()
    {
        CityTime.DateOf(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)).Should().Be(new DateOnly(2027, 1, 1));
        CityTime.StartOfYear(2027).Should().Be(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero));
        CityTime.FormatGerman(new DateTimeOffset(2026, 7, 1, 16, 30, 0, TimeSpan.Zero)).Should().Be("01.07.2026 18:30 Uhr");
    }
}
