namespace Mitreden.Comments.Api.Features.Shared;

internal static class Clock
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL stores no finer, and a paging cursor built from a value we
    /// still hold in memory must compare equal to the stored one.
    /// </summary>
    public static DateTimeOffset UtcNowMicros(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % 10, TimeSpan.Zero);
    }
}
