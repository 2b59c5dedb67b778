using System.Diagnostics;

namespace Mitreden.LoadTests.Engine;

/// <summary>Monotonic timestamps (Stopwatch ticks) and conversions.</summary>
public static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();
    public static readonly double TicksPerSecond = Stopwatch.Frequency;

    public static long Microseconds(long ticks) => (long)(ticks * 1_000_000.0 / Stopwatch.Frequency);
    public static double Seconds(long ticks) => ticks / TicksPerSecond;
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
