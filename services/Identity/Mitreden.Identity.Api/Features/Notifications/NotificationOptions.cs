namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>Configuration section "Notifications".</summary>
public sealed class NotificationOptions
{
    /// <summary>The daily digest's hour on the city's clock (Europe/Berlin).</summary>
    public int DigestHour { get; set; } = 7;
    /// <summary>How often the sender looks for due notifications.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The first wait after a failed send; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Due notifications one sender takes at a time.</summary>
    public int BatchSize { get; set; } = 50;

    public static NotificationOptions Load(IConfiguration configuration)
    {
        var options = configuration.GetSection("Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        if (options.DigestHour is < 0 or > 23 || options.PollInterval <= TimeSpan.Zero || options.RetryDelay <= TimeSpan.Zero
            || options.MaxRetryDelay < options.RetryDelay || options.BatchSize < 1)
        {
            throw new InvalidOperationException("Notifications: DigestHour 0-23, positive PollInterval and RetryDelay, MaxRetryDelay >= RetryDelay, BatchSize >= 1.");
        }
        return options;
    }

    public TimeSpan RetryAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
}
