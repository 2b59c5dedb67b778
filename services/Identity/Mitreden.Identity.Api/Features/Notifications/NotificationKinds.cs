using Mitreden.ServiceDefaults.Time;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>What a person can be told by mail. Each kind is off, immediate or in the daily digest.</summary>
public static class NotificationKinds
{
    /// <summary>A reply to my comment.</summary>
    public const string Reply = "reply";
    /// <summary>A moderator's decision on my comment, with reason and note.</summary>
    public const string Moderation = "moderation";
    /// <summary>A ballot opened in a process I follow.</summary>
    public const string Ballot = "ballot";
    /// <summary>A phase started in a process I follow.</summary>
    public const string Phase = "phase";
    /// <summary>A ballot's results were published in a process I follow.</summary>
    public const string Results = "results";
    /// <summary>News in a process I follow.</summary>
    public const string News = "news";
    /// <summary>An event of a process I follow takes place tomorrow.</summary>
    public const string Event = "event";

    public static readonly IReadOnlyList<string> All = [Reply, Moderation, Ballot, Phase, Results, News, Event];

    /// <summary>
    /// Without a setting of their own: what concerns the person's own words comes at once; what happens in a followed
    /// process once a day, except a ballot, which may be short, and an event's reminder, which the digest would bring too late.
    /// </summary>
    public static string DefaultMode(string kind) => kind switch
    {
        Reply or Moderation or Ballot or Event => NotificationModes.Immediate,
        _ => NotificationModes.Digest,
    };
}

public static class NotificationModes
{
    public const string Off = "off";
    public const string Immediate = "immediate";
    public const string Digest = "digest";
    public static readonly IReadOnlyList<string> All = [Off, Immediate, Digest];
}

/// <summary>When the daily digest goes out: a fixed hour of the city's clock.</summary>
public static class DigestSchedule
{
    /// <summary>The first digest hour after <paramref name="now"/> (today's if still ahead, else tomorrow's), Berlin time.</summary>
    public static DateTimeOffset NextAfter(DateTimeOffset now, int hour)
    {
        var local = CityTime.ToLocal(now);
        var today = CityTime.At(local.Year, local.Month, local.Day, hour);
        if (today > now)
        {
            return today.ToUniversalTime();
        }
        var tomorrow = local.Date.AddDays(1);
        return CityTime.At(tomorrow.Year, tomorrow.Month, tomorrow.Day, hour).ToUniversalTime();
    }
}
